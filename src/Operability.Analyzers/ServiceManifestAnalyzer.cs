using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS301–OPS306: a service declares itself in operability.json — one owning team, a valid
    /// availability target, a runbook that exists — and the manifest is well formed.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ServiceManifestAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            RuleDescriptors.MissingManifest,
            RuleDescriptors.OwnerNotSingle,
            RuleDescriptors.MalformedManifest,
            RuleDescriptors.InvalidAvailabilityTarget,
            RuleDescriptors.MissingRunbook,
            RuleDescriptors.AvailabilityTargetDisagreesWithExposure);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var globalOptions = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
            var project = ProjectFacts.From(globalOptions, context.Compilation);
            var files = OperabilityFiles.Find(context.Options.AdditionalFiles, context.Options.AnalyzerConfigOptionsProvider, project.ProjectDirectory);

            if (files.Manifest is null)
            {
                if (project.IsService)
                {
                    RegisterMissingManifest(context);
                }

                return;
            }

            var manifestFile = files.Manifest;
            context.RegisterAdditionalFileAction(fileContext =>
            {
                if (!ReferenceEquals(fileContext.AdditionalFile, manifestFile)
                    && !OperabilityFiles.PathsEqual(fileContext.AdditionalFile.Path, manifestFile.Path))
                {
                    return;
                }

                AnalyzeManifest(fileContext, files);
            });
        }

        private static void RegisterMissingManifest(CompilationStartAnalysisContext context)
        {
            var compilation = context.Compilation;
            var serviceName = compilation.AssemblyName ?? "this project";

            // Computed once, and only for a service that has no manifest: where the squiggle goes.
            var anchor = new Lazy<Location?>(() => FindAnchor(compilation, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
            context.RegisterSyntaxTreeAction(treeContext =>
            {
                var location = anchor.Value;
                if (location is not null && location.SourceTree == treeContext.Tree)
                {
                    treeContext.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(RuleDescriptors.MissingManifest, location, serviceName), treeContext.Options));
                }
            });
        }

        // The program's entry point (the first top-level statement, or Main's name); failing that,
        // or when it is in generated code, the start of the first hand-written file.
        private static Location? FindAnchor(Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetRoot(cancellationToken) is CompilationUnitSyntax unit && !IsGenerated(tree, unit))
                {
                    var firstGlobal = unit.Members.OfType<GlobalStatementSyntax>().FirstOrDefault();
                    if (firstGlobal is not null)
                    {
                        return firstGlobal.Statement.GetLocation();
                    }
                }
            }

            var entryPoint = compilation.GetEntryPoint(cancellationToken);
            var sourceLocation = entryPoint?.Locations.FirstOrDefault(l => l.IsInSource);
            if (sourceLocation?.SourceTree is { } entryTree && !IsGenerated(entryTree, entryTree.GetRoot(cancellationToken)))
            {
                return sourceLocation;
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                var root = tree.GetRoot(cancellationToken);
                if (!IsGenerated(tree, root))
                {
                    // The first token, not position 0, so a '#pragma warning disable' at the top applies.
                    var first = root.GetFirstToken();
                    return first.IsKind(SyntaxKind.None) ? Location.Create(tree, default) : first.GetLocation();
                }
            }

            return null;
        }

        private static bool IsGenerated(SyntaxTree tree, SyntaxNode root)
        {
            var path = tree.FilePath ?? string.Empty;
            if (path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".generated.cs", StringComparison.OrdinalIgnoreCase)
                || path.EndsWith(".designer.cs", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            foreach (var trivia in root.GetLeadingTrivia())
            {
                if ((trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
                    && trivia.ToString().IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static void AnalyzeManifest(AdditionalFileAnalysisContext context, OperabilityFiles files)
        {
            var file = context.AdditionalFile;
            var text = file.GetText(context.CancellationToken);
            if (text is null)
            {
                return;
            }

            var result = ManifestParser.Parse(text.ToString());
            var locations = new ManifestLocations(file, text);
            foreach (var diagnostic in result.Diagnostics)
            {
                var descriptor = DescriptorFor(diagnostic.Kind);
                if (descriptor is null)
                {
                    continue;
                }

                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(descriptor, locations.At(diagnostic.Position), diagnostic.Message), context.Options));
            }

            var manifest = result.Manifest;
            if (manifest is null || IsUrl(manifest.Runbook))
            {
                return;
            }

            var runbookPath = OperabilityFiles.Resolve(file.Path, manifest.Runbook);
            if (!files.Contains(runbookPath))
            {
                var position = manifest.RunbookDeclared ? manifest.RunbookPosition : FirstValuePosition(manifest);
                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(RuleDescriptors.MissingRunbook, locations.At(position), manifest.Runbook), context.Options));
            }
        }

        private static SourcePosition FirstValuePosition(ServiceManifest manifest) =>
            manifest.ServicePosition.Line > 0 ? manifest.ServicePosition : new SourcePosition(1, 1);

        private static bool IsUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        private static DiagnosticDescriptor? DescriptorFor(ManifestDiagnosticKind kind) => kind switch
        {
            ManifestDiagnosticKind.Syntax => RuleDescriptors.MalformedManifest,
            ManifestDiagnosticKind.Structure => RuleDescriptors.MalformedManifest,
            ManifestDiagnosticKind.Owner => RuleDescriptors.OwnerNotSingle,
            ManifestDiagnosticKind.AvailabilityTarget => RuleDescriptors.InvalidAvailabilityTarget,
            ManifestDiagnosticKind.AvailabilityMismatch => RuleDescriptors.AvailabilityTargetDisagreesWithExposure,
            _ => null,
        };
    }
}
