using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Operability.Analyzers.CodeFixes;
using Xunit;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// OPS310's fix: the declared on-call level becomes the one the target calls for; nothing else changes. Driven as
    /// the IDE drives a fix for a diagnostic in an additional document (the testing library offers fixes only for
    /// diagnostics in source documents).
    /// </summary>
    public sealed class OnCallCodeFixTests
    {
        [Fact]
        public async Task Ops310_ReplacesTheDeclaredLevelWithTheOneTheTargetCallsFor_KeepingTheRestOfTheText()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"availability\": { \"target\": 99.9 },\n  // agreed with the product manager\n  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"none\" }\n}\n";
            const string fixedManifest = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"availability\": { \"target\": 99.9 },\n  // agreed with the product manager\n  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"team\" }\n}\n";

            Assert.Equal(new[] { fixedManifest }, await FixAsync(manifest));
        }

        [Fact]
        public async Task Ops310_HigherLevelThanTheTargetCallsFor_IsLoweredToIt()
        {
            const string manifest = "{ \"service\": \"s\", \"owner\": \"t\", \"productDomain\": \"d\", \"availability\": { \"target\": 99.0 }, \"onCall\": { \"outOfHours\": \"team\" } }";

            Assert.Equal(new[] { manifest.Replace("\"outOfHours\": \"team\"", "\"outOfHours\": \"domain\"", System.StringComparison.Ordinal) }, await FixAsync(manifest));
        }

        // Every OPS310 fix offered for the manifest, applied one at a time: the manifest's text after each.
        private static async Task<List<string>> FixAsync(string manifest)
        {
            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Service", "Service", LanguageNames.CSharp,
                filePath: "/0/Service.csproj", compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)));
            var documentId = DocumentId.CreateNewId(project.Id);
            var solution = project.Solution
                .AddDocument(DocumentId.CreateNewId(project.Id), "Greeter.cs", SourceText.From("public static class Greeter { }"), filePath: "/0/Greeter.cs")
                .AddAdditionalDocument(documentId, "operability.json", SourceText.From(manifest), filePath: "/0/operability.json")
                .AddAdditionalDocument(DocumentId.CreateNewId(project.Id), "RUNBOOK.md", SourceText.From("# Runbook\n"), filePath: "/0/RUNBOOK.md");
            project = solution.GetProject(project.Id)!;

            var compilation = (await project.GetCompilationAsync())!;
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new ServiceManifestAnalyzer());
            var diagnostics = await compilation.WithAnalyzers(analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
            var document = project.GetAdditionalDocument(documentId)!;
            var results = new List<string>();
            foreach (var diagnostic in diagnostics.Where(d => d.Id == RuleIds.OnCallDiffersFromTarget))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                await new OnCallCodeFix().RegisterCodeFixesAsync(context);
                foreach (var action in actions)
                {
                    var operations = await action.GetOperationsAsync(CancellationToken.None);
                    var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
                    results.Add((await changed.GetAdditionalDocument(documentId)!.GetTextAsync()).ToString());
                }
            }

            return results;
        }
    }
}
