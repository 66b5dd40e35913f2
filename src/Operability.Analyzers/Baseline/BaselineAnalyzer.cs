using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers.Baseline
{
    /// <summary>
    /// OPS901: a baseline entry matches no diagnostic any more. OPS902: the baseline file is malformed.
    /// An analyzer cannot see other analyzers' diagnostics, so OPS901 is reported for every entry, at the entry, and
    /// <see cref="BaselineSuppressor"/> (which does see them) suppresses it for each entry that still matched one:
    /// what is left are the entries to remove. That needs a host that hands the suppressor every diagnostic of the
    /// compilation at once, as the command-line compiler does; the IDE (and <c>CompilationWithAnalyzers</c>) hand it
    /// parts, so OPS901 is reported only when the package's targets say the build is not a design-time build
    /// (<c>build_property.OperabilityReportUnmatchedBaselineEntries</c>), never as a false alarm in the editor.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BaselineAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The OPS901 property that names the entry (its index in <c>entries</c>) for the suppressor.</summary>
        internal const string EntryProperty = "BaselineEntry";

        /// <summary>Set to <c>true</c> by the package's targets in builds that are not design-time builds.</summary>
        internal const string ReportUnmatchedProperty = "build_property.OperabilityReportUnmatchedBaselineEntries";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.BaselineEntryUnmatched, RuleDescriptors.MalformedBaseline);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationAction(Analyze);
        }

        private static void Analyze(CompilationAnalysisContext context)
        {
            if (BaselineInput.Find(context.Options, context.CancellationToken) is not { } input
                || input.File.GetText(context.CancellationToken) is not { } text)
            {
                return;
            }

            var locations = new ManifestLocations(input.File, text);
            var name = OperabilityFiles.SafeFileName(input.File.Path);
            foreach (var problem in input.Document.Problems)
            {
                Report(context, Diagnostic.Create(RuleDescriptors.MalformedBaseline, locations.At(problem.Position), name, problem.Message));
            }

            if (!context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ReportUnmatchedProperty, out var reportUnmatched)
                || !string.Equals(reportUnmatched, "true", System.StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            foreach (var entry in input.Document.Entries)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(EntryProperty, entry.Index.ToString(CultureInfo.InvariantCulture));
                Report(context, Diagnostic.Create(RuleDescriptors.BaselineEntryUnmatched, locations.At(entry.Position), properties, entry.Fingerprint.ToString(), name));
            }
        }

        private static void Report(CompilationAnalysisContext context, Diagnostic diagnostic) =>
            context.ReportDiagnostic(CiSeverity.Apply(diagnostic, context.Options));
    }
}
