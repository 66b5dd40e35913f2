using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes.FailureDesign;
using Operability.Analyzers.FailureDesign;
using Xunit;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class UnsafeRetryCodeFixTests
    {
        private const string Client = """

            public sealed class OrdersClient
            {
                private readonly HttpClient _http;
                public OrdersClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> PlaceAsync(HttpContent order) => _http.PostAsync("/orders", order);
            }

            """;

        private static CodeFixTest<UnsafeRetryAnalyzer, UnsafeRetryCodeFix> Fix(string usings, string before, string after, string? fixedUsings = null)
        {
            var test = new CodeFixTest<UnsafeRetryAnalyzer, UnsafeRetryCodeFix>
            {
                TestCode = usings + Wrap(before) + Client,
                FixedCode = (fixedUsings ?? usings) + Wrap(after) + Client,
                ReferenceAssemblies = References.None,
            };
            var references = References.Runtime(References.HttpResilience.Concat(new[] { "Microsoft.Extensions.Configuration.Abstractions" }).ToArray());
            test.TestState.AdditionalReferences.AddRange(references);
            test.FixedState.AdditionalReferences.AddRange(references);
            return test;
        }

        private static string Wrap(string body) =>
            "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body + "\n    }\n}\n";

        private const string Usings = "using System.Net.Http;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Http.Resilience;\n";

        [Fact]
        public async Task NoOptions_GetsALambdaThatDisablesUnsafeRetries()
        {
            var test = Fix(
                Usings,
                "        services.AddHttpClient<OrdersClient>().{|OPS404:AddStandardResilienceHandler()|};",
                "        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ExpressionLambda_BecomesABlockEndingWithTheCall()
        {
            var test = Fix(
                Usings,
                "        services.AddHttpClient<OrdersClient>().{|OPS404:AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2)|};",
                "        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => { o.Retry.MaxRetryAttempts = 2; o.Retry.DisableForUnsafeHttpMethods(); });");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task MissingUsing_IsAdded()
        {
            var test = Fix(
                "using System.Net.Http;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.DependencyInjection;\n",
                "        services.AddHttpClient<OrdersClient>().{|OPS404:AddStandardResilienceHandler()|};",
                "        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());",
                Usings + "\n");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task RetryFromClientDefaults_HasNoFix()
        {
            var test = Fix(
                Usings,
                "        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());\n        services.{|OPS404:AddHttpClient<OrdersClient>()|};",
                "        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());\n        services.{|OPS404:AddHttpClient<OrdersClient>()|};");
            await test.VerifyAsync();
        }
    }
}
