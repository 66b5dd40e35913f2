using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.TimeoutBudgetAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed class TimeoutBudgetAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Net.Http;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Http.Resilience;\nusing Polly;\nusing Polly.Timeout;\n";

        // An eShop-style ordering service: payments must answer within 2 s, catalog within 1.5 s; identity has no timeout declared.
        private const string Manifest = """
            {
              "service": "ordering",
              "owner": "team-ordering",
              "availability": { "target": 99.9 },
              "dependencies": [
                { "name": "payments", "timeout": "00:00:02", "critical": true },
                { "name": "catalog-api", "timeout": "00:00:01.500" },
                { "name": "identity" }
              ],
              "runbook": "RUNBOOK.md"
            }
            """;

        private const string Clients = """

            public sealed class PaymentsClient { public PaymentsClient(HttpClient http) { } }
            public sealed class CatalogApiClient { public CatalogApiClient(HttpClient http) { } }
            public sealed class IdentityClient { public IdentityClient(HttpClient http) { } }
            """;

        private static Test Registration(string body, bool manifest = true) =>
            Create(Usings + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body + "\n    }\n}\n" + Clients, manifest);

        private static Test Create(string source, bool manifest = true)
        {
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            // The standard resilience handler's overloads mention IConfigurationSection.
            test.TestState.AdditionalReferences.AddRange(References.Runtime(GrpcTestClients.References.Concat(new[] { "Microsoft.Extensions.Configuration.Abstractions" }).ToArray()));
            if (manifest)
            {
                test.WithAdditionalFile("operability.json", Manifest);
            }

            return test;
        }

        private static DiagnosticResult Diagnostic(int location = 0) =>
            new DiagnosticResult(RuleIds.TimeoutExceedsBudget, DiagnosticSeverity.Info).WithLocation(location);

        [Fact]
        public async Task NamedClient_TimeoutAboveDependencyBudget_Reports()
        {
            await Registration("        services.AddHttpClient(\"payments\", c => c.Timeout = {|#0:TimeSpan.FromSeconds(30)|});")
                .Expect(Diagnostic().WithMessage("HttpClient.Timeout waits up to 30 s, longer than the budget of 2 s for dependency 'payments' (operability.json); lower it"))
                .VerifyAsync();
        }

        [Fact]
        public async Task NamedClient_TimeoutEqualToOrBelowBudget_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient("payments", c => c.Timeout = TimeSpan.FromSeconds(2));
                        services.AddHttpClient("Payments").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromMilliseconds(1500));
                        services.AddHttpClient<CatalogApiClient>(c => c.Timeout = TimeSpan.FromMilliseconds(1500));
                """).VerifyAsync();
        }

        [Fact]
        public async Task TypedClient_SuffixStripped_MatchesDependency_Reports()
        {
            await Registration("""
                        services.AddHttpClient<PaymentsClient>().ConfigureHttpClient(c => c.Timeout = {|#0:new TimeSpan(0, 0, 5)|});
                        services.AddHttpClient<CatalogApiClient>(c => { c.BaseAddress = new Uri("http://catalog"); c.Timeout = {|#1:TimeSpan.FromSeconds(2)|}; });
                """)
                .Expect(
                    Diagnostic(0).WithArguments("HttpClient.Timeout", "5 s", "2 s", " for dependency 'payments' (operability.json)"),
                    Diagnostic(1).WithArguments("HttpClient.Timeout", "2 s", "1.5 s", " for dependency 'catalog-api' (operability.json)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardResilienceHandler_TotalTimeoutAboveBudget_Reports()
        {
            const string body = """
                        services.AddHttpClient<PaymentsClient>()
                            .AddStandardResilienceHandler(o =>
                            {
                                o.TotalRequestTimeout.Timeout = {|#0:TimeSpan.FromSeconds(10)|};
                                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
                            });
                        services.AddHttpClient("catalog-api").AddStandardResilienceHandler().Configure(o => o.AttemptTimeout.Timeout = {|#1:TimeSpan.FromMinutes(1)|});
                """;
            await Registration(body)
                .Expect(
                    Diagnostic(0).WithMessage("HttpStandardResilienceOptions.TotalRequestTimeout.Timeout waits up to 10 s, longer than the budget of 2 s for dependency 'payments' (operability.json); lower it"),
                    Diagnostic(1).WithArguments("HttpStandardResilienceOptions.AttemptTimeout.Timeout", "60 s", "1.5 s", " for dependency 'catalog-api' (operability.json)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ResilienceHandlerAddTimeout_AboveBudget_Reports()
        {
            const string body = """
                        services.AddHttpClient("payments")
                            .AddResilienceHandler("payments-pipeline", pipeline =>
                            {
                                pipeline.AddRetry(new HttpRetryStrategyOptions());
                                pipeline.AddTimeout({|#0:TimeSpan.FromSeconds(5)|});
                                pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = {|#1:TimeSpan.FromSeconds(3)|} });
                            });
                """;
            await Registration(body)
                .Expect(
                    Diagnostic(0).WithMessage("AddTimeout waits up to 5 s, longer than the budget of 2 s for dependency 'payments' (operability.json); lower it"),
                    Diagnostic(1).WithArguments("HttpTimeoutStrategyOptions.Timeout", "3 s", "2 s", " for dependency 'payments' (operability.json)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task GlobalBudget_AppliesToAnyClient_Reports()
        {
            const string source = Usings + """
                public sealed class Worker
                {
                    private static readonly HttpClient Client = new HttpClient { Timeout = {|#0:TimeSpan.FromMinutes(2)|} };

                    public static ResiliencePipeline Pipeline() =>
                        new ResiliencePipelineBuilder().AddTimeout(new TimeoutStrategyOptions { Timeout = {|#1:TimeSpan.FromSeconds(45)|} }).Build();
                }
                """;
            await Create(source, manifest: false)
                .WithEditorConfig("operability.OPS107.budget_seconds = 1.5")
                .Expect(
                    Diagnostic(0).WithMessage("HttpClient.Timeout waits up to 120 s, longer than the budget of 1.5 s (operability.OPS107.budget_seconds); lower it"),
                    Diagnostic(1).WithArguments("TimeoutStrategyOptions.Timeout", "45 s", "1.5 s", " (operability.OPS107.budget_seconds)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task DependencyBudgetAndGlobalBudget_DependencyWins()
        {
            await Registration("""
                        services.AddHttpClient("payments", c => c.Timeout = {|#0:TimeSpan.FromSeconds(10)|});
                        services.AddHttpClient("catalog-api", c => c.Timeout = TimeSpan.FromSeconds(1));
                        services.AddHttpClient("identity", c => c.Timeout = {|#1:TimeSpan.FromSeconds(90)|});
                        services.AddHttpClient("github", c => c.Timeout = TimeSpan.FromSeconds(30));
                """)
                .WithEditorConfig("operability.OPS107.budget_seconds = 60")
                .Expect(
                    Diagnostic(0).WithArguments("HttpClient.Timeout", "10 s", "2 s", " for dependency 'payments' (operability.json)"),
                    Diagnostic(1).WithArguments("HttpClient.Timeout", "90 s", "60 s", " (operability.OPS107.budget_seconds)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task DependencyBudgetLargerThanGlobal_DependencyWins_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient(\"payments\", c => c.Timeout = TimeSpan.FromSeconds(1.5));")
                .WithEditorConfig("operability.OPS107.budget_seconds = 1")
                .VerifyAsync();
        }

        [Fact]
        public async Task NoBudgetKnown_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient(\"payments\", c => c.Timeout = TimeSpan.FromSeconds(300));", manifest: false)
                .VerifyAsync();
        }

        [Fact]
        public async Task NonConstantValues_NoDiagnostic()
        {
            const string source = Usings + """
                public sealed class HttpSettings { public int TimeoutSeconds { get; set; } = 30; public TimeSpan Timeout { get; set; } }

                public static class Startup
                {
                    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

                    public static void Configure(IServiceCollection services, HttpSettings settings, double seconds)
                    {
                        services.AddHttpClient("payments", c => c.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds));
                        services.AddHttpClient("payments", c => c.Timeout = settings.Timeout);
                        services.AddHttpClient("payments", c => c.Timeout = Long);
                        services.AddHttpClient("payments", c => c.Timeout = new TimeSpan(0, 0, (int)seconds));
                        services.AddHttpClient("payments").AddResilienceHandler("p", b => b.AddTimeout(TimeSpan.FromSeconds(seconds)));
                    }
                }
                """;
            await Create(source).WithEditorConfig("operability.OPS107.budget_seconds = 1").VerifyAsync();
        }

        [Fact]
        public async Task ConstantFieldValue_IsCompared()
        {
            const string source = Usings + """
                public static class Startup
                {
                    private const int PaymentsTimeoutSeconds = 20;

                    public static void Configure(IServiceCollection services) =>
                        services.AddHttpClient("payments", c => c.Timeout = {|#0:TimeSpan.FromSeconds(PaymentsTimeoutSeconds)|});
                }
                """;
            await Create(source).Expect(Diagnostic().WithArguments("HttpClient.Timeout", "20 s", "2 s", " for dependency 'payments' (operability.json)")).VerifyAsync();
        }

        [Fact]
        public async Task InfiniteTimeouts_LeftToOps102_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient("payments", c => c.Timeout = Timeout.InfiniteTimeSpan);
                        services.AddHttpClient("payments", c => c.Timeout = TimeSpan.FromMilliseconds(-1));
                        services.AddHttpClient("payments", c => c.Timeout = TimeSpan.MaxValue);
                        services.AddHttpClient("payments", c => c.Timeout = TimeSpan.Zero);
                """)
                .WithEditorConfig("operability.OPS107.budget_seconds = 1")
                .VerifyAsync();
        }

        [Fact]
        public async Task GrpcDeadline_AboveDependencyBudget_Reports()
        {
            const string source = Usings + """
                using Grpc.Core;
                using Payments.V1;

                public sealed class CheckoutService(Payments.V1.Payments.PaymentsClient payments, Greet.Greeter.GreeterClient greeter)
                {
                    public async Task PayAsync(CancellationToken ct)
                    {
                        await payments.AuthorizeAsync(new AuthorizeRequest(), deadline: {|#0:DateTime.UtcNow.AddSeconds(30)|}, cancellationToken: ct);
                        await payments.AuthorizeAsync(new AuthorizeRequest(), new CallOptions(deadline: {|#1:DateTime.UtcNow.Add(TimeSpan.FromSeconds(5))|}));
                        await payments.AuthorizeAsync(new AuthorizeRequest(), new CallOptions().WithDeadline({|#2:DateTime.UtcNow + TimeSpan.FromMilliseconds(2500)|}));
                        await payments.AuthorizeAsync(new AuthorizeRequest(), deadline: DateTime.UtcNow.AddMilliseconds(2000));
                        await greeter.SayHelloAsync(new Greet.HelloRequest(), deadline: DateTime.UtcNow.AddMinutes(5));
                    }
                }
                """;
            var test = Create(source);
            test.TestState.Sources.Add(("/0/obj/Protos/Grpc.cs", GrpcTestClients.GeneratedFile));
            await test
                .Expect(
                    Diagnostic(0).WithMessage("PaymentsClient.AuthorizeAsync waits up to 30 s, longer than the budget of 2 s for dependency 'payments' (operability.json); lower it"),
                    Diagnostic(1).WithArguments("PaymentsClient.AuthorizeAsync", "5 s", "2 s", " for dependency 'payments' (operability.json)"),
                    Diagnostic(2).WithArguments("PaymentsClient.AuthorizeAsync", "2.5 s", "2 s", " for dependency 'payments' (operability.json)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task GrpcDeadline_GlobalBudget_InTopLevelStatements_Reports()
        {
            const string source = """
                using System;
                using Grpc.Net.Client;
                using Greet;

                using var channel = GrpcChannel.ForAddress("https://localhost:5001");
                var client = new Greeter.GreeterClient(channel);
                var reply = await client.SayHelloAsync(new HelloRequest(), deadline: {|#0:DateTime.UtcNow.AddSeconds(45)|});
                Console.WriteLine(reply.Message);
                """;
            var test = Create(source, manifest: false).WithEditorConfig("operability.OPS107.budget_seconds = 10");
            test.TestState.Sources.Add(("/0/obj/Protos/Grpc.cs", GrpcTestClients.GeneratedFile));
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.Expect(Diagnostic().WithArguments("GreeterClient.SayHelloAsync", "45 s", "10 s", " (operability.OPS107.budget_seconds)")).VerifyAsync();
        }

        [Fact]
        public async Task GrpcRegistration_ConfigureHttpClientTimeout_MatchesDependency()
        {
            var test = Registration("        services.AddGrpcClient<Payments.V1.Payments.PaymentsClient>().ConfigureHttpClient(c => c.Timeout = {|#0:TimeSpan.FromSeconds(3)|});");
            test.TestState.Sources.Add(("/0/obj/Protos/Grpc.cs", GrpcTestClients.GeneratedFile));
            await test.Expect(Diagnostic().WithArguments("HttpClient.Timeout", "3 s", "2 s", " for dependency 'payments' (operability.json)")).VerifyAsync();
        }

        [Fact]
        public async Task ClientDefaults_UseGlobalBudgetOnly()
        {
            await Registration("        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(o => o.TotalRequestTimeout.Timeout = {|#0:TimeSpan.FromSeconds(20)|}));")
                .WithEditorConfig("operability.OPS107.budget_seconds = 15")
                .Expect(Diagnostic().WithArguments("HttpStandardResilienceOptions.TotalRequestTimeout.Timeout", "20 s", "15 s", " (operability.OPS107.budget_seconds)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task LocalFunctionInsideRegistrationLambda_UsesDependencyBudget()
        {
            const string body = """
                        services.AddHttpClient("payments").AddResilienceHandler("p", (pipeline, context) =>
                        {
                            Configure(pipeline);

                            void Configure(ResiliencePipelineBuilder<HttpResponseMessage> b) => b.AddTimeout({|#0:TimeSpan.FromSeconds(4)|});
                        });
                """;
            await Registration(body)
                .WithEditorConfig("operability.OPS107.budget_seconds = 3")
                .Expect(Diagnostic().WithArguments("AddTimeout", "4 s", "2 s", " for dependency 'payments' (operability.json)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task MalformedManifest_FallsBackToGlobalBudget_NoCrash()
        {
            var test = Registration("        services.AddHttpClient(\"payments\", c => c.Timeout = {|#0:TimeSpan.FromSeconds(10)|});", manifest: false)
                .WithAdditionalFile("operability.json", "{ \"service\": \"ordering\", \"dependencies\": [ { \"name\": \"payments\", \"timeout\": \"soon\" } ")
                .WithEditorConfig("operability.OPS107.budget_seconds = 5");
            await test.Expect(Diagnostic().WithArguments("HttpClient.Timeout", "10 s", "5 s", " (operability.OPS107.budget_seconds)")).VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_NoDiagnostic()
        {
            var test = Create(Usings + "public static class Empty { }\n").WithEditorConfig("operability.OPS107.budget_seconds = 1");
            test.TestState.Sources.Add(("/0/Clients.g.cs", Usings + "public static class Generated { public static HttpClient Create() => new HttpClient { Timeout = TimeSpan.FromSeconds(100) }; }\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TestProject_NoDiagnosticByDefault()
        {
            await Registration("        services.AddHttpClient(\"payments\", c => c.Timeout = TimeSpan.FromSeconds(30));")
                .WithProperty("IsTestProject", "true")
                .VerifyAsync();
        }

        [Fact]
        public async Task TestProject_OptedIn_Reports()
        {
            await Registration("        services.AddHttpClient(\"payments\", c => c.Timeout = {|#0:TimeSpan.FromSeconds(30)|});")
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .Expect(Diagnostic().WithArguments("HttpClient.Timeout", "30 s", "2 s", " for dependency 'payments' (operability.json)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_NoCrash()
        {
            var test = Registration("""
                        services.AddHttpClient("payments", c => c.Timeout = TimeSpan.FromSeconds();
                        services.AddHttpClient(c => c.Timeout = new TimeSpan(1, 2));
                        new HttpClient { Timeout = TimeSpan.FromSeconds(
                """).WithEditorConfig("operability.OPS107.budget_seconds = 1");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.VerifyAsync();
        }
    }
}
