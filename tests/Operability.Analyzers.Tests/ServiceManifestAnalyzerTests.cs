using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.ServiceManifestAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed class ServiceManifestAnalyzerTests
    {
        private const string TopLevelProgram = "var x = 1;\nSystem.Console.WriteLine(x);\n";
        private const string Runbook = "# Runbook\n";

        private const string ValidManifest = """
            {
              "service": "orders",
              "owner": "team-orders",
              "availability": { "target": 99.9 },
              "runbook": "RUNBOOK.md"
            }
            """;

        private static Test WebProject(string source = TopLevelProgram)
        {
            var test = new Test { TestCode = source };
            test.WithProperty("UsingMicrosoftNETSdkWeb", "true").WithProperty("OutputType", "Exe");
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            return test;
        }

        private static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, id == RuleIds.AvailabilityTargetDisagreesWithExposure ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning);

        private static DiagnosticResult InManifest(string id, int line, int column, int endColumn, string message) =>
            Diagnostic(id).WithSpan(Test.ProjectDirectory + "/operability.json", line, column, line, endColumn).WithMessage(message);

        [Fact]
        public async Task WebProject_WithoutManifest_ReportsOps301OnFirstTopLevelStatement()
        {
            await WebProject()
                .Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 1, 1, 1, 11)
                    .WithMessage("Service 'TestProject' has no operability.json; add one that names its owning team, availability target and runbook"))
                .VerifyAsync();
        }

        [Fact]
        public async Task WebProject_WithClassicMain_ReportsOps301OnMain()
        {
            const string source = "namespace Shop\n{\n    public static class Program\n    {\n        public static void Main(string[] args) { }\n    }\n}\n";
            await WebProject(source)
                .Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 5, 28, 5, 32).WithArguments("TestProject"))
                .VerifyAsync();
        }

        [Fact]
        public async Task WorkerWithGenericHost_WithoutManifest_ReportsOps301()
        {
            var test = new Test
            {
                TestCode = "using Microsoft.Extensions.Hosting;\nIHost? host = null;\nSystem.Console.WriteLine(host);\n",
                ReferenceAssemblies = References.Hosting,
            };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.WithProperty("OutputType", "Exe")
                .Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 2, 1, 2, 20).WithArguments("TestProject"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ConsoleAppWithoutGenericHost_WithoutManifest_NoDiagnostic()
        {
            var test = new Test { TestCode = TopLevelProgram };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.WithProperty("OutputType", "Exe").VerifyAsync();
        }

        [Fact]
        public async Task ClassLibrary_WithoutManifest_NoDiagnostic()
        {
            await new Test { TestCode = "public static class Greeter { public static string Hello() => \"hi\"; }" }
                .WithProperty("OutputType", "Library")
                .VerifyAsync();
        }

        [Fact]
        public async Task WebTestProject_WithoutManifest_NoDiagnostic()
        {
            await WebProject().WithProperty("IsTestProject", "true").VerifyAsync();
        }

        [Fact]
        public async Task WebProjectReferencingXunit_WithoutIsTestProject_IsTreatedAsTestProject()
        {
            var test = WebProject();
            test.ReferenceAssemblies = References.Xunit;
            await test.VerifyAsync();
        }

        [Theory]
        [InlineData("MSTest.TestFramework")] // MSTest v4, also under MSTest.Sdk (which leaves IsTestProject empty)
        [InlineData("Microsoft.VisualStudio.TestPlatform.TestFramework")] // MSTest v2/v3
        [InlineData("xunit.core")] // xunit v2
        [InlineData("xunit.v3.core")] // xunit v3
        [InlineData("nunit.framework")] // NUnit
        [InlineData("TUnit.Core")] // TUnit
        public async Task WebProjectReferencingTestFramework_WithoutIsTestProject_IsTreatedAsTestProject(string frameworkAssembly)
        {
            var test = WebProject();
            test.TestState.AdditionalReferences.Add(TestFrameworkReferences.Named(frameworkAssembly));
            await test.VerifyAsync();
        }

        [Theory]
        [InlineData("MSTest.TestAdapter")] // the adapter alone runs tests but is no framework code references
        [InlineData("MSTest.TestFramework.Helpers")]
        [InlineData("xunit.abstractions")]
        public async Task WebProjectReferencingTestFrameworkLookAlike_WithoutManifest_ReportsOps301(string assemblyName)
        {
            var test = WebProject();
            test.TestState.AdditionalReferences.Add(TestFrameworkReferences.Named(assemblyName));
            await test.Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 1, 1, 1, 11).WithArguments("TestProject")).VerifyAsync();
        }

        [Fact]
        public async Task WebProject_OptedOutWithOperabilityIsServiceFalse_NoDiagnostic()
        {
            await WebProject().WithProperty("OperabilityIsService", "false").VerifyAsync();
        }

        [Fact]
        public async Task Library_OptedInWithOperabilityIsServiceTrue_ReportsOps301AtStartOfFirstFile()
        {
            await new Test { TestCode = "public static class Greeter { }" }
                .WithProperty("OutputType", "Library")
                .WithProperty("OperabilityIsService", "true")
                .Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 1, 1, 1, 7).WithArguments("TestProject"))
                .VerifyAsync();
        }

        [Fact]
        public async Task WebProject_WithValidManifestAndRunbook_NoDiagnostic()
        {
            await WebProject()
                .WithAdditionalFile("operability.json", ValidManifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .VerifyAsync();
        }

        [Fact]
        public async Task ManifestWithExposureOnly_TargetIsDerived_NoDiagnostic()
        {
            const string manifest = "{ \"service\": \"shop\", \"owner\": \"team-shop\", \"availability\": { \"financialExposurePerHour\": 6000 } }";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .VerifyAsync();
        }

        [Fact]
        public async Task MalformedManifest_MissingComma_ReportsOps303AtTheToken()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\"\n  \"availability\": { \"target\": 99.9 }\n}\n";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(InManifest(RuleIds.MalformedManifest, 4, 3, 17, "operability.json: Expected ',' or '}' after a property value but found '\"'"))
                .VerifyAsync();
        }

        [Fact]
        public async Task MalformedManifest_Truncated_ReportsOps303AndNothingElse()
        {
            await WebProject()
                .WithAdditionalFile("operability.json", "{\n  \"service\": \"orders\",\n  \"owner\": ")
                .Expect(Diagnostic(RuleIds.MalformedManifest).WithSpan("/0/operability.json", 3, 12, 3, 12))
                .VerifyAsync();
        }

        [Fact]
        public async Task OwnerGivenAsList_ReportsOps302OnTheArray()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": [\"team-a\", \"team-b\"],\n  \"availability\": { \"target\": 99.9 }\n}\n";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(InManifest(RuleIds.OwnerNotSingle, 3, 12, 13,
                    "Property 'owner' must name exactly one owning team (single team ownership) but found an array of 2 teams: \"team-a\", \"team-b\"; give one team as a string"))
                .VerifyAsync();
        }

        [Fact]
        public async Task OwnerMissing_ReportsOps302()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"availability\": { \"target\": 99.9 }\n}\n";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.OwnerNotSingle).WithSpan("/0/operability.json", 1, 1, 1, 2))
                .VerifyAsync();
        }

        [Theory]
        [InlineData("100")]
        [InlineData("0")]
        [InlineData("-5")]
        [InlineData("\"three nines\"")]
        [InlineData("\"99,9\"")]
        [InlineData("true")]
        public async Task InvalidAvailabilityTarget_ReportsOps304OnTheValue(string target)
        {
            var manifest = "{ \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": " + target + " } }";
            var column = manifest.IndexOf(": " + target, System.StringComparison.Ordinal) + 3;
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.InvalidAvailabilityTarget).WithSpan("/0/operability.json", 1, column, 1, column + target.Length))
                .VerifyAsync();
        }

        [Fact]
        public async Task AvailabilityMissing_ReportsOps304()
        {
            const string manifest = "{ \"service\": \"s\", \"owner\": \"t\" }";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.InvalidAvailabilityTarget).WithSpan("/0/operability.json", 1, 1, 1, 2))
                .VerifyAsync();
        }

        [Theory]
        [InlineData("{ \"name\": \"quiet\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\", \"target\": 95 }", "95", "OPS304")]
        [InlineData("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00\", \"until\": \"2026-11-28T00:00:00Z\", \"target\": 99.9 }", "\"2026-11-27T00:00:00\"", "OPS303")]
        [InlineData("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-27T00:00:00Z\", \"target\": 99.9 }", "\"2026-11-27T00:00:00Z\", \"target", "OPS303")]
        public async Task InvalidPeak_ReportsTheParsersRuleOnTheOffendingValue(string peak, string token, string rule)
        {
            // Peaks are validated by the manifest parser: a target problem is OPS304, a window problem OPS303.
            var manifest = "{ \"service\": \"s\", \"owner\": \"t\",\n  \"availability\": { \"target\": 99, \"peaks\": [ " + peak + " ] } }";
            var line = manifest.Split('\n')[1];
            var column = line.LastIndexOf(token, System.StringComparison.Ordinal) + 1;
            var length = token.EndsWith("target", System.StringComparison.Ordinal) ? "\"2026-11-27T00:00:00Z\"".Length : token.Length;
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(rule).WithSpan("/0/operability.json", 2, column, 2, column + length))
                .VerifyAsync();
        }

        [Fact]
        public async Task TargetDisagreesWithExposure_ReportsOps306AsInformation()
        {
            const string manifest = "{ \"service\": \"s\", \"owner\": \"t\",\n  \"availability\": { \"target\": 95.0, \"financialExposurePerHour\": 810000 } }";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.AvailabilityTargetDisagreesWithExposure).WithSpan("/0/operability.json", 2, 31, 2, 35))
                .VerifyAsync();
        }

        [Fact]
        public async Task UnknownEnumWord_ReportsOps303()
        {
            const string manifest = "{ \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 99 },\n  \"deployment\": { \"featureDemand\": \"enormous\" } }";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.MalformedManifest).WithSpan("/0/operability.json", 2, 36, 2, 46))
                .VerifyAsync();
        }

        [Theory]
        [InlineData("1e22")]
        [InlineData("79228162514264337593543950335")]
        [InlineData("2147484")]
        public async Task DependencyTimeoutOutOfRange_ReportsOps303OnTheValueWithoutAnalyzerException(string timeout)
        {
            var manifest = "{ \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 99 },\n  \"dependencies\": [ { \"name\": \"payments\", \"timeout\": " + timeout + " } ] }";
            var column = manifest.Split('\n')[1].IndexOf(timeout, System.StringComparison.Ordinal) + 1;
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(InManifest(RuleIds.MalformedManifest, 2, column, column + timeout.Length,
                    "operability.json: Property 'dependencies[0].timeout' is " + timeout + " seconds, out of range: a timeout is at most 2147483.647 seconds (24.20:31:23.6470000, the longest a .NET timer waits)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task LineSeparatorInAString_LaterDiagnosticStillOnItsToken()
        {
            // Roslyn starts a line at U+2028, U+2029 and U+0085; JSON (and the manifest's positions) do not.
            const string manifest = "{ \"service\": \"s\u2028x\u0085y\", \"owner\": \"t\",\n  \"availability\": { \"target\": 100 } }";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.InvalidAvailabilityTarget).WithSpan("/0/operability.json", 4, 31, 4, 34))
                .VerifyAsync();
        }

        [Fact]
        public async Task ByteOrderMarkInTheText_DiagnosticOnItsToken()
        {
            const string manifest = "\uFEFF{ \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 100 } }";
            var column = manifest.IndexOf("100", System.StringComparison.Ordinal) + 1;
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.InvalidAvailabilityTarget).WithSpan("/0/operability.json", 1, column, 1, column + 3))
                .VerifyAsync();
        }

        [Fact]
        public async Task RunbookMissing_ReportsOps305OnTheRunbookValue()
        {
            await WebProject()
                .WithAdditionalFile("operability.json", ValidManifest)
                .Expect(InManifest(RuleIds.MissingRunbook, 5, 14, 26,
                    "The runbook 'RUNBOOK.md' named by operability.json does not exist; create it or correct 'runbook'"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RunbookNotDeclaredAndDefaultMissing_ReportsOps305OnTheServiceName()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"availability\": { \"target\": 99.9 }\n}";
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .Expect(Diagnostic(RuleIds.MissingRunbook).WithSpan("/0/operability.json", 2, 14, 2, 22).WithArguments("RUNBOOK.md"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RunbookInSubfolderThatExists_NoDiagnostic()
        {
            var manifest = ValidManifest.Replace("\"RUNBOOK.md\"", "\"docs/ops/../RUNBOOK.md\"");
            await WebProject()
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("docs/RUNBOOK.md", Runbook)
                .VerifyAsync();
        }

        [Fact]
        public async Task RunbookIsAUrl_NoDiagnostic()
        {
            var manifest = ValidManifest.Replace("\"RUNBOOK.md\"", "\"https://wiki.example/orders/runbook\"");
            await WebProject().WithAdditionalFile("operability.json", manifest).VerifyAsync();
        }

        [Fact]
        public async Task ManifestInAnotherFolder_IsNotThisProjectsManifest_ReportsOps301()
        {
            var test = WebProject();
            test.TestState.AdditionalFiles.Add(("/elsewhere/operability.json", ValidManifest));
            test.TestState.AdditionalFiles.Add(("/other/operability.json", ValidManifest));
            await test.Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 1, 1, 1, 11).WithArguments("TestProject")).VerifyAsync();
        }

        [Fact]
        public async Task ClassLibraryWithInvalidManifest_StillReportsManifestProblems()
        {
            const string manifest = "{ \"service\": \"s\", \"owner\": [], \"availability\": { \"target\": 99 } }";
            var test = new Test { TestCode = "public static class Greeter { }" };
            await test.WithProperty("OutputType", "Library")
                .WithAdditionalFile("operability.json", manifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .Expect(Diagnostic(RuleIds.OwnerNotSingle).WithSpan("/0/operability.json", 1, 28, 1, 29))
                .VerifyAsync();
        }

        [Fact]
        public async Task GeneratedFileOnly_WebProjectWithoutManifest_AnchorsOnHandWrittenFile()
        {
            var test = WebProject("public static class Handwritten { }\n");
            test.TestState.Sources.Add(("/0/obj/Program.g.cs", "// <auto-generated/>\nvar generated = 1;\nSystem.Console.WriteLine(generated);\n"));
            // The top-level statements live in a generated file: the squiggle goes to the hand-written one.
            await test.Expect(Diagnostic(RuleIds.MissingManifest).WithSpan("/0/Test0.cs", 1, 1, 1, 7).WithArguments("TestProject")).VerifyAsync();
        }

        [Fact]
        public async Task BrokenSourceCode_WithValidManifest_NoCrashAndNoOpsDiagnostic()
        {
            var test = WebProject("var builder = WebApplication.CreateBuilder(args\nclass {");
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.WithAdditionalFile("operability.json", ValidManifest)
                .WithAdditionalFile("RUNBOOK.md", Runbook)
                .VerifyAsync();
        }
    }
}
