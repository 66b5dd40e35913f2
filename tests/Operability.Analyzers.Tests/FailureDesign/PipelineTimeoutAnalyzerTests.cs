using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.FailureDesign.PipelineTimeoutAnalyzer>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class PipelineTimeoutAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Net.Http;\nusing Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Http.Resilience;\n";

        private static Test Registration(string body, string extra = "")
        {
            var source = Usings + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body
                + "\n    }\n}\n\npublic sealed class CatalogClient { public CatalogClient(HttpClient http) { } }\n" + extra;
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.HttpResilience.Concat(new[] { "Microsoft.Extensions.Configuration.Abstractions" }).ToArray()));
            return test;
        }

        private static DiagnosticResult Shorter(string client, string clientTimeout, string total) =>
            new DiagnosticResult(RuleIds.ClientTimeoutShorterThanPipeline, DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage($"'{client}': HttpClient.Timeout ({clientTimeout}) is shorter than its resilience pipeline's total timeout ({total}), so the client gives up first and cuts the retries short; make HttpClient.Timeout longer than the total timeout");

        [Fact]
        public async Task ClientTimeoutShorterThanConfiguredTotal_ReportsAtTheAssignment()
        {
            await Registration("""
                        services.AddHttpClient<CatalogClient>()
                            .ConfigureHttpClient(c => {|#0:c.Timeout = TimeSpan.FromSeconds(10)|})
                            .AddStandardResilienceHandler(o => o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30));
                """)
                .Expect(Shorter("AddHttpClient<CatalogClient>", "10 s", "30 s"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ClientTimeoutShorterThanStandardDefaultTotal_Reports()
        {
            await Registration("        services.AddHttpClient(\"github\", c => {|#0:c.Timeout = TimeSpan.FromMilliseconds(5000)|}).AddStandardResilienceHandler();")
                .Expect(Shorter("AddHttpClient(\"github\")", "5 s", "30 s"))
                .VerifyAsync();
        }

        [Fact]
        public async Task TotalLongerThanHttpClientDefault_ReportsAtTheHandler()
        {
            await Registration("        services.AddHttpClient<CatalogClient>().{|#0:AddStandardResilienceHandler(o => o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(2))|};")
                .Expect(Shorter("AddHttpClient<CatalogClient>", "the 100 s default", "120 s"))
                .VerifyAsync();
        }

        [Fact]
        public async Task TotalSetThroughChainedConfigure_IsRead()
        {
            await Registration("""
                        services.AddHttpClient<CatalogClient>()
                            .ConfigureHttpClient(c => {|#0:c.Timeout = TimeSpan.FromSeconds(20)|})
                            .AddStandardResilienceHandler()
                            .Configure(o => o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(45));
                """)
                .Expect(Shorter("AddHttpClient<CatalogClient>", "20 s", "45 s"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ClientTimeoutLongerThanTotal_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient<CatalogClient>()
                            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(60))
                            .AddStandardResilienceHandler(o => o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30));
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHandlerAlone_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task NonConstantTimeout_Silent()
        {
            await Registration("        var seconds = Environment.ProcessorCount;\n        services.AddHttpClient<CatalogClient>(c => c.Timeout = TimeSpan.FromSeconds(seconds)).AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task OptionsFromMethodGroup_Silent()
        {
            await Registration(
                "        services.AddHttpClient<CatalogClient>(c => c.Timeout = TimeSpan.FromSeconds(5)).AddStandardResilienceHandler(Tuning.Catalog);",
                "\npublic static class Tuning { public static void Catalog(Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions o) { } }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task LongTotalWithClientDefaultsSettingTimeouts_Silent()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMinutes(5)));
                        services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(2));
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task ClientTimeoutWithoutHandler_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>(c => c.Timeout = TimeSpan.FromSeconds(5));")
                .VerifyAsync();
        }
    }
}
