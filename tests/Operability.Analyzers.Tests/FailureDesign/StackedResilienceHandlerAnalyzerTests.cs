using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.FailureDesign.StackedResilienceHandlerAnalyzer>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class StackedResilienceHandlerAnalyzerTests
    {
        private const string Usings = "#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental\nusing System;\nusing System.Net.Http;\nusing Microsoft.Extensions.DependencyInjection;\nusing Polly;\n";

        private const string OperabilityRuntime = "\npublic static class OperabilityServiceCollectionExtensions { public static IHttpClientBuilder AddOperabilityClient<TClient>(this IServiceCollection services, string name) where TClient : class => services.AddHttpClient<TClient>(name); }\n";

        private static Test Registration(string body, string extra = "")
        {
            var source = Usings + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body
                + "\n    }\n}\n\npublic sealed class CatalogClient { public CatalogClient(HttpClient http) { } }\n" + OperabilityRuntime + extra;
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.HttpResilience.Concat(new[] { "Microsoft.Extensions.Configuration.Abstractions" }).ToArray()));
            return test;
        }

        private static DiagnosticResult Stacked(string handler, string client, string existing) =>
            new DiagnosticResult(RuleIds.StackedResilienceHandlers, DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage($"'{handler}' adds a resilience handler to '{client}', which already gets one from {existing}; keep one pipeline per client (RemoveAllResilienceHandlers() first, or configure the existing handler)");

        // Http.Resilience's handlers return their own builders: a second handler goes through the client's builder variable.
        [Fact]
        public async Task TwoHandlersOnOneBuilderVariable_ReportsTheSecond()
        {
            await Registration("""
                        var catalog = services.AddHttpClient<CatalogClient>();
                        catalog.AddStandardResilienceHandler();
                        catalog.{|#0:AddResilienceHandler("extra-retries", pipeline => pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions<HttpResponseMessage>()))|};
                """)
                .Expect(Stacked("AddResilienceHandler", "AddHttpClient<CatalogClient>", "'AddStandardResilienceHandler' earlier in its chain"))
                .VerifyAsync();
        }

        [Fact]
        public async Task BuilderVariablePassedOn_Silent()
        {
            await Registration("""
                        var catalog = services.AddHttpClient<CatalogClient>();
                        catalog.AddStandardResilienceHandler();
                        Pipelines.Tune(catalog);
                """, "\npublic static class Pipelines { public static void Tune(IHttpClientBuilder builder) => builder.RemoveAllResilienceHandlers(); }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task OperabilityClientPlusStandardHandler_Reports()
        {
            await Registration("        services.AddOperabilityClient<CatalogClient>(\"catalog\").{|#0:AddStandardResilienceHandler()|};")
                .Expect(Stacked("AddStandardResilienceHandler", "AddOperabilityClient<CatalogClient>", "AddOperabilityClient"))
                .VerifyAsync();
        }

        // Aspire's ServiceDefaults shape: every client gets the standard handler, then one client adds its own.
        [Fact]
        public async Task DefaultsHandlerPlusClientHandler_Reports()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http =>
                        {
                            http.AddStandardResilienceHandler();
                        });
                        services.AddHttpClient("github").{|#0:AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 1)|};
                """)
                .Expect(Stacked("AddStandardResilienceHandler", "AddHttpClient(\"github\")", "ConfigureHttpClientDefaults"))
                .VerifyAsync();
        }

        [Fact]
        public async Task AspireAddServiceDefaultsFromItsOwnProject_PlusClientHandler_Reports()
        {
            var test = Registration("""
                        services.AddHttpClient<CatalogClient>().{|#0:AddStandardHedgingHandler()|};
                    }

                    public static void Host(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
                    {
                        ServiceDefaults.Extensions.AddServiceDefaults(builder);
                """);
            test.TestState.AdditionalProjects["ServiceDefaults"].Sources.Add("""
                namespace ServiceDefaults
                {
                    public static class Extensions
                    {
                        public static Microsoft.Extensions.Hosting.IHostApplicationBuilder AddServiceDefaults(this Microsoft.Extensions.Hosting.IHostApplicationBuilder builder) => builder;
                    }
                }
                """);
            test.TestState.AdditionalProjects["ServiceDefaults"].AdditionalReferences.AddRange(References.Web());
            test.TestState.AdditionalProjectReferences.Add("ServiceDefaults");
            test.TestState.AdditionalReferences.AddRange(References.Web());
            await test.Expect(Stacked("AddStandardHedgingHandler", "AddHttpClient<CatalogClient>", "AddServiceDefaults")).VerifyAsync();
        }

        [Fact]
        public async Task RemoveAllResilienceHandlersFirst_NoDiagnostic()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                        services.AddHttpClient<CatalogClient>().RemoveAllResilienceHandlers().AddStandardHedgingHandler();
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task OneHandler_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5)).AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        // AddOperabilityClient replaces what the defaults add: one pipeline.
        [Fact]
        public async Task DefaultsHandlerPlusOperabilityClient_NoDiagnostic()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                        services.AddOperabilityClient<CatalogClient>("catalog");
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task OwnHelperBetween_NotReadPastIt()
        {
            await Registration(
                "        services.AddOperabilityClient<CatalogClient>(\"catalog\").ResetPipeline().AddStandardResilienceHandler();",
                "\npublic static class Pipelines { public static IHttpClientBuilder ResetPipeline(this IHttpClientBuilder builder) => builder.RemoveAllResilienceHandlers(); }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task TwoPollyV7PolicyHandlers_AreNotResilienceHandlers_NoDiagnostic()
        {
            var test = new Test
            {
                TestCode = Usings + """
                    public static class Startup
                    {
                        public static void Configure(IServiceCollection services) =>
                            services.AddHttpClient("github")
                                .AddTransientHttpErrorPolicy(p => p.RetryAsync(3))
                                .AddTransientHttpErrorPolicy(p => p.CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)));
                    }
                    """,
                ReferenceAssemblies = References.None,
            };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.HttpPollyV7));
            await test.VerifyAsync();
        }
    }
}
