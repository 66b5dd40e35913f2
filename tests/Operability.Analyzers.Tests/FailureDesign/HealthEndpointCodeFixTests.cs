using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes.FailureDesign;
using Operability.Analyzers.FailureDesign;
using Xunit;
using Test = Operability.Analyzers.Tests.CodeFixTest<Operability.Analyzers.FailureDesign.HealthEndpointAnalyzer, Operability.Analyzers.CodeFixes.FailureDesign.HealthEndpointCodeFix>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class HealthEndpointCodeFixTests
    {
        private const string Usings = "using Microsoft.AspNetCore.Builder;\nusing Microsoft.AspNetCore.Http;\nusing Microsoft.Extensions.DependencyInjection;\n";

        private static Test WebService(string before, string after, bool operability = false)
        {
            var test = new Test { TestCode = before, FixedCode = after, ReferenceAssemblies = References.None };

            // OPS401 is a compilation-end diagnostic (only the whole compilation tells that nothing maps a health
            // endpoint), which the testing library calls non-local: an IDE's light bulb does not offer fixes for it,
            // dotnet format and fix-all over the project or solution do.
            test.CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
            test.BuildProperties["UsingMicrosoftNETSdkWeb"] = "true";
            test.BuildProperties["OutputType"] = "Exe";
            foreach (var state in new[] { test.TestState, test.FixedState })
            {
                state.OutputKind = OutputKind.ConsoleApplication;
                state.AdditionalReferences.AddRange(References.Web());
                if (operability)
                {
                    state.AdditionalReferences.Add(OperabilityRuntimeReference.Value);
                }
            }

            return test;
        }

        private static DiagnosticResult NoHealth(int marker = 0, string service = "TestProject") =>
            new DiagnosticResult(RuleIds.NoHealthEndpoint, DiagnosticSeverity.Warning).WithLocation(marker).WithMessage(
                "Web service '" + service + "' maps no health endpoint; call app.MapHealthChecks(\"/health\") (with builder.Services.AddHealthChecks()) or app.MapOperability()");

        private static DiagnosticResult NoShutter(int marker = 0, string service = "TestProject") =>
            new DiagnosticResult(RuleIds.NoShutter, DiagnosticSeverity.Info).WithLocation(marker).WithMessage(
                "Web service '" + service + "' maps no shutter; call app.MapOperability() so the service can be closed to users with a friendly page during an incident");

        private static Test Expect(Test test, bool shutterAfterFix = true)
        {
            test.TestState.ExpectedDiagnostics.Add(NoHealth());
            test.TestState.ExpectedDiagnostics.Add(NoShutter());
            if (shutterAfterFix)
            {
                test.FixedState.ExpectedDiagnostics.Add(NoShutter());
            }
            else
            {
                // Nothing left to report. Left empty, the fixed state would inherit the diagnostics this fix does
                // not fix (OPS402); so it is spelled out, with the build properties the test state gets.
                test.FixedState.InheritanceMode = StateInheritanceMode.Explicit;
                test.FixedState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.MSBuildProjectDirectory = /0\nbuild_property.UsingMicrosoftNETSdkWeb = true\nbuild_property.OutputType = Exe\n"));
            }

            return test;
        }

        [Fact]
        public async Task TopLevel_NoRegistration_AddsHealthChecksBeforeBuildAndMapsAfter()
        {
            await Expect(WebService(Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                app.MapGet("/", () => "hello");
                app.Run();
                """, Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();
                var app = builder.{|#0:Build()|};
                app.MapHealthChecks("/health");
                app.MapGet("/", () => "hello");
                app.Run();
                """)).VerifyAsync();
        }

        [Fact]
        public async Task TopLevel_AddHealthChecksAlreadyPresent_OnlyMapsTheEndpoint()
        {
            await Expect(WebService(Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks().AddCheck("self", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
                // The application.
                var app = builder.{|#0:Build()|};
                app.Run();
                """, Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks().AddCheck("self", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
                // The application.
                var app = builder.{|#0:Build()|};
                app.MapHealthChecks("/health");
                app.Run();
                """)).VerifyAsync();
        }

        [Fact]
        public async Task AddHealthChecksInAnotherFile_OnlyMapsTheEndpoint()
        {
            var test = Expect(WebService(Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddPlatform();
                var app = builder.{|#0:Build()|};
                app.Run();
                """, Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddPlatform();
                var app = builder.{|#0:Build()|};
                app.MapHealthChecks("/health");
                app.Run();
                """));
            const string platform = Usings + """
                static class Platform
                {
                    public static IServiceCollection AddPlatform(this IServiceCollection services)
                    {
                        services.AddHealthChecks();
                        return services;
                    }
                }
                """;
            test.TestState.Sources.Add(("/0/Platform.cs", platform));
            test.FixedState.Sources.Add(("/0/Platform.cs", platform));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ProgramMain_AddsBothInsideMain_AtItsIndentation()
        {
            await Expect(WebService(Usings + """
                public static class Program
                {
                    public static void Main(string[] args)
                    {
                        var builder = WebApplication.CreateBuilder(args);
                        WebApplication app;
                        app = builder.{|#0:Build()|};
                        app.Run();
                    }
                }
                """, Usings + """
                public static class Program
                {
                    public static void Main(string[] args)
                    {
                        var builder = WebApplication.CreateBuilder(args);
                        WebApplication app;
                        builder.Services.AddHealthChecks();
                        app = builder.{|#0:Build()|};
                        app.MapHealthChecks("/health");
                        app.Run();
                    }
                }
                """)).VerifyAsync();
        }

        [Fact]
        public async Task MissingUsings_AreAdded()
        {
            await Expect(WebService("""
                var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                app.Run();
                """, """
                using Microsoft.Extensions.DependencyInjection;
                using Microsoft.AspNetCore.Builder;

                var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();
                var app = builder.{|#0:Build()|};
                app.MapHealthChecks("/health");
                app.Run();
                """)).VerifyAsync();
        }

        [Fact]
        public async Task BuilderNotAVariable_NoRegistration_HasNoFix()
        {
            const string program = Usings + """
                var app = WebApplication.CreateBuilder(args).{|#0:Build()|};
                app.Run();
                """;
            var test = Expect(WebService(program, program));
            test.FixedState.ExpectedDiagnostics.Insert(0, NoHealth());
            await test.VerifyAsync();
        }

        [Fact]
        public async Task BuildResultNotStored_HasNoFix()
        {
            const string program = Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();
                builder.{|#0:Build()|}.Run();
                """;
            var test = Expect(WebService(program, program));
            test.FixedState.ExpectedDiagnostics.Insert(0, NoHealth());
            await test.VerifyAsync();
        }

        [Fact]
        public async Task OperabilityReferenced_AddsAddOperabilityAndMapOperability()
        {
            await Expect(WebService(Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                app.Run();
                """, Usings + """
                using Microsoft.Extensions.Hosting;

                var builder = WebApplication.CreateBuilder(args);
                builder.AddOperability();
                var app = builder.{|#0:Build()|};
                app.MapOperability();
                app.Run();
                """, operability: true), shutterAfterFix: false).VerifyAsync();
        }

        [Fact]
        public async Task OperabilityReferencedAndAdded_OnlyMapsIt()
        {
            const string usings = Usings + "using Microsoft.Extensions.Hosting;\n";
            await Expect(WebService(usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.AddOperability();
                var app = builder.{|#0:Build()|};
                app.Run();
                """, usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.AddOperability();
                var app = builder.{|#0:Build()|};
                app.MapOperability();
                app.Run();
                """, operability: true), shutterAfterFix: false).VerifyAsync();
        }

        [Fact]
        public async Task FixAll_MapsAHealthEndpointInEveryService()
        {
            var test = Expect(WebService(Usings + """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.{|#0:Build()|};
                app.Run();
                """, Usings + """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddHealthChecks();
                var app = builder.{|#0:Build()|};
                app.MapHealthChecks("/health");
                app.Run();
                """));
            const string second = Usings + """
                public static class Program
                {
                    public static void Main(string[] args)
                    {
                        var builder = WebApplication.CreateBuilder(args);
                        var app = builder.{|#1:Build()|};
                        app.Run();
                    }
                }
                """;
            const string secondFixed = Usings + """
                public static class Program
                {
                    public static void Main(string[] args)
                    {
                        var builder = WebApplication.CreateBuilder(args);
                        builder.Services.AddHealthChecks();
                        var app = builder.{|#1:Build()|};
                        app.MapHealthChecks("/health");
                        app.Run();
                    }
                }
                """;
            foreach (var (state, source) in new[] { (test.TestState, second), (test.FixedState, secondFixed) })
            {
                var project = state.AdditionalProjects["Second"];
                project.Sources.Add(("/Second/Program.cs", source));
                project.OutputKind = OutputKind.ConsoleApplication;
                project.AdditionalReferences.AddRange(References.Web());
                project.AnalyzerConfigFiles.Add(("/Second/.globalconfig", "is_global = true\nbuild_property.MSBuildProjectDirectory = /Second\nbuild_property.UsingMicrosoftNETSdkWeb = true\nbuild_property.OutputType = Exe\n"));
            }

            test.TestState.ExpectedDiagnostics.Add(NoHealth(1, "Second"));
            test.TestState.ExpectedDiagnostics.Add(NoShutter(1, "Second"));
            test.FixedState.ExpectedDiagnostics.Add(NoShutter(1, "Second"));
            // Per document or project, one service at a time; over the solution, both at once.
            test.NumberOfFixAllInDocumentIterations = 2;
            test.NumberOfFixAllInProjectIterations = 2;
            test.NumberOfFixAllIterations = 1;
            await test.VerifyAsync();
        }
    }
}
