using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.FailureDesign;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.FailureDesign.HealthEndpointAnalyzer>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class HealthEndpointAnalyzerTests
    {
        private const string NoHealthMessage = "Web service 'TestProject' maps no health endpoint; call app.MapHealthChecks(\"/health\") (with builder.Services.AddHealthChecks()) or app.MapOperability()";
        private const string NoShutterMessage = "Web service 'TestProject' maps no shutter; call app.MapOperability() so the service can be closed to users with a friendly page during an incident";

        private const string Usings = "using Microsoft.AspNetCore.Builder;\nusing Microsoft.AspNetCore.Http;\nusing Microsoft.Extensions.DependencyInjection;\n";

        // The Operability runtime's entry point, as the service sees it.
        private const string OperabilityRuntime = """

            namespace Operability.AspNetCore
            {
                public static class OperabilityEndpointRouteBuilderExtensions
                {
                    public static Microsoft.AspNetCore.Builder.WebApplication MapOperability(this Microsoft.AspNetCore.Builder.WebApplication app) => app;
                }
            }
            """;

        private static Test WebService(string program, params string[] moreSources)
        {
            var test = new Test { TestCode = Usings + program, ReferenceAssemblies = References.None };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.TestState.AdditionalReferences.AddRange(References.Web());
            foreach (var source in moreSources)
            {
                test.TestState.Sources.Add(source);
            }

            return test.WithProperty("UsingMicrosoftNETSdkWeb", "true").WithProperty("OutputType", "Exe");
        }

        private static DiagnosticResult NoHealth(int marker = 0) =>
            new DiagnosticResult(RuleIds.NoHealthEndpoint, DiagnosticSeverity.Warning).WithLocation(marker).WithMessage(NoHealthMessage);

        private static DiagnosticResult NoShutter(int marker = 0) =>
            new DiagnosticResult(RuleIds.NoShutter, DiagnosticSeverity.Info).WithLocation(marker).WithMessage(NoShutterMessage);

        [Fact]
        public async Task TopLevelProgram_MappingNothing_ReportsBothAtBuild()
        {
            await WebService("""
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                app.MapGet("/", () => "hello");
                app.Run();
                """)
                .Expect(NoHealth(), NoShutter())
                .VerifyAsync();
        }

        [Fact]
        public async Task ClassicMain_MappingNothing_ReportsAtBuildInMain()
        {
            await WebService("""
                public static class Program
                {
                    public static void Main(string[] args)
                    {
                        var app = WebApplication.CreateBuilder(args).{|#0:Build()|};
                        app.MapGet("/", () => "hello");
                        app.Run();
                    }
                }
                """)
                .Expect(NoHealth(), NoShutter())
                .VerifyAsync();
        }

        [Fact]
        public async Task MapHealthChecks_NoOps401_ShutterStillMissing()
        {
            await WebService("""
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();
                var app = builder.{|#0:Build()|};
                app.MapHealthChecks("/health");
                app.Run();
                """)
                .Expect(NoShutter())
                .VerifyAsync();
        }

        [Fact]
        public async Task UseHealthChecksMiddleware_NoOps401()
        {
            await WebService("""
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();
                var app = builder.{|#0:Build()|};
                app.UseHealthChecks("/health");
                app.Run();
                """)
                .Expect(NoShutter())
                .VerifyAsync();
        }

        [Fact]
        public async Task MapOperability_NoDiagnostic()
        {
            await WebService("""
                using Operability.AspNetCore;
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.MapOperability();
                app.Run();
                """, OperabilityRuntime)
                .VerifyAsync();
        }

        // The shape of .NET Aspire's ServiceDefaults Extensions.cs: health endpoints mapped by MapDefaultEndpoints.
        [Fact]
        public async Task AspireMapDefaultEndpoints_NoOps401()
        {
            const string serviceDefaults = """
                using Microsoft.AspNetCore.Builder;
                using Microsoft.Extensions.Hosting;

                namespace Microsoft.Extensions.Hosting
                {
                    public static class Extensions
                    {
                        public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder => builder;

                        public static WebApplication MapDefaultEndpoints(this WebApplication app)
                        {
                            if (app.Environment.IsDevelopment())
                            {
                                app.MapHealthChecks("/health");
                            }

                            return app;
                        }
                    }
                }
                """;
            await WebService("""
                using Microsoft.Extensions.Hosting;
                var builder = WebApplication.CreateBuilder(args);
                builder.AddServiceDefaults();
                var app = builder.{|#0:Build()|};
                app.MapDefaultEndpoints();
                app.Run();
                """, serviceDefaults)
                .Expect(NoShutter())
                .VerifyAsync();
        }

        [Fact]
        public async Task HealthMappedInOwnHelper_NoOps401()
        {
            await WebService("""
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                app.MapPlatformEndpoints();
                app.Run();

                static class Endpoints
                {
                    public static void MapPlatformEndpoints(this WebApplication app) => app.MapHealthChecks("/healthz");
                }
                """)
                .Expect(NoShutter())
                .VerifyAsync();
        }

        [Fact]
        public async Task OptionListedMethods_CountAsHealthAndShutter()
        {
            await WebService("""
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.MapStatus();
                app.MapClosedPage();
                app.Run();

                static class Endpoints
                {
                    public static void MapStatus(this WebApplication app) => app.MapGet("/status", () => "ok");
                    public static void MapClosedPage(this WebApplication app) => app.MapGet("/closed", () => "closed");
                }
                """)
                .WithEditorConfig("operability.OPS401.health_endpoint_methods = MapStatus, MapProbe")
                .WithEditorConfig("operability.OPS402.shutter_methods = MapClosedPage")
                .VerifyAsync();
        }

        [Fact]
        public async Task HelperFromAnotherAssemblyThatUsesHealthChecks_Silent()
        {
            var test = WebService("""
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                Platform.Endpoints.MapPlatform(app);
                app.Run();
                """);
            test.TestState.AdditionalProjects["Platform"].Sources.Add("""
                using Microsoft.AspNetCore.Builder;

                namespace Platform
                {
                    public static class Endpoints
                    {
                        public static void MapPlatform(WebApplication app) => app.MapHealthChecks("/health");
                    }
                }
                """);
            test.TestState.AdditionalProjects["Platform"].AdditionalReferences.AddRange(References.Web());
            test.TestState.AdditionalProjectReferences.Add("Platform");
            await test.Expect(NoShutter()).VerifyAsync();
        }

        [Fact]
        public async Task NoVisibleBuild_NoDiagnostic()
        {
            await WebService("""
                public static class Startup
                {
                    public static void Configure(IApplicationBuilder app) => app.UseRouting();
                }

                public static class Program
                {
                    public static void Main() { }
                }
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task WorkerServiceNotWeb_NoDiagnostic()
        {
            var test = WebService("""
                var app = WebApplication.CreateBuilder(args).Build();
                app.Run();
                """);
            test.BuildProperties.Remove("UsingMicrosoftNETSdkWeb");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TestProject_NoDiagnostic()
        {
            await WebService("""
                var app = WebApplication.CreateBuilder(args).Build();
                app.Run();
                """)
                .WithProperty("IsTestProject", "true")
                .VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_IsNotAnAnchor()
        {
            var test = WebService("public static class Program { public static void Main() { } }");
            test.TestState.Sources.Add(("Program.g.cs", "// <auto-generated/>\n" + Usings + "public static class Generated { public static void Start() { var app = WebApplication.CreateBuilder().Build(); app.Run(); } }\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task CiBuild_RaisesOps401ToError_Ops402StaysInfo()
        {
            await WebService("""
                var app = WebApplication.CreateBuilder(args).{|#0:Build()|};
                app.Run();
                """)
                .WithProperty("OperabilityCiErrors", "OPS401,OPS402")
                .Expect(
                    new DiagnosticResult(RuleIds.NoHealthEndpoint, DiagnosticSeverity.Error).WithLocation(0).WithMessage(NoHealthMessage),
                    NoShutter())
                .VerifyAsync();
        }
    }
}
