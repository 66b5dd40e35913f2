using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes;
using Xunit;
using Test = Operability.Analyzers.Tests.CodeFixTest<Operability.Analyzers.GrpcDeadlineAnalyzer, Operability.Analyzers.CodeFixes.GrpcDeadlineCodeFix>;

namespace Operability.Analyzers.Tests
{
    public sealed class GrpcDeadlineCodeFixTests
    {
        // The generated client sits in the same file here (a code-fix test compares whole projects); its own
        // forwarding calls are not flagged.
        private const string Clients = "\n" + GrpcTestClients.Messages + "\n" + GrpcTestClients.Greeter + "\n";

        private static Test Fix(string source, string fixedSource, params string[] editorConfig)
        {
            var test = new Test { TestCode = source + Clients, FixedCode = fixedSource + Clients, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(GrpcTestClients.References));
            test.FixedState.AdditionalReferences.AddRange(References.Runtime(GrpcTestClients.References));
            test.EditorConfig.AddRange(editorConfig);
            test.CodeActionEquivalenceKey = GrpcDeadlineCodeFix.EquivalenceKey;
            return test;
        }

        [Fact]
        public async Task NoArguments_Fix_AddsNamedDeadlineOfTenSeconds()
        {
            const string source = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                using Greet;

                public sealed class GreetingService(Greeter.GreeterClient client)
                {
                    public async Task<string> GreetAsync(string name, CancellationToken cancellationToken)
                    {
                        var reply = await client.[|SayHelloAsync(new HelloRequest { Name = name }, cancellationToken: cancellationToken)|];
                        return reply.Message;
                    }
                }
                """;
            const string fixedSource = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                using Greet;

                public sealed class GreetingService(Greeter.GreeterClient client)
                {
                    public async Task<string> GreetAsync(string name, CancellationToken cancellationToken)
                    {
                        var reply = await client.SayHelloAsync(new HelloRequest { Name = name }, cancellationToken: cancellationToken, deadline: DateTime.UtcNow.AddSeconds(10));
                        return reply.Message;
                    }
                }
                """;
            await Fix(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task ExplicitNull_Fix_ReplacesTheValue_WithConfiguredSecondsAndQualifiedDateTime()
        {
            const string source = """
                using Greet;

                public static class Greeting
                {
                    public static HelloReply Greet(Greeter.GreeterClient client) => client.[|SayHello(new HelloRequest(), null, null)|];

                    public static HelloReply GreetNamed(Greeter.GreeterClient client) => client.[|SayHello(new HelloRequest(), deadline: null)|];
                }
                """;
            const string fixedSource = """
                using Greet;

                public static class Greeting
                {
                    public static HelloReply Greet(Greeter.GreeterClient client) => client.SayHello(new HelloRequest(), null, System.DateTime.UtcNow.AddSeconds(3));

                    public static HelloReply GreetNamed(Greeter.GreeterClient client) => client.SayHello(new HelloRequest(), deadline: System.DateTime.UtcNow.AddSeconds(3));
                }
                """;
            await Fix(source, fixedSource, "operability.OPS106.default_deadline_seconds = 3").VerifyAsync();
        }

        [Fact]
        public async Task SeveralCalls_FixAll_AddsDeadlineToEach_ButNotToCallOptions()
        {
            const string source = """
                using System;
                using System.Threading.Tasks;
                using Grpc.Core;
                using Greet;

                public static class Greeting
                {
                    public static async Task RunAsync(Greeter.GreeterClient client)
                    {
                        await client.[|SayHelloAsync(new HelloRequest())|];
                        using var stream = client.[|SayHellos(new HelloRequest())|];
                        using var chat = client.[|Chat()|];
                        await client.[|SayHelloAsync(new HelloRequest(), new CallOptions())|];
                    }
                }
                """;
            const string fixedSource = """
                using System;
                using System.Threading.Tasks;
                using Grpc.Core;
                using Greet;

                public static class Greeting
                {
                    public static async Task RunAsync(Greeter.GreeterClient client)
                    {
                        await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                        using var stream = client.SayHellos(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                        using var chat = client.Chat(deadline: DateTime.UtcNow.AddSeconds(10));
                        await client.{|OPS106:SayHelloAsync(new HelloRequest(), new CallOptions())|};
                    }
                }
                """;
            var test = Fix(source, fixedSource);
            test.NumberOfFixAllIterations = 1;
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            await test.VerifyAsync();
        }
    }
}
