using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.GrpcDeadlineAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed class GrpcDeadlineAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing Grpc.Core;\nusing Greet;\nusing Microsoft.Extensions.DependencyInjection;\n";

        // A caller as services write them: the generated client injected (AddGrpcClient) into a class.
        private static Test Caller(string body, string? registration = null)
        {
            var source = Usings + """
                public sealed class GreetingService
                {
                    private readonly Greeter.GreeterClient _client;

                    public GreetingService(Greeter.GreeterClient client) => _client = client;

                    public async Task<string> GreetAsync(string name, CancellationToken cancellationToken)
                    {

                """ + body + """

                        return "";
                    }
                }
                """;
            if (registration is not null)
            {
                source += "\npublic static class Registration\n{\n    public static void Add(IServiceCollection services)\n    {\n        " + registration + "\n    }\n}\n";
            }

            return Create(source);
        }

        private static Test Create(string source)
        {
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.Sources.Add(("/0/obj/Protos/GreetGrpc.cs", GrpcTestClients.GeneratedFile));
            test.TestState.AdditionalReferences.AddRange(References.Runtime(GrpcTestClients.References));
            return test;
        }

        private static DiagnosticResult Diagnostic(int location = 0) =>
            new DiagnosticResult(RuleIds.GrpcCallWithoutDeadline, DiagnosticSeverity.Warning).WithLocation(location);

        [Fact]
        public async Task UnaryAsync_WithoutDeadline_ReportsWithClientAndMethod()
        {
            await Caller("        var reply = await _client.{|#0:SayHelloAsync(new HelloRequest { Name = name })|};")
                .Expect(Diagnostic().WithMessage("'GreeterClient.SayHelloAsync' is called without a deadline; pass 'deadline:' or CallOptions with a deadline, or set one for the client's registration"))
                .VerifyAsync();
        }

        [Fact]
        public async Task UnaryBlocking_WithCancellationTokenOnly_Reports()
        {
            await Caller("        var reply = _client.{|#0:SayHello(new HelloRequest(), cancellationToken: cancellationToken)|};")
                .Expect(Diagnostic().WithArguments("GreeterClient.SayHello"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ExplicitNullDeadline_Reports()
        {
            await Caller("        await _client.{|#0:SayHelloAsync(new HelloRequest(), null, null, cancellationToken)|};\n        await _client.{|#1:SayHelloAsync(new HelloRequest(), deadline: default)|};")
                .Expect(Diagnostic(0).WithArguments("GreeterClient.SayHelloAsync"), Diagnostic(1).WithArguments("GreeterClient.SayHelloAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task DeadlinePassed_NoDiagnostic()
        {
            await Caller("""
                        await _client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
                        await _client.SayHelloAsync(new HelloRequest(), null, DateTime.UtcNow.AddSeconds(5));
                        DateTime? deadline = DateTime.UtcNow.AddSeconds(2);
                        _client.SayHello(new HelloRequest(), deadline: deadline);
                """).VerifyAsync();
        }

        [Fact]
        public async Task NewCallOptionsWithoutDeadline_Reports()
        {
            await Caller("""
                        await _client.{|#0:SayHelloAsync(new HelloRequest(), new CallOptions())|};
                        await _client.{|#1:SayHelloAsync(new HelloRequest(), new CallOptions(headers: new Metadata { { "x-tenant", "a" } }, cancellationToken: cancellationToken))|};
                        await _client.{|#2:SayHelloAsync(new HelloRequest(), default(CallOptions))|};
                        await _client.{|#3:SayHelloAsync(new HelloRequest(), new CallOptions().WithHeaders(new Metadata()))|};
                """)
                .Expect(Diagnostic(0).WithArguments("GreeterClient.SayHelloAsync"), Diagnostic(1).WithArguments("GreeterClient.SayHelloAsync"), Diagnostic(2).WithArguments("GreeterClient.SayHelloAsync"), Diagnostic(3).WithArguments("GreeterClient.SayHelloAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task CallOptionsWithDeadline_NoDiagnostic()
        {
            await Caller("""
                        await _client.SayHelloAsync(new HelloRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(3)));
                        await _client.SayHelloAsync(new HelloRequest(), new CallOptions(null, DateTime.UtcNow.AddSeconds(3), cancellationToken));
                        await _client.SayHelloAsync(new HelloRequest(), new CallOptions().WithDeadline(DateTime.UtcNow.AddSeconds(3)));
                        await _client.SayHelloAsync(new HelloRequest(), new CallOptions(headers: new Metadata()).WithDeadline(DateTime.UtcNow.AddSeconds(3)).WithCancellationToken(cancellationToken));
                """).VerifyAsync();
        }

        [Fact]
        public async Task CallOptionsFromVariableParameterOrMethod_NoDiagnostic()
        {
            const string source = Usings + """
                public sealed class GreetingService
                {
                    private readonly Greeter.GreeterClient _client;
                    private readonly CallOptions _options;

                    public GreetingService(Greeter.GreeterClient client, CallOptions options) { _client = client; _options = options; }

                    public async Task GreetAsync(CallOptions options)
                    {
                        var local = Options();
                        await _client.SayHelloAsync(new HelloRequest(), options);
                        await _client.SayHelloAsync(new HelloRequest(), _options);
                        await _client.SayHelloAsync(new HelloRequest(), local);
                        await _client.SayHelloAsync(new HelloRequest(), Options());
                    }

                    private static CallOptions Options() => new CallOptions(deadline: DateTime.UtcNow.AddSeconds(1));
                }
                """;
            await Create(source).VerifyAsync();
        }

        [Fact]
        public async Task PropagationToken_CarriesTheIncomingDeadline_NoDiagnostic()
        {
            const string source = Usings + """
                public sealed class Relay
                {
                    public async Task RelayAsync(Greeter.GreeterClient client, ServerCallContext context)
                    {
                        await client.SayHelloAsync(new HelloRequest(), new CallOptions(propagationToken: context.CreatePropagationToken()));
                        await client.SayHelloAsync(new HelloRequest(), new CallOptions().WithPropagationToken(context.CreatePropagationToken()));
                    }
                }
                """;
            await Create(source).VerifyAsync();
        }

        [Fact]
        public async Task ServerStreaming_WithoutDeadline_Reports()
        {
            const string body = """
                        using var call = _client.{|#0:SayHellos(new HelloRequest(), cancellationToken: cancellationToken)|};
                        await foreach (var reply in call.ResponseStream.ReadAllAsync(cancellationToken)) { }
                """;
            await Caller(body).Expect(Diagnostic().WithArguments("GreeterClient.SayHellos")).VerifyAsync();
        }

        [Fact]
        public async Task DuplexStreaming_WithoutDeadline_Reports()
        {
            await Caller("        using var call = _client.{|#0:Chat()|};")
                .Expect(Diagnostic().WithArguments("GreeterClient.Chat"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Streaming_ExcludedByOption_NoDiagnostic()
        {
            await Caller("        using var call = _client.SayHellos(new HelloRequest());\n        using var chat = _client.Chat();\n        await _client.{|#0:SayHelloAsync(new HelloRequest())|};")
                .WithEditorConfig("operability.OPS106.include_streaming = false")
                .Expect(Diagnostic().WithArguments("GreeterClient.SayHelloAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RegistrationWithoutDeadline_StillReports()
        {
            await Caller("        await _client.{|#0:SayHelloAsync(new HelloRequest())|};", "services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri(\"https://greeter\")).ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler());")
                .Expect(Diagnostic().WithArguments("GreeterClient.SayHelloAsync"))
                .VerifyAsync();
        }

        [Theory]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri(\"https://greeter\")).AddStandardResilienceHandler();")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri(\"https://greeter\")).ConfigureChannel(c => c.MaxRetryAttempts = 3);")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor<DeadlineInterceptor>();")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor(() => new DeadlineInterceptor());")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor<GrpcExceptionInterceptor>().AddInterceptor(sp => new DeadlineInterceptor());")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>(o => o.Interceptors.Add(new DeadlineInterceptor()));")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddResilienceHandler(\"greeter\", b => Polly.TimeoutResiliencePipelineBuilderExtensions.AddTimeout(b, TimeSpan.FromSeconds(2)));")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().EnableCallContextPropagation();")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>(o => o.CallOptionsActions.Add(c => c.CallOptions = c.CallOptions.WithDeadline(DateTime.UtcNow.AddSeconds(5))));")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddCompanyDeadlines();")]
        [InlineData("var builder = services.AddGrpcClient<Greeter.GreeterClient>();")]
        [InlineData("services.AddGrpcClient<GreeterClient>(o => o.Address = new Uri(\"https://greeter\")).AddStandardResilienceHandler();")]
        public async Task RegistrationThatSetsOrMaySetDeadline_NoDiagnostic(string registration)
        {
            var test = Caller("        await _client.SayHelloAsync(new HelloRequest());", registration.Replace("AddGrpcClient<GreeterClient>", "AddGrpcClient<global::Greet.Greeter.GreeterClient>"));
            test.TestState.Sources.Add(("/0/Interceptors.cs", GrpcTestClients.Interceptors));
            test.TestState.Sources.Add(("/0/GrpcBuilderExtensions.cs", "using Microsoft.Extensions.DependencyInjection;\n"
                // EnableCallContextPropagation lives in Grpc.AspNetCore.Server.ClientFactory (not referenced): the analyzer reads its name only.
                + "public static class GrpcBuilderExtensions\n{\n    public static IHttpClientBuilder EnableCallContextPropagation(this IHttpClientBuilder b) => b;\n    public static IHttpClientBuilder AddCompanyDeadlines(this IHttpClientBuilder b) => b;\n}\n"));
            await test.VerifyAsync();
        }

        [Theory]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri(\"https://greeter\")).AddInterceptor<GrpcExceptionInterceptor>();")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor(() => new GrpcExceptionInterceptor());")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor<DeadlineLoggingInterceptor>();")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor<CompanyDeadlineInterceptor>();")]
        [InlineData("services.AddGrpcClient<Greeter.GreeterClient>(o => o.Interceptors.Add(new GrpcExceptionInterceptor()));")]
        public async Task RegistrationWithInterceptorThatSetsNoDeadline_Reports(string registration)
        {
            // Only an interceptor known to set a deadline counts (the same judgement as OPS103's); one that maps
            // exceptions, only reads the deadline, or merely has a promising name does not.
            var test = Caller("        await _client.{|#0:SayHelloAsync(new HelloRequest())|};", registration);
            test.TestState.Sources.Add(("/0/Interceptors.cs", GrpcTestClients.Interceptors));
            await test.Expect(Diagnostic().WithArguments("GreeterClient.SayHelloAsync")).VerifyAsync();
        }

        [Fact]
        public async Task RegistrationWithInterceptorListedInOption_NoDiagnostic()
        {
            var test = Caller("        await _client.SayHelloAsync(new HelloRequest());", "services.AddGrpcClient<Greeter.GreeterClient>().AddInterceptor<CompanyDeadlineInterceptor>();");
            test.TestState.Sources.Add(("/0/Interceptors.cs", GrpcTestClients.Interceptors));
            test.TestState.AnalyzerConfigFiles.Add(("/.operability.globalconfig", "is_global = true\noperability.timeouts.deadline_interceptors = Company.Grpc.CompanyDeadlineInterceptor\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task RegistrationOfAnotherClient_DoesNotCover()
        {
            const string source = Usings + """
                public static class Program
                {
                    public static void Register(IServiceCollection services) =>
                        services.AddGrpcClient<Payments.V1.Payments.PaymentsClient>().AddStandardResilienceHandler();

                    public static Task CallAsync(Greeter.GreeterClient greeter, Payments.V1.Payments.PaymentsClient payments) =>
                        Task.WhenAll(greeter.{|#0:SayHelloAsync(new HelloRequest())|}.ResponseAsync, payments.AuthorizeAsync(new Payments.V1.AuthorizeRequest()).ResponseAsync);
                }
                """;
            await Create(source).Expect(Diagnostic().WithArguments("GreeterClient.SayHelloAsync")).VerifyAsync();
        }

        [Fact]
        public async Task ClientDefaultsWithResilienceHandler_NoDiagnostic()
        {
            await Caller("        await _client.SayHelloAsync(new HelloRequest());", "services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());")
                .VerifyAsync();
        }

        [Fact]
        public async Task AspireServiceDefaults_NoDiagnostic()
        {
            var test = Caller("        await _client.SayHelloAsync(new HelloRequest());", "services.AddServiceDefaults();");
            test.TestState.Sources.Add(("/0/Extensions.cs", "using Microsoft.Extensions.DependencyInjection;\npublic static class Extensions { public static IServiceCollection AddServiceDefaults(this IServiceCollection s) => s; }\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ClientDefaultsMethodFromOption_NoDiagnostic()
        {
            var test = Caller("        await _client.SayHelloAsync(new HelloRequest());", "services.AddPlatformDefaults();")
                .WithEditorConfig("operability.OPS103.client_defaults_methods = AddPlatformDefaults");
            test.TestState.Sources.Add(("/0/Extensions.cs", "using Microsoft.Extensions.DependencyInjection;\npublic static class Extensions { public static IServiceCollection AddPlatformDefaults(this IServiceCollection s) => s; }\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ClientCreatedFromChannel_InTopLevelStatements_Reports()
        {
            const string source = """
                using System;
                using Grpc.Net.Client;
                using Greet;

                using var channel = GrpcChannel.ForAddress("https://localhost:5001");
                var client = new Greeter.GreeterClient(channel);
                var reply = await client.{|#0:SayHelloAsync(new HelloRequest { Name = "GreeterClient" })|};
                var again = client?.{|#1:SayHello(new HelloRequest())|};
                Console.WriteLine(reply.Message);
                """;
            var test = Create(source);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.Expect(Diagnostic(0).WithArguments("GreeterClient.SayHelloAsync"), Diagnostic(1).WithArguments("GreeterClient.SayHello")).VerifyAsync();
        }

        [Fact]
        public async Task NestedLambdaAndLocalFunction_Report()
        {
            const string body = """
                        Func<Task> send = async () => await _client.{|#0:SayHelloAsync(new HelloRequest())|};
                        await send();
                        await Local();

                        async Task Local() => await _client.{|#1:SayHelloAsync(new HelloRequest(), new CallOptions())|};
                """;
            await Caller(body).Expect(Diagnostic(0).WithArguments("GreeterClient.SayHelloAsync"), Diagnostic(1).WithArguments("GreeterClient.SayHelloAsync")).VerifyAsync();
        }

        [Fact]
        public async Task MethodsOfOtherTypesWithDeadlineParameter_NoDiagnostic()
        {
            const string source = Usings + """
                public sealed class Scheduler
                {
                    public Task RunAsync(string job, DateTime? deadline = null, CancellationToken cancellationToken = default) => Task.CompletedTask;
                    public Task SendAsync(string job, CallOptions options) => Task.CompletedTask;
                }

                public static class Jobs
                {
                    public static Task RunAsync(Scheduler scheduler) => Task.WhenAll(scheduler.RunAsync("nightly"), scheduler.SendAsync("x", new CallOptions()));
                }
                """;
            await Create(source).VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCaller_NoDiagnostic()
        {
            var test = Create(Usings + "public static class Empty { }\n");
            test.TestState.Sources.Add(("/0/Caller.g.cs", Usings + "public static class GeneratedCaller { public static Task Call(Greeter.GreeterClient c) => c.SayHelloAsync(new HelloRequest()).ResponseAsync; }\n"));
            test.TestState.Sources.Add(("/0/Other.cs", "// <auto-generated/>\n" + Usings + "public static class OtherCaller { public static Task Call(Greeter.GreeterClient c) => c.SayHelloAsync(new HelloRequest()).ResponseAsync; }\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TestProject_NoDiagnosticByDefault()
        {
            await Caller("        await _client.SayHelloAsync(new HelloRequest());")
                .WithProperty("IsTestProject", "true")
                .VerifyAsync();
        }

        [Fact]
        public async Task TestProject_OptedIn_Reports()
        {
            await Caller("        await _client.{|#0:SayHelloAsync(new HelloRequest())|};")
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .Expect(Diagnostic().WithArguments("GreeterClient.SayHelloAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_NoCrash()
        {
            var test = Caller("        await _client.SayHelloAsync(;\n        await _client.SayHelloAsync(new HelloRequest(), new CallOptions(deadline: ));\n        _client.Missing(1);\n        await _client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(1), deadline: null);");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task NoGrpcReference_NoDiagnostic()
        {
            const string source = "using System;\npublic static class P { public static void M(Func<DateTime?, int> call) => call(null); }\n";
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime());
            await test.VerifyAsync();
        }
    }
}
