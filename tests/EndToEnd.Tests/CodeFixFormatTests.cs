using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The code fixes as <c>dotnet format</c> runs them (fix-all in solution scope, through the MSBuild workspace) on
    /// consumer projects that reference the packed package and violate every fixable rule.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class CodeFixFormatTests
    {
        private static readonly string[] FixableRules = { "OPS101", "OPS102", "OPS103", "OPS104", "OPS105", "OPS106", "OPS201", "OPS301", "OPS401" };
        private static readonly Regex FixableDiagnostic = new(@"\b(warning|error) OPS(10[1-6]|201|301)\b");
        private static readonly Dictionary<string, string> LocalBuild = new();

        private readonly PackageFeedFixture _feed;

        public CodeFixFormatTests(PackageFeedFixture feed) => _feed = feed;

        // Just the unary call of a generated gRPC client (GreetGrpc.cs), enough for OPS106.
        private const string GreeterClient = """
            #nullable disable
            #pragma warning disable CS8981 // the generator's lower-case alias
            namespace Greet
            {
                using grpc = global::Grpc.Core;

                public sealed class HelloRequest { public string Name { get; set; } = ""; }
                public sealed class HelloReply { public string Message { get; set; } = ""; }

                public static partial class Greeter
                {
                    static readonly grpc::Marshaller<HelloRequest> __Marshaller_HelloRequest = grpc::Marshallers.Create((HelloRequest m) => new byte[0], (byte[] b) => new HelloRequest());
                    static readonly grpc::Marshaller<HelloReply> __Marshaller_HelloReply = grpc::Marshallers.Create((HelloReply m) => new byte[0], (byte[] b) => new HelloReply());
                    static readonly grpc::Method<HelloRequest, HelloReply> __Method_SayHello = new grpc::Method<HelloRequest, HelloReply>(grpc::MethodType.Unary, "greet.Greeter", "SayHello", __Marshaller_HelloRequest, __Marshaller_HelloReply);

                    public partial class GreeterClient : grpc::ClientBase<GreeterClient>
                    {
                        public GreeterClient(grpc::CallInvoker callInvoker) : base(callInvoker) { }
                        protected GreeterClient(ClientBaseConfiguration configuration) : base(configuration) { }

                        public virtual grpc::AsyncUnaryCall<HelloReply> SayHelloAsync(HelloRequest request, grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))
                        {
                            return SayHelloAsync(request, new grpc::CallOptions(headers, deadline, cancellationToken));
                        }
                        public virtual grpc::AsyncUnaryCall<HelloReply> SayHelloAsync(HelloRequest request, grpc::CallOptions options)
                        {
                            return CallInvoker.AsyncUnaryCall(__Method_SayHello, null, options, request);
                        }
                        protected override GreeterClient NewInstance(ClientBaseConfiguration configuration)
                        {
                            return new GreeterClient(configuration);
                        }
                    }
                }
            }
            """;

        private const string ApiProgram = """
            using Polly;
            using Polly.Retry;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddHttpClient("payments");
            var app = builder.Build();
            app.MapGet("/", () => "hello");
            app.Run();

            public static class Outbound
            {
                public static void Probe()
                {
                    var client = new HttpClient();
                    client.CancelPendingRequests();
                }

                public static void Unbounded(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;

                public static ResiliencePipeline Pipeline() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();

                public static void Drain(Task first, Task second)
                {
                    first.Wait();
                    second.Wait();
                }

                public static async Task<string> GreetAsync(Greet.Greeter.GreeterClient client) =>
                    (await client.SayHelloAsync(new Greet.HelloRequest { Name = "orders" })).Message;
            }
            """;

        private const string ReportsProgram = """
            var builder = WebApplication.CreateBuilder(args);
            var archive = builder.Configuration.GetConnectionString("ReportsArchive");
            var again = builder.Configuration.GetConnectionString("ReportsArchive");
            var cache = builder.Configuration.GetConnectionString("ReportsCache");
            var app = builder.Build();
            app.MapGet("/", () => archive + again + cache);
            app.Run();
            """;

        private const string ReportsManifest = """
            {
              "service": "reports",
              "owner": "team-reports",
              "availability": { "target": 99.9 },
              "runbook": "RUNBOOK.md"
            }
            """;

        [Fact]
        public void DotnetFormat_FixesEveryFixableRule_AndTheResultBuildsWithoutThem()
        {
            using var folder = new ScratchFolder("format-fix-all");
            WriteProject(folder, "Shop.Api", """
                <PackageReference Include="Polly.Core" Version="8.9.1" />
                    <PackageReference Include="Grpc.Net.Client" Version="2.85.0" />
                """);
            folder.Write("Shop.Api/Program.cs", ApiProgram);
            folder.Write("Shop.Api/GreetGrpc.cs", GreeterClient);
            WriteProject(folder, "Shop.Worker");
            folder.Write("Shop.Worker/Program.cs", "var app = WebApplication.CreateBuilder(args).Build();\napp.Run();\n");
            WriteProject(folder, "Shop.Reports");
            folder.Write("Shop.Reports/Program.cs", ReportsProgram);
            folder.Write("Shop.Reports/operability.json", ReportsManifest);
            folder.Write("Shop.Reports/RUNBOOK.md", "# Reports runbook\n");
            Run(folder, "new", "sln", "-n", "Shop", "--format", "sln");
            Run(folder, "sln", "Shop.sln", "add", "Shop.Api/Shop.Api.csproj", "Shop.Worker/Shop.Worker.csproj", "Shop.Reports/Shop.Reports.csproj");

            var before = Dotnet.Run(folder.Path, LocalBuild, "build", "Shop.sln", "-nologo");
            var format = Dotnet.Run(folder.Path, LocalBuild, new[] { "format", "analyzers", "Shop.sln", "--diagnostics" }.Concat(FixableRules).Concat(new[] { "--severity", "info", "--no-restore", "-v", "n" }).ToArray());
            var after = Dotnet.Run(folder.Path, LocalBuild, "build", "Shop.sln", "-nologo", "--no-incremental");

            // OPS102 is an error by default, so the build before the fixes fails.
            Assert.True(before.ExitCode != 0, before.ToString());
            foreach (var rule in FixableRules)
            {
                Assert.Matches(new Regex(@"\b(warning|error) " + rule + @"\b"), before.Output);
            }

            Assert.True(format.ExitCode == 0, format.ToString());
            Assert.DoesNotContain("Unable to fix", format.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Failed to apply", format.Output, StringComparison.Ordinal);

            var api = File.ReadAllText(Path.Combine(folder.Path, "Shop.Api", "Program.cs"));
            Assert.Contains("builder.Services.AddHttpClient(\"payments\").ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(30));", api, StringComparison.Ordinal);
            Assert.Contains("var client = new HttpClient() { Timeout = TimeSpan.FromSeconds(30) };", api, StringComparison.Ordinal);
            Assert.Contains("public static void Unbounded(HttpClient client) => client.Timeout = TimeSpan.FromSeconds(30);", api, StringComparison.Ordinal);
            Assert.Contains(".AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(10)).Build();", api, StringComparison.Ordinal);
            Assert.Contains("if (!first.Wait(TimeSpan.FromSeconds(30)))", api, StringComparison.Ordinal);
            Assert.Contains("if (!second.Wait(TimeSpan.FromSeconds(30)))", api, StringComparison.Ordinal);
            Assert.Contains("new Greet.HelloRequest { Name = \"orders\" }, deadline: DateTime.UtcNow.AddSeconds(10)", api, StringComparison.Ordinal);

            // One starter manifest per service that had none, beside its project file.
            Assert.Contains("\"service\": \"shop-api\"", ReadManifest(folder, "Shop.Api"), StringComparison.Ordinal);
            Assert.Contains("\"service\": \"shop-worker\"", ReadManifest(folder, "Shop.Worker"), StringComparison.Ordinal);

            // Every flagged database declared once, the rest of the manifest as it was.
            Assert.Equal(
                ReportsManifest.Replace("\"runbook\": \"RUNBOOK.md\"", "\"runbook\": \"RUNBOOK.md\",\n  \"databases\": [ { \"name\": \"ReportsArchive\", \"connectionStrings\": [\"ReportsArchive\"] }, { \"name\": \"ReportsCache\", \"connectionStrings\": [\"ReportsCache\"] } ]", StringComparison.Ordinal),
                ReadManifest(folder, "Shop.Reports"));

            // OPS401: health checks registered before Build() and mapped after it. The worker builds its application in
            // one expression, with no builder to register health checks on (mapping them unregistered fails at
            // start), so it gets no fix and keeps the warning.
            const string healthEndpoint = "builder.Services.AddHealthChecks();\nvar app = builder.Build();\napp.MapHealthChecks(\"/health\");\n";
            Assert.Contains(healthEndpoint, api, StringComparison.Ordinal);
            Assert.Contains(healthEndpoint, File.ReadAllText(Path.Combine(folder.Path, "Shop.Reports", "Program.cs")), StringComparison.Ordinal);
            var noHealth = Regex.Matches(after.Output, @"(\S+)\(\d+,\d+\): warning OPS401\b").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.True(noHealth.Count > 0 && noHealth.All(path => path.Contains("Shop.Worker", StringComparison.Ordinal)), after.ToString());

            Assert.True(after.ExitCode == 0, after.ToString());
            Assert.DoesNotMatch(FixableDiagnostic, after.Output);
        }

        private void WriteProject(ScratchFolder folder, string name, string extraReferences = "")
        {
            folder.Write($"{name}/{name}.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    {extraReferences}
                    <PackageReference Include="Operability.Analyzers" Version="{_feed.AnalyzersVersion}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
        }

        private static string ReadManifest(ScratchFolder folder, string project) =>
            File.ReadAllText(Path.Combine(folder.Path, project, "operability.json")).TrimStart('\uFEFF');

        private static void Run(ScratchFolder folder, params string[] arguments)
        {
            var result = Dotnet.Run(folder.Path, LocalBuild, arguments);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }
}
