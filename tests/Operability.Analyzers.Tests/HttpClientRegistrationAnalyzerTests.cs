using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.HttpClientRegistrationAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed class HttpClientRegistrationAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Net.Http;\nusing Microsoft.Extensions.DependencyInjection;\n";

        private const string Clients = """

            public sealed class CatalogClient { public CatalogClient(HttpClient http) { } }
            public interface IBasketClient { }
            public sealed class BasketClient : IBasketClient { public BasketClient(HttpClient http) { } }
            """;

        private static Test Registration(string body, string[]? references = null) =>
            Create(Usings + (references == References.HttpPollyV7 || references == References.HttpResilience ? "using Polly;\n" : string.Empty) + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body + "\n    }\n}\n" + Clients, references);

        private static Test Create(string source, string[]? references = null)
        {
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(references ?? References.HttpClientFactory));
            return test;
        }

        [Fact]
        public async Task TypedClient_WithoutTimeout_ReportsWithTypeName()
        {
            await Registration("        services.{|#0:AddHttpClient<CatalogClient>()|};")
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0)
                    .WithMessage("The HttpClient registration 'AddHttpClient<CatalogClient>' has no timeout; add a resilience handler (AddStandardResilienceHandler) or ConfigureHttpClient(c => c.Timeout = ...)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task NamedClient_WithConfigureThatSetsOnlyBaseAddress_ReportsWithName()
        {
            await Registration("        services.{|#0:AddHttpClient(\"github\", c => c.BaseAddress = new Uri(\"https://api.github.com\"))|};")
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient(\"github\")"))
                .VerifyAsync();
        }

        [Fact]
        public async Task InterfaceAndImplementation_WithOnlyHandlerLifetime_Reports()
        {
            await Registration("        services.{|#0:AddHttpClient<IBasketClient, BasketClient>()|}\n            .SetHandlerLifetime(TimeSpan.FromMinutes(5));")
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<IBasketClient, BasketClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task NamedClient_TimeoutSetInConfigureDelegate_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient(\"github\", c => { c.BaseAddress = new Uri(\"https://api.github.com\"); c.Timeout = TimeSpan.FromSeconds(5); });")
                .VerifyAsync();
        }

        [Fact]
        public async Task TypedClient_TimeoutSetInServiceProviderConfigureDelegate_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>((sp, c) => c.Timeout = TimeSpan.FromSeconds(3));")
                .VerifyAsync();
        }

        [Fact]
        public async Task ConfigureHttpClientSettingTimeout_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>()\n            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(2));")
                .VerifyAsync();
        }

        [Fact]
        public async Task ConfigureHttpClientWithoutTimeout_Reports()
        {
            await Registration("        services.{|#0:AddHttpClient<CatalogClient>()|}\n            .ConfigureHttpClient(c => c.BaseAddress = new Uri(\"http://catalog\"));")
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardResilienceHandler_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();", References.HttpResilience)
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHedgingHandler_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient(\"search\").AddStandardHedgingHandler();", References.HttpResilience)
                .VerifyAsync();
        }

        [Fact]
        public async Task ResilienceHandlerWithTimeoutStrategy_NoDiagnostic()
        {
            const string body = """
                        services.AddHttpClient<CatalogClient>()
                            .AddResilienceHandler("catalog", pipeline =>
                            {
                                pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions<HttpResponseMessage>());
                                pipeline.AddTimeout(TimeSpan.FromSeconds(2));
                            });
                """;
            await Registration(body, References.HttpResilience).VerifyAsync();
        }

        [Fact]
        public async Task ResilienceHandlerWithRetryOnly_Reports()
        {
            const string body = """
                        services.{|#0:AddHttpClient<CatalogClient>()|}
                            .AddResilienceHandler("catalog", pipeline => pipeline.AddRetry(new Polly.Retry.RetryStrategyOptions<HttpResponseMessage>()));
                """;
            await Registration(body, References.HttpResilience)
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ResilienceHandlerConfiguredByProjectMethod_NoDiagnostic()
        {
            const string source = Usings + "using Polly;\n" + """
                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddHttpClient<CatalogClient>().AddResilienceHandler("catalog", Pipelines.Build);
                    }
                }

                public static class Pipelines
                {
                    public static void Build(Polly.ResiliencePipelineBuilder<HttpResponseMessage> builder) => builder.AddTimeout(TimeSpan.FromSeconds(1));
                }
                """ + Clients;
            await Create(source, References.HttpResilience).VerifyAsync();
        }

        [Fact]
        public async Task ClientDefaultsWithStandardResilienceHandler_CoverEveryRegistration()
        {
            const string source = Usings + """
                public static class ServiceDefaults
                {
                    public static void AddDefaults(IServiceCollection services) =>
                        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddHttpClient<CatalogClient>();
                        services.AddHttpClient("github");
                    }
                }
                """ + Clients;
            await Create(source, References.HttpResilience).VerifyAsync();
        }

        [Fact]
        public async Task ClientDefaultsInAnotherFile_CoverRegistrations()
        {
            var test = Registration("        services.AddHttpClient<CatalogClient>();", References.HttpResilience);
            test.TestState.Sources.Add(("/0/Defaults.cs", Usings + "public static class Defaults { public static void Add(IServiceCollection s) => s.ConfigureHttpClientDefaults(b => { b.AddStandardResilienceHandler(); }); }"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ClientDefaultsWithoutTimeout_DoNotCover()
        {
            const string source = Usings + """
                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.ConfigureHttpClientDefaults(http => http.SetHandlerLifetime(TimeSpan.FromMinutes(2)));
                        services.{|#0:AddHttpClient<CatalogClient>()|};
                    }
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory)
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task AspireServiceDefaultsCalled_CoversRegistrations()
        {
            const string source = Usings + """
                public static class Extensions
                {
                    public static IServiceCollection AddServiceDefaults(this IServiceCollection services) => services;
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddServiceDefaults();
                        services.AddHttpClient<CatalogClient>();
                    }
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory).VerifyAsync();
        }

        [Fact]
        public async Task DefaultsMethodNamedInEditorConfig_CoversRegistrations()
        {
            const string source = Usings + """
                public static class Platform
                {
                    public static IServiceCollection AddPlatformDefaults(this IServiceCollection services) => services;
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddPlatformDefaults();
                        services.AddHttpClient<CatalogClient>();
                    }
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory)
                .WithEditorConfig("operability.OPS103.client_defaults_methods = AddPlatformDefaults, AddOtherDefaults")
                .VerifyAsync();
        }

        [Fact]
        public async Task DefaultsMethodNotNamedInEditorConfig_StillReports()
        {
            const string source = Usings + """
                public static class Platform
                {
                    public static IServiceCollection AddPlatformDefaults(this IServiceCollection services) => services;
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddPlatformDefaults();
                        services.{|#0:AddHttpClient<CatalogClient>()|};
                    }
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory)
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ProjectExtensionOnBuilder_MayAddTimeout_NoDiagnostic()
        {
            const string source = Usings + """
                public static class ClientPolicies
                {
                    public static IHttpClientBuilder AddCompanyPolicies(this IHttpClientBuilder builder) => builder;
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddHttpClient<CatalogClient>().AddCompanyPolicies();
                    }
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory).VerifyAsync();
        }

        [Fact]
        public async Task BuilderStoredInVariable_NoDiagnostic()
        {
            await Registration("        var builder = services.AddHttpClient<CatalogClient>();\n        builder.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(1));")
                .VerifyAsync();
        }

        [Fact]
        public async Task BuilderReturned_NoDiagnostic()
        {
            const string source = Usings + """
                public static class Startup
                {
                    public static IHttpClientBuilder AddCatalog(IServiceCollection services) => services.AddHttpClient<CatalogClient>();
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory).VerifyAsync();
        }

        [Fact]
        public async Task ConfigureDelegateIsMethodGroup_NoDiagnostic()
        {
            const string source = Usings + """
                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddHttpClient<CatalogClient>(ConfigureClient);
                    }

                    private static void ConfigureClient(HttpClient client) => client.Timeout = TimeSpan.FromSeconds(2);
                }
                """ + Clients;
            await Create(source, References.HttpClientFactory).VerifyAsync();
        }

        [Fact]
        public async Task PollyV7TimeoutPolicy_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>()\n            .AddPolicyHandler(Polly.Policy.TimeoutAsync<HttpResponseMessage>(TimeSpan.FromSeconds(2)));", References.HttpPollyV7)
                .VerifyAsync();
        }

        [Fact]
        public async Task PollyV7RetryOnly_Reports()
        {
            await Registration("        services.{|#0:AddHttpClient<CatalogClient>()|}\n            .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt)));", References.HttpPollyV7)
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task PollyV7PolicyFromProjectMethod_NoDiagnostic()
        {
            const string source = Usings + """
                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddHttpClient<CatalogClient>().AddPolicyHandler(GetRetryPolicy());
                    }

                    private static Polly.IAsyncPolicy<HttpResponseMessage> GetRetryPolicy() => Polly.Policy.NoOpAsync<HttpResponseMessage>();
                }
                """ + Clients;
            await Create(source, References.HttpPollyV7).VerifyAsync();
        }

        [Fact]
        public async Task GrpcClient_WithoutTimeout_Reports()
        {
            const string source = Usings + """
                public sealed class GreeterClient : Grpc.Core.ClientBase<GreeterClient>
                {
                    public GreeterClient(Grpc.Core.CallInvoker invoker) : base(invoker) { }
                    private GreeterClient(ClientBaseConfiguration configuration) : base(configuration) { }
                    protected override GreeterClient NewInstance(ClientBaseConfiguration configuration) => new GreeterClient(configuration);
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.{|#0:AddGrpcClient<GreeterClient>(o => o.Address = new Uri("https://greeter"))|};
                        services.AddGrpcClient<GreeterClient>(o => o.Address = new Uri("https://greeter")).ConfigureChannel(c => c.MaxRetryAttempts = 2);
                    }
                }
                """;
            await Create(source, References.Grpc)
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddGrpcClient<GreeterClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task GrpcClient_WithInterceptors_OnlyOneThatSetsADeadlineCounts()
        {
            // The judgement OPS106 makes too: eShop's exception-mapping interceptor sets no deadline.
            const string source = Usings + """
                public sealed class GreeterClient : Grpc.Core.ClientBase<GreeterClient>
                {
                    public GreeterClient(Grpc.Core.CallInvoker invoker) : base(invoker) { }
                    private GreeterClient(ClientBaseConfiguration configuration) : base(configuration) { }
                    protected override GreeterClient NewInstance(ClientBaseConfiguration configuration) => new GreeterClient(configuration);
                }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.{|#0:AddGrpcClient<GreeterClient>(o => o.Address = new Uri("https://basket"))|}.AddInterceptor<GrpcExceptionInterceptor>();
                        services.{|#1:AddGrpcClient<GreeterClient>(o => o.Interceptors.Add(new DeadlineLoggingInterceptor()))|};
                        services.{|#2:AddGrpcClient<GreeterClient>()|}.AddInterceptor<CompanyDeadlineInterceptor>();
                        services.AddGrpcClient<GreeterClient>(o => o.Address = new Uri("https://basket")).AddInterceptor<DeadlineInterceptor>();
                        services.AddGrpcClient<GreeterClient>().AddInterceptor(() => new DeadlineInterceptor());
                        services.AddGrpcClient<GreeterClient>(o => o.Interceptors.Add(new DeadlineInterceptor()));
                    }
                }
                """;
            var test = Create(source, References.Grpc);
            test.TestState.Sources.Add(("/0/Interceptors.cs", GrpcTestClients.Interceptors));
            await test
                .Expect(
                    new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddGrpcClient<GreeterClient>"),
                    new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(1).WithArguments("AddGrpcClient<GreeterClient>"),
                    new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(2).WithArguments("AddGrpcClient<GreeterClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RefitClient_WithoutTimeout_Reports_AndWithTimeout_DoesNot()
        {
            const string source = Usings + "using Refit;\n" + """
                public interface IGitHubApi { [Refit.Get("/users/{user}")] System.Threading.Tasks.Task<string> GetUser(string user); }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.{|#0:AddRefitClient<IGitHubApi>()|}.ConfigureHttpClient(c => c.BaseAddress = new Uri("https://api.github.com"));
                        services.AddRefitClient<IGitHubApi>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));
                    }
                }
                """;
            await Create(source, References.Refit)
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddRefitClient<IGitHubApi>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task TopLevelStatementsInWebStyleProgram_Reports()
        {
            var test = Create(Usings + "var services = new ServiceCollection();\nservices.{|#0:AddHttpClient(\"payments\")|};\n" + Clients);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient(\"payments\")"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RegistrationInsideNestedLambda_Reports()
        {
            await Registration("        Action<IServiceCollection> register = s => { Func<int> f = () => { s.{|#0:AddHttpClient<CatalogClient>()|}; return 1; }; f(); };\n        register(services);")
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task TestProject_NoDiagnostic_UnlessIncluded()
        {
            await Registration("        services.AddHttpClient<CatalogClient>();").WithProperty("IsTestProject", "true").VerifyAsync();
            await Registration("        services.{|#0:AddHttpClient<CatalogClient>()|};")
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .Expect(new DiagnosticResult(RuleIds.HttpClientRegistrationWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("AddHttpClient<CatalogClient>"))
                .VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_NoDiagnostic()
        {
            var test = Create(string.Empty);
            test.TestState.Sources.Clear();
            test.TestState.Sources.Add(("/0/Registrations.g.cs", "// <auto-generated/>\n" + Usings + "public static class Generated { public static void R(IServiceCollection s) => s.AddHttpClient<CatalogClient>(); }" + Clients));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task CommentedOutRegistration_NoDiagnostic()
        {
            await Registration("        // services.AddHttpClient<CatalogClient>();\n        /* services.AddHttpClient(\"x\"); */").VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_NoCrash()
        {
            var test = Registration("        services.AddHttpClient<CatalogClient>(\n        services.AddHttpClient(");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.VerifyAsync();
        }
    }
}
