using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Operability.Analyzers.CodeFixes;
using Xunit;

namespace Operability.Analyzers.Tests
{
    /// <summary>OPS201's fix: declare the database in operability.json, editing only where it is added.</summary>
    public sealed class DatabaseOwnershipCodeFixTests
    {
        private const string Source = """
            using Microsoft.Extensions.Configuration;

            public static class Startup
            {
                public static string? Archive(IConfiguration configuration) => configuration.GetConnectionString({|OPS201:"OrdersArchive"|});
            }
            """;

        [Fact]
        public async Task Ops201_DeclaresTheDatabaseInTheManifest_KeepingTheRestOfTheText()
        {
            const string manifest = "{\n  // the reports worker\n  \"service\": \"order-reports\",\n  \"owner\": \"team-insights\",\n  \"availability\": { \"target\": 99.5 }\n}\n";
            const string fixedManifest = "{\n  // the reports worker\n  \"service\": \"order-reports\",\n  \"owner\": \"team-insights\",\n  \"availability\": { \"target\": 99.5 },\n  \"databases\": [ { \"name\": \"OrdersArchive\", \"connectionStrings\": [\"OrdersArchive\"] } ]\n}\n";

            var test = new CodeFixTest<DatabaseOwnershipAnalyzer, DatabaseOwnershipCodeFix>
            {
                TestCode = Source,
                FixedCode = Source.Replace("{|OPS201:\"OrdersArchive\"|}", "\"OrdersArchive\"", System.StringComparison.Ordinal),
                ReferenceAssemblies = References.None,
            };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.Configuration));
            test.FixedState.AdditionalReferences.AddRange(References.Runtime(References.Configuration));
            test.TestState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(manifest, Encoding.UTF8)));
            test.FixedState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(fixedManifest, Encoding.UTF8)));
            test.CodeActionEquivalenceKey = DatabaseOwnershipCodeFix.EquivalenceKey + ".OrdersArchive";
            await test.VerifyAsync();
        }

        [Fact]
        public async Task Ops201_InAConfigurationFile_IsOfferedThere_AndDeclaresTheDatabaseWithItsConnectionName()
        {
            // The light bulb in appsettings.json: the IDE asks only providers exported for additional documents, and
            // the diagnostic must say which database (and connection) to declare.
            Assert.Contains(
                nameof(TextDocumentKind.AdditionalDocument),
                typeof(DatabaseOwnershipCodeFix).GetCustomAttribute<ExportCodeFixProviderAttribute>()!.DocumentKinds);
            const string manifest = "{\n  \"service\": \"parcels\",\n  \"owner\": \"team-parcels\",\n  \"availability\": { \"target\": 99.9 }\n}\n";
            const string settings = "{\n  \"ConnectionStrings\": {\n    \"Tracking\": \"Host=localhost;Database=tracking-db\"\n  }\n}\n";
            const string fixedManifest = "{\n  \"service\": \"parcels\",\n  \"owner\": \"team-parcels\",\n  \"availability\": { \"target\": 99.9 },\n  \"databases\": [ { \"name\": \"tracking-db\", \"connectionStrings\": [\"Tracking\"] } ]\n}\n";

            using var workspace = new AdhocWorkspace();
            var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Parcels", "Parcels", LanguageNames.CSharp,
                filePath: "/0/Parcels.csproj", compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)));
            var manifestId = DocumentId.CreateNewId(project.Id);
            var settingsId = DocumentId.CreateNewId(project.Id);
            var solution = project.Solution
                .AddDocument(DocumentId.CreateNewId(project.Id), "Program.cs", SourceText.From("public static class Program { }"), filePath: "/0/Program.cs")
                .AddAdditionalDocument(manifestId, "operability.json", SourceText.From(manifest), filePath: "/0/operability.json")
                .AddAdditionalDocument(settingsId, "appsettings.json", SourceText.From(settings), filePath: "/0/appsettings.json")
                .AddAnalyzerConfigDocument(DocumentId.CreateNewId(project.Id), "configuration.globalconfig",
                    SourceText.From("is_global = true\n[/0/appsettings.json]\nbuild_metadata.AdditionalFiles.OperabilityRole = Configuration\n"), filePath: "/0/configuration.globalconfig");
            project = solution.GetProject(project.Id)!;
            var compilation = (await project.GetCompilationAsync())!;
            var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new DatabaseOwnershipAnalyzer()), project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
            var diagnostic = Assert.Single(diagnostics, d => d.Id == RuleIds.DatabaseNotOwned);
            Assert.Equal("/0/appsettings.json", diagnostic.Location.GetLineSpan().Path);

            var actions = new List<CodeAction>();
            var context = new CodeFixContext(project.GetAdditionalDocument(settingsId)!, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await new DatabaseOwnershipCodeFix().RegisterCodeFixesAsync(context);

            var action = Assert.Single(actions);
            Assert.Equal("Declare 'tracking-db' as a database this service owns", action.Title);
            Assert.Equal(DatabaseOwnershipCodeFix.EquivalenceKey + ".tracking-db", action.EquivalenceKey);
            var changed = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
            Assert.Equal(fixedManifest, (await changed.GetAdditionalDocument(manifestId)!.GetTextAsync()).ToString());
            Assert.Equal(settings, (await changed.GetAdditionalDocument(settingsId)!.GetTextAsync()).ToString());
        }

        [Fact]
        public async Task Ops201_FixAll_DeclaresEveryFlaggedDatabaseOnce()
        {
            const string source = """
                using Microsoft.Extensions.Configuration;

                public static class Startup
                {
                    public static string? Archive(IConfiguration configuration) => configuration.GetConnectionString({|OPS201:"OrdersArchive"|});
                    public static string? ArchiveAgain(IConfiguration configuration) => configuration.GetConnectionString({|OPS201:"OrdersArchive"|});
                    public static string? Cache(IConfiguration configuration) => configuration.GetConnectionString({|OPS201:"OrdersCache"|});
                }
                """;
            const string manifest = "{\n  \"service\": \"order-reports\",\n  \"owner\": \"team-insights\",\n  \"availability\": { \"target\": 99.5 }\n}\n";
            const string fixedManifest = "{\n  \"service\": \"order-reports\",\n  \"owner\": \"team-insights\",\n  \"availability\": { \"target\": 99.5 },\n  \"databases\": [ { \"name\": \"OrdersArchive\", \"connectionStrings\": [\"OrdersArchive\"] }, { \"name\": \"OrdersCache\", \"connectionStrings\": [\"OrdersCache\"] } ]\n}\n";

            const string archiveOnly = "{\n  \"service\": \"order-reports\",\n  \"owner\": \"team-insights\",\n  \"availability\": { \"target\": 99.5 },\n  \"databases\": [ { \"name\": \"OrdersArchive\", \"connectionStrings\": [\"OrdersArchive\"] } ]\n}\n";

            // One fix declares the database it is offered for (both uses of it); fix-all declares every flagged one.
            var test = new CodeFixTest<DatabaseOwnershipAnalyzer, DatabaseOwnershipCodeFix>
            {
                TestCode = source,
                FixedCode = source.Replace("{|OPS201:\"OrdersArchive\"|}", "\"OrdersArchive\"", System.StringComparison.Ordinal),
                ReferenceAssemblies = References.None,
            };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.Configuration));
            test.FixedState.AdditionalReferences.AddRange(References.Runtime(References.Configuration));
            test.BatchFixedState.AdditionalReferences.AddRange(References.Runtime(References.Configuration));
            test.TestState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(manifest, Encoding.UTF8)));
            test.FixedState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(archiveOnly, Encoding.UTF8)));
            test.BatchFixedState.Sources.Add(source.Replace("{|OPS201:", string.Empty, System.StringComparison.Ordinal).Replace("\"|}", "\"", System.StringComparison.Ordinal));
            test.BatchFixedState.AdditionalFiles.Add(("/0/operability.json", SourceText.From(fixedManifest, Encoding.UTF8)));
            test.CodeActionEquivalenceKey = DatabaseOwnershipCodeFix.EquivalenceKey + ".OrdersArchive";
            test.NumberOfIncrementalIterations = 1;
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            await test.VerifyAsync();
        }

        [Fact]
        public void AddDatabase_ToMultiLineArray_AppendsOnANewLineWithTheItemsIndent()
        {
            const string text = "{\n  \"service\": \"x\",\n  \"databases\": [\n    { \"name\": \"a\" }\n  ],\n  \"runbook\": \"R.md\"\n}";

            Assert.Equal(
                "{\n  \"service\": \"x\",\n  \"databases\": [\n    { \"name\": \"a\" },\n    { \"name\": \"b\", \"connectionStrings\": [\"B\"] }\n  ],\n  \"runbook\": \"R.md\"\n}",
                ManifestDatabaseEdit.AddDatabase(text, "b", "B"));
        }

        [Fact]
        public void AddDatabase_ToSingleLineArray_AppendsInline()
        {
            Assert.Equal(
                "{ \"databases\": [ { \"name\": \"a\" }, { \"name\": \"b\" } ] }",
                ManifestDatabaseEdit.AddDatabase("{ \"databases\": [ { \"name\": \"a\" } ] }", "b", null));
        }

        [Fact]
        public void AddDatabase_ToArrayWithTrailingCommaAndComment_KeepsThem()
        {
            const string text = "{\n  \"databases\": [\n    { \"name\": \"a\" }, // ours\n  ]\n}";

            Assert.Equal(
                "{\n  \"databases\": [\n    { \"name\": \"a\" },\n    { \"name\": \"b\" } // ours\n  ]\n}",
                ManifestDatabaseEdit.AddDatabase(text, "b", null));
        }

        [Fact]
        public void AddDatabase_ToEmptyArray_And_ToEmptyObject()
        {
            Assert.Equal("{ \"databases\": [ { \"name\": \"b\" } ] }", ManifestDatabaseEdit.AddDatabase("{ \"databases\": [] }", "b", null));
            Assert.Equal("{ \"databases\": [ { \"name\": \"b\" } ] }", ManifestDatabaseEdit.AddDatabase("{}", "b", null));
        }

        [Fact]
        public void AddDatabase_WithCrLfAndQuotesInName_EscapesAndKeepsLineEndings()
        {
            Assert.Equal(
                "{\r\n  \"service\": \"x\",\r\n  \"databases\": [ { \"name\": \"a\\\"b\" } ]\r\n}",
                ManifestDatabaseEdit.AddDatabase("{\r\n  \"service\": \"x\"\r\n}", "a\"b", null));
        }

        [Theory]
        [InlineData("{ \"databases\": 3 }")]
        [InlineData("[ ]")]
        [InlineData("{ \"service\": ")]
        public void AddDatabase_WhenNotSafelyEditable_ReturnsNull(string text)
        {
            Assert.Null(ManifestDatabaseEdit.AddDatabase(text, "b", null));
        }
    }
}
