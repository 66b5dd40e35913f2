using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.FailureDesign.CircuitBreakerAnalyzer>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class CircuitBreakerAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Net.Http;\nusing Microsoft.Extensions.DependencyInjection;\nusing Polly;\n";

        private const string Clients = """

            public sealed class CatalogClient { public CatalogClient(HttpClient http) { } }
            public interface IBasketClient { }
            public sealed class BasketClient : IBasketClient { public BasketClient(HttpClient http) { } }
            """;

        internal static Test Registration(string body, string[]? references = null, string extra = "")
        {
            var usings = references == References.Refit ? Usings.Replace("using Polly;\n", "using Refit;\n") : Usings;
            var source = usings + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body + "\n    }\n}\n" + Clients + extra;
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(references ?? References.HttpResilience));
            return test;
        }

        private static DiagnosticResult NoBreaker(string client) =>
            new DiagnosticResult(RuleIds.ClientWithoutCircuitBreaker, DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage($"The HttpClient registration '{client}' has a timeout but no circuit breaker; use AddStandardResilienceHandler(), or add a circuit breaker to its resilience pipeline");

        [Fact]
        public async Task TimeoutOnlyInConfigureHttpClient_Reports()
        {
            await Registration("        services.{|#0:AddHttpClient<CatalogClient>()|}\n            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));")
                .Expect(NoBreaker("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task NamedClient_TimeoutInRegistrationDelegate_ReportsWithName()
        {
            await Registration("        services.{|#0:AddHttpClient(\"github\", c => c.Timeout = TimeSpan.FromSeconds(5))|};")
                .Expect(NoBreaker("AddHttpClient(\"github\")"))
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomPipelineWithRetryAndTimeoutOnly_Reports()
        {
            await Registration("""
                        services.{|#0:AddHttpClient<IBasketClient, BasketClient>()|}
                            .AddResilienceHandler("basket", pipeline =>
                            {
                                pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions<HttpResponseMessage>());
                                pipeline.AddTimeout(TimeSpan.FromSeconds(3));
                            });
                """)
                .Expect(NoBreaker("AddHttpClient<IBasketClient, BasketClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task TimeoutFromClientDefaults_Reports()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(10)));
                        services.{|#0:AddHttpClient<CatalogClient>()|};
                """)
                .Expect(NoBreaker("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardResilienceHandler_HasABreaker_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>()\n            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5))\n            .AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomPipelineWithCircuitBreaker_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient<CatalogClient>()
                            .AddResilienceHandler("catalog", pipeline =>
                            {
                                pipeline.AddTimeout(TimeSpan.FromSeconds(3));
                                pipeline.AddCircuitBreaker(new Polly.CircuitBreaker.CircuitBreakerStrategyOptions<HttpResponseMessage>());
                            });
                """)
                .VerifyAsync();
        }

        // Aspire's ServiceDefaults: the standard handler for every client through ConfigureHttpClientDefaults.
        [Fact]
        public async Task DefaultsAddStandardHandler_NoDiagnostic()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http =>
                        {
                            http.AddStandardResilienceHandler();
                        });
                        services.AddHttpClient<CatalogClient>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task OperabilityClient_NoDiagnostic()
        {
            await Registration(
                "        services.AddOperabilityClient<CatalogClient>(\"catalog\").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));",
                extra: "\npublic static class OperabilityServiceCollectionExtensions { public static IHttpClientBuilder AddOperabilityClient<TClient>(this IServiceCollection services, string name) where TClient : class => services.AddHttpClient<TClient>(name); }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task NoTimeoutAtAll_LeftToOps103()
        {
            await Registration("        services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new Uri(\"http://catalog\"));")
                .VerifyAsync();
        }

        [Fact]
        public async Task OwnBuilderExtension_Silent()
        {
            await Registration(
                "        services.AddHttpClient<CatalogClient>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5)).AddCompanyResilience();",
                extra: "\npublic static class CompanyResilience { public static IHttpClientBuilder AddCompanyResilience(this IHttpClientBuilder builder) => builder; }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task PipelineFromMethodGroup_Silent()
        {
            await Registration(
                "        services.AddHttpClient<CatalogClient>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5)).AddResilienceHandler(\"catalog\", Pipelines.Build);",
                extra: "\npublic static class Pipelines { public static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder) { } }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task BuilderVariableGivenStandardHandlerLater_NoDiagnostic()
        {
            await Registration("        var builder = services.AddHttpClient<CatalogClient>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));\n        builder.AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task PollyV7_TimeoutPolicyWithoutBreaker_Reports_WithBreaker_NoDiagnostic()
        {
            await Registration("""
                        services.{|#0:AddHttpClient<CatalogClient>()|}
                            .AddPolicyHandler(Policy.TimeoutAsync<HttpResponseMessage>(5));
                        services.AddHttpClient<IBasketClient, BasketClient>()
                            .AddPolicyHandler(Policy.TimeoutAsync<HttpResponseMessage>(5))
                            .AddTransientHttpErrorPolicy(p => p.CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)));
                """, References.HttpPollyV7)
                .Expect(NoBreaker("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RefitClient_WithTimeoutOnly_Reports()
        {
            var test = Registration(
                "        services.{|#0:AddRefitClient<IGitHubApi>()|}.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));",
                References.Refit,
                "\npublic interface IGitHubApi { [Refit.Get(\"/users\")] System.Threading.Tasks.Task<string> Users(); }\n");
            await test.Expect(NoBreaker("AddRefitClient<IGitHubApi>")).VerifyAsync();
        }

        [Fact]
        public async Task CiBuild_RaisesToError()
        {
            await Registration("        services.{|#0:AddHttpClient<CatalogClient>()|}.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));")
                .WithProperty("OperabilityCiErrors", "OPS403")
                .Expect(new DiagnosticResult(RuleIds.ClientWithoutCircuitBreaker, DiagnosticSeverity.Error).WithLocation(0)
                    .WithMessage("The HttpClient registration 'AddHttpClient<CatalogClient>' has a timeout but no circuit breaker; use AddStandardResilienceHandler(), or add a circuit breaker to its resilience pipeline"))
                .VerifyAsync();
        }
    }
}
