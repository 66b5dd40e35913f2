using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes;
using Xunit;

namespace Operability.Analyzers.Tests
{
    public sealed class HttpClientRegistrationCodeFixTests
    {
        private const string Prefix = "using System;\nusing System.Net.Http;\nusing Microsoft.Extensions.DependencyInjection;\n\npublic sealed class CatalogClient { public CatalogClient(HttpClient http) { } }\n\npublic static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n";
        private const string Suffix = "\n    }\n}\n";

        private static CodeFixTest<HttpClientRegistrationAnalyzer, HttpClientRegistrationCodeFix> Test(string before, string after, string[] references)
        {
            var test = new CodeFixTest<HttpClientRegistrationAnalyzer, HttpClientRegistrationCodeFix>
            {
                TestCode = Prefix + before + Suffix,
                FixedCode = Prefix + after + Suffix,
                ReferenceAssemblies = References.None,
            };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(references));
            return test;
        }

        [Fact]
        public async Task WithResiliencePackage_AppendsStandardResilienceHandler()
        {
            await Test(
                "        services.[|AddHttpClient<CatalogClient>()|];",
                "        services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();",
                References.HttpResilience).VerifyAsync();
        }

        [Fact]
        public async Task MultiLineChain_AppendsOnItsOwnLine()
        {
            await Test(
                "        services.[|AddHttpClient<CatalogClient>()|]\n            .SetHandlerLifetime(TimeSpan.FromMinutes(5));",
                "        services.AddHttpClient<CatalogClient>()\n            .SetHandlerLifetime(TimeSpan.FromMinutes(5))\n            .AddStandardResilienceHandler();",
                References.HttpResilience).VerifyAsync();
        }

        [Fact]
        public async Task WithoutResiliencePackage_ConfiguresTimeoutFromOption()
        {
            var test = Test(
                "        services.[|AddHttpClient(\"github\")|];",
                "        services.AddHttpClient(\"github\").ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(10));",
                References.HttpClientFactory);
            test.EditorConfig.Add("operability.OPS103.default_timeout_seconds = 10");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task FixAll_FixesEveryRegistrationInTheDocument()
        {
            var test = Test(
                "        services.[|AddHttpClient<CatalogClient>()|];\n        services.[|AddHttpClient(\"a\")|];\n        services.[|AddHttpClient(\"b\")|].SetHandlerLifetime(TimeSpan.FromMinutes(1));",
                "        services.AddHttpClient<CatalogClient>().ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));\n        services.AddHttpClient(\"a\").ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));\n        services.AddHttpClient(\"b\").SetHandlerLifetime(TimeSpan.FromMinutes(1)).ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));",
                References.HttpClientFactory);
            await test.VerifyAsync();
        }
    }
}
