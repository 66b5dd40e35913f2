using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS301: adds a starter operability.json to the project. The owner and availability target
    /// are left for the team to fill in — the analyzers point at both until they are.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingManifestCodeFix)), Shared]
    public sealed class MissingManifestCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.AddManifest";

        /// <summary>The <c>OperabilityRole</c> the package's targets give a manifest that does not exist yet (design-time builds only).</summary>
        public const string MissingManifestRole = "MissingManifest";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.MissingManifest);

        // One manifest per project, however many diagnostics (and projects) are fixed at once.
        public override FixAllProvider GetFixAllProvider() => new ProjectFixAllProvider(
            "Add operability.json to every service that has none",
            (project, _, _) => Task.FromResult(HasManifest(project) ? project.Solution : AddManifest(project)));

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var project = context.Document.Project;
            if (HasManifest(project))
            {
                return Task.CompletedTask;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Add operability.json",
                        _ => Task.FromResult(AddManifest(project)),
                        EquivalenceKey),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        private static bool HasManifest(Project project)
        {
            foreach (var existing in project.AdditionalDocuments)
            {
                if (string.Equals(existing.Name, OperabilityFiles.ManifestFileName, System.StringComparison.OrdinalIgnoreCase)
                    && !IsPlaceholder(project, existing))
                {
                    return true;
                }
            }

            return false;
        }

        // In a design-time build the package's targets list the missing manifest as an additional file with the
        // role MissingManifest (the analyzers ignore it). The fix then writes the file by changing that document's
        // text: the MSBuild workspace that dotnet format uses cannot add additional files, and dotnet format keeps
        // only fixes that change documents.
        private static TextDocument? Placeholder(Project project, string? path)
        {
            foreach (var existing in project.AdditionalDocuments)
            {
                if (IsPlaceholder(project, existing) && (path is null || OperabilityFiles.PathsEqual(existing.FilePath, path)))
                {
                    return existing;
                }
            }

            return null;
        }

        private static bool IsPlaceholder(Project project, TextDocument document)
        {
            if (document.FilePath is null)
            {
                return false;
            }

            foreach (var file in project.AnalyzerOptions.AdditionalFiles)
            {
                if (OperabilityFiles.PathsEqual(file.Path, document.FilePath)
                    && project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(OperabilityFiles.RoleKey, out var role)
                    && string.Equals(role, MissingManifestRole, System.StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private static Solution AddManifest(Project project)
        {
            var directory = project.FilePath is null ? null : Path.GetDirectoryName(project.FilePath);
            var path = directory is null ? null : Path.Combine(directory, OperabilityFiles.ManifestFileName);
            var text = SourceText.From(StarterManifest(project.AssemblyName), Encoding.UTF8);
            if (Placeholder(project, path) is { } placeholder)
            {
                return project.Solution.WithAdditionalDocumentText(placeholder.Id, text);
            }

            return project.AddAdditionalDocument(OperabilityFiles.ManifestFileName, text, filePath: path).Project.Solution;
        }

        /// <summary>The starter manifest for a service whose assembly is <paramref name="assemblyName"/>.</summary>
        public static string StarterManifest(string assemblyName)
        {
            var builder = new StringBuilder();
            builder.Append("{\n");
            builder.Append("  \"$schema\": \"https://raw.githubusercontent.com/operability/operability/main/schemas/operability.schema.json\",\n");
            builder.Append("  \"service\": \"").Append(ServiceName(assemblyName)).Append("\",\n");
            builder.Append("  \"owner\": \"\",\n");
            builder.Append("  \"availability\": {},\n");
            builder.Append("  \"runbook\": \"RUNBOOK.md\"\n");
            builder.Append("}\n");
            return builder.ToString();
        }

        /// <summary>'Contoso.OrderService' becomes 'contoso-order-service'.</summary>
        public static string ServiceName(string assemblyName)
        {
            var builder = new StringBuilder(assemblyName.Length + 8);
            var previousWasLowerOrDigit = false;
            foreach (var c in assemblyName)
            {
                if (char.IsLetterOrDigit(c))
                {
                    if (char.IsUpper(c) && previousWasLowerOrDigit)
                    {
                        builder.Append('-');
                    }

                    builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
                    previousWasLowerOrDigit = char.IsLower(c) || char.IsDigit(c);
                }
                else
                {
                    if (builder.Length > 0 && builder[builder.Length - 1] != '-')
                    {
                        builder.Append('-');
                    }

                    previousWasLowerOrDigit = false;
                }
            }

            var name = builder.ToString().Trim('-');
            return name.Length == 0 ? "service" : name;
        }
    }
}
