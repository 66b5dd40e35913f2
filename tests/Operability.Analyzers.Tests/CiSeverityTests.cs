using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.ServiceManifestAnalyzer>;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// CI builds: the package's targets list the rules to raise in <c>build_property.OperabilityCiErrors</c>;
    /// the analyzers report those warnings as errors, and the team's own severities still apply on top
    /// (category-level and all-analyzers settings are proven by the end-to-end tests: the test framework configures
    /// every rule by ID, which keeps the compiler from applying them).
    /// </summary>
    public sealed class CiSeverityTests
    {
        private static Test WebProjectWithoutManifest()
        {
            var test = new Test { TestCode = "var x = 1;\nSystem.Console.WriteLine(x);\n" };
            test.WithProperty("UsingMicrosoftNETSdkWeb", "true").WithProperty("OutputType", "Exe");
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            return test;
        }

        private static DiagnosticResult MissingManifest(DiagnosticSeverity severity) =>
            new DiagnosticResult(RuleIds.MissingManifest, severity).WithSpan("/0/Test0.cs", 1, 1, 1, 11)
                .WithMessage("Service 'TestProject' has no operability.json; add one that names its owning team, availability target and runbook");

        [Fact]
        public async Task RuleListedForCi_WarningIsReportedAsError()
        {
            await WebProjectWithoutManifest()
                .WithProperty("OperabilityCiErrors", "OPS101,OPS301,OPS305")
                .Expect(MissingManifest(DiagnosticSeverity.Error))
                .VerifyAsync();
        }

        [Fact]
        public async Task RuleNotListedForCi_StaysWarning()
        {
            await WebProjectWithoutManifest()
                .WithProperty("OperabilityCiErrors", "OPS101,OPS305")
                .Expect(MissingManifest(DiagnosticSeverity.Warning))
                .VerifyAsync();
        }

        [Fact]
        public async Task RuleListedForCi_IdLevelWarningOfTheTeamWins()
        {
            await WebProjectWithoutManifest()
                .WithProperty("OperabilityCiErrors", "OPS301")
                .WithEditorConfig("dotnet_diagnostic.OPS301.severity = warning")
                .Expect(MissingManifest(DiagnosticSeverity.Warning))
                .VerifyAsync();
        }
    }
}
