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
    /// availability target, a runbook that exists — and the manifest is well formed. OPS307–OPS312: the
    /// organisation policy the build hands over is well formed and the manifest obeys it (see
    /// <see cref="OrganisationPolicyRules"/>). The policy is only read for a project that has a manifest.
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
            RuleDescriptors.AvailabilityTargetDisagreesWithExposure,
            RuleDescriptors.MalformedPolicy,
            RuleDescriptors.OwnerNotAPolicyTeam,
            RuleDescriptors.ProductDomainMissingOrUnknown,
            RuleDescriptors.OnCallDiffersFromTarget,
            RuleDescriptors.LowTargetsWarningSign,
            RuleDescriptors.PolicyReviewOverdue);

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
            var policy = OrganisationPolicyInput.Read(
                context.Options,
                files,
                text => context.TryGetValue(text, OrganisationPolicyInput.Parser, out var parsed) ? parsed : OrganisationPolicyParser.Parse(text.ToString()),
                context.CancellationToken);
            context.RegisterAdditionalFileAction(fileContext =>
            {
                if (IsFile(fileContext.AdditionalFile, manifestFile))
                {
                    AnalyzeManifest(fileContext, files, policy);
                }
                else if (policy.File is not null && IsFile(fileContext.AdditionalFile, policy.File))
                {
                    OrganisationPolicyRules.AnalyzePolicyFile(fileContext, policy);
                }
            });
        }

        private static bool IsFile(AdditionalText file, AdditionalText expected) =>
            ReferenceEquals(file, expected) || OperabilityFiles.PathsEqual(file.Path, expected.Path);

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

        private static void AnalyzeManifest(AdditionalFileAnalysisContext context, OperabilityFiles files, OrganisationPolicyInput policy)
        {
            var file = context.AdditionalFile;
            var text = file.GetText(context.CancellationToken);
            if (text is null)
            {
                return;
            }

            var manifestText = text.ToString();
            var result = ManifestParser.Parse(manifestText, policy.Policy);
            var locations = new ManifestLocations(file, text);
            foreach (var diagnostic in result.Diagnostics)
            {
                var descriptor = DescriptorFor(diagnostic.Kind);
                if (descriptor is null
                    || (policy.IsBroken && diagnostic.Kind == ManifestDiagnosticKind.AvailabilityMismatch))
                {
                    // With a broken policy the playbook's bands would judge the target in the organisation's place.
                    continue;
                }

                var message = diagnostic.Kind == ManifestDiagnosticKind.AvailabilityMismatch && policy.Policy is { } organisation && result.Manifest is { } read
                    ? MismatchWithOrganisationBands(read, organisation) ?? diagnostic.Message
                    : diagnostic.Message;
                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(descriptor, locations.At(diagnostic.Position), message), context.Options));
            }

            var manifest = result.Manifest;
            if (manifest is null)
            {
                return;
            }

            OrganisationPolicyRules.AnalyzeManifest(context, policy, manifest, locations, manifestText);
            if (IsUrl(manifest.Runbook))
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

        // OPS306 against an organisation's bands names the band and the currency, so the team sees which number to question.
        private static string? MismatchWithOrganisationBands(ServiceManifest manifest, OrganisationPolicy policy)
        {
            if (manifest.AvailabilityTarget is not decimal declared || manifest.FinancialExposurePerHour is not decimal exposure)
            {
                return null;
            }

            var bands = policy.AvailabilitySelector.Bands;
            var band = bands[bands.Count - 1];
            var above = true;
            foreach (var candidate in bands)
            {
                if (candidate.MaxExposurePerHour >= exposure)
                {
                    band = candidate;
                    above = false;
                    break;
                }
            }

            var selected = ManifestBuilder.Number(band.AvailabilityTarget);
            var range = above
                ? "above every band, so the top band's (up to " + ManifestBuilder.Number(band.MaxExposurePerHour) + " " + policy.Currency + ")"
                : "the band up to " + ManifestBuilder.Number(band.MaxExposurePerHour) + " " + policy.Currency + " an hour";
            return "Property 'availability.target' is " + ManifestBuilder.Number(declared) + " but 'availability.financialExposurePerHour' " + ManifestBuilder.Number(exposure) + " " + policy.Currency
                + " selects " + selected + " with the organisation's exposure bands (" + range + "); declare " + selected + " or explain the difference";
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
