using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS201: when the team says the database is theirs, declares it in operability.json — appended to
    /// <c>databases</c> with the connection name the code uses, leaving the rest of the file as it was. Offered in C#
    /// files and in the configuration files (appsettings*.json, additional documents) OPS201 is also reported in.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DatabaseOwnershipCodeFix), DocumentKinds = new[] { nameof(TextDocumentKind.Document), nameof(TextDocumentKind.AdditionalDocument) }), Shared]
    public sealed class DatabaseOwnershipCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.DeclareOwnedDatabase";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.DatabaseNotOwned);

        // Fix-all declares every database flagged in its scope, each once, whichever database's action it was
        // started from: dotnet format starts it from the first diagnostic's action and means all of them.
        public override FixAllProvider GetFixAllProvider() => new ProjectFixAllProvider(
            "Declare the flagged databases as databases this service owns",
            DeclareAllAsync);

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            // TextDocument, not Document: the diagnostic may be in appsettings.json.
            var project = context.TextDocument.Project;
            var manifest = FindManifest(project);
            if (manifest is null)
            {
                return;
            }

            var text = await manifest.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DatabaseOwnershipAnalyzer.DatabaseProperty, out var database) || string.IsNullOrEmpty(database))
                {
                    continue;
                }

                diagnostic.Properties.TryGetValue(DatabaseOwnershipAnalyzer.ConnectionNameProperty, out var connectionName);
                var edited = ManifestDatabaseEdit.AddDatabase(text.ToString(), database!, connectionName);
                if (edited is null)
                {
                    continue;
                }

                var solution = project.Solution;
                var id = manifest.Id;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Declare '" + database + "' as a database this service owns",
                        _ => Task.FromResult(solution.WithAdditionalDocumentText(id, SourceText.From(edited, text.Encoding ?? System.Text.Encoding.UTF8))),
                        EquivalenceKey + "." + database),
                    diagnostic);
            }
        }

        private static async Task<Solution> DeclareAllAsync(Project project, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var manifest = FindManifest(project);
            if (manifest is null)
            {
                return project.Solution;
            }

            var text = await manifest.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var edited = text.ToString();
            var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
            {
                if (!diagnostic.Properties.TryGetValue(DatabaseOwnershipAnalyzer.DatabaseProperty, out var database)
                    || string.IsNullOrEmpty(database)
                    || !declared.Add(database!))
                {
                    continue;
                }

                diagnostic.Properties.TryGetValue(DatabaseOwnershipAnalyzer.ConnectionNameProperty, out var connectionName);
                edited = ManifestDatabaseEdit.AddDatabase(edited, database!, connectionName) ?? edited;
            }

            return declared.Count == 0
                ? project.Solution
                : project.Solution.WithAdditionalDocumentText(manifest.Id, SourceText.From(edited, text.Encoding ?? System.Text.Encoding.UTF8));
        }

        // The project's operability.json: the one beside the project file, else the only one.
        private static TextDocument? FindManifest(Project project)
        {
            var directory = project.FilePath is null ? null : Path.GetDirectoryName(project.FilePath);
            TextDocument? only = null;
            var count = 0;
            foreach (var document in project.AdditionalDocuments)
            {
                if (!string.Equals(document.Name, OperabilityFiles.ManifestFileName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (directory is not null && document.FilePath is not null && OperabilityFiles.PathsEqual(Path.GetDirectoryName(document.FilePath), directory))
                {
                    return document;
                }

                only = document;
                count++;
            }

            return count == 1 ? only : null;
        }
    }
}
