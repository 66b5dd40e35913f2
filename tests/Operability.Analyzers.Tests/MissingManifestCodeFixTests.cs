using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Operability.Analyzers.CodeFixes;
using Xunit;

namespace Operability.Analyzers.Tests
{
    public sealed class MissingManifestCodeFixTests
    {
        private const string Program = "var x = 1;\nSystem.Console.WriteLine(x);\n";

        [Fact]
        public async Task MissingManifest_Fix_AddsStarterManifestThatStillAsksForOwnerTargetAndRunbook()
        {
            var test = new CSharpCodeFixTest<ServiceManifestAnalyzer, MissingManifestCodeFix, DefaultVerifier>
            {
                ReferenceAssemblies = References.Net80,
                TestCode = Program,
                FixedCode = Program,
            };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.FixedState.OutputKind = OutputKind.ConsoleApplication;
            const string config = "is_global = true\nbuild_property.UsingMicrosoftNETSdkWeb = true\nbuild_property.MSBuildProjectDirectory = /0\n";
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
            test.FixedState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
            test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIds.MissingManifest, DiagnosticSeverity.Warning).WithSpan(1, 1, 1, 11).WithArguments("TestProject"));

            // The starter manifest leaves the decisions to the team: the analyzers now ask for them.
            test.FixedState.AdditionalFiles.Add(("operability.json", SourceText.From(MissingManifestCodeFix.StarterManifest("TestProject"), Encoding.UTF8)));
            test.FixedState.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIds.OwnerNotSingle, DiagnosticSeverity.Warning).WithSpan("operability.json", 4, 12, 4, 14));
            test.FixedState.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIds.InvalidAvailabilityTarget, DiagnosticSeverity.Warning).WithSpan("operability.json", 5, 19, 5, 20));
            test.FixedState.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIds.MissingRunbook, DiagnosticSeverity.Warning).WithSpan("operability.json", 6, 14, 6, 26).WithArguments("RUNBOOK.md"));
            await test.RunAsync();
        }

        [Fact]
        public async Task MissingManifest_WithDesignTimePlaceholder_Fix_WritesThePlaceholderInsteadOfAddingAFile()
        {
            // Design-time builds (dotnet format's MSBuild workspace) list the missing manifest with the role
            // MissingManifest: the analyzers ignore it, and the fix changes its text, which that workspace can save.
            var test = new CSharpCodeFixTest<ServiceManifestAnalyzer, MissingManifestCodeFix, DefaultVerifier>
            {
                ReferenceAssemblies = References.Net80,
                TestCode = Program,
                FixedCode = Program,
            };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.FixedState.OutputKind = OutputKind.ConsoleApplication;
            const string config = "is_global = true\nbuild_property.UsingMicrosoftNETSdkWeb = true\nbuild_property.MSBuildProjectDirectory = /0\n\n[/0/operability.json]\nbuild_metadata.AdditionalFiles.OperabilityRole = MissingManifest\n";
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
            test.FixedState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
            test.TestState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(string.Empty, Encoding.UTF8)));
            test.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIds.MissingManifest, DiagnosticSeverity.Warning).WithSpan("/0/Test0.cs", 1, 1, 1, 11).WithArguments("TestProject"));

            // Still the placeholder's role, so the analyzers do not read it until the next build lists it as the manifest.
            test.FixedState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(MissingManifestCodeFix.StarterManifest("TestProject"), Encoding.UTF8)));
            test.FixedState.ExpectedDiagnostics.Add(new DiagnosticResult(RuleIds.MissingManifest, DiagnosticSeverity.Warning).WithSpan("/0/Test0.cs", 1, 1, 1, 11).WithArguments("TestProject"));
            test.CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck;
            test.NumberOfIncrementalIterations = 1;
            await test.RunAsync();
        }

        [Theory]
        [InlineData("Contoso.OrderService", "contoso-order-service")]
        [InlineData("orders", "orders")]
        [InlineData("Shop.Api", "shop-api")]
        [InlineData("HTTPGateway2", "httpgateway2")]
        [InlineData("...", "service")]
        public void ServiceName_IsKebabCaseOfAssemblyName(string assemblyName, string expected)
        {
            Assert.Equal(expected, MissingManifestCodeFix.ServiceName(assemblyName));
        }
    }
}
