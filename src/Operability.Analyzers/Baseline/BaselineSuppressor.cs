using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers.Baseline
{
    /// <summary>
    /// Suppresses exactly the OPS1xx–OPS4xx diagnostics the project's <c>operability.baseline.json</c> lists (see
    /// <see cref="BaselineFingerprint"/>), so a team can adopt the package on existing code and still fail CI on every
    /// new violation. Each suppression carries a justification, which the compiler writes into its SARIF log. It also
    /// suppresses OPS901 for every entry that matched, leaving OPS901 only on entries to remove.
    /// </summary>
    /// <remarks>
    /// Roslyn lets a suppressor suppress only diagnostics that are not errors by default and not NotConfigurable, so
    /// OPS102 and OPS204 (errors by default) cannot be baselined; warnings raised to errors in CI can.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BaselineSuppressor : DiagnosticSuppressor
    {
        private static readonly Regex BaselinedRule = new Regex("^OPS[1-4][0-9][0-9]$", RegexOptions.CultureInvariant);

        private static readonly ImmutableDictionary<string, SuppressionDescriptor> ByRule = CreateDescriptors();

        public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.CreateRange(ByRule.Values);

        /// <summary>Whether a rule's diagnostics can be listed in the baseline (OPS1xx–OPS4xx, not errors by default).</summary>
        internal static bool CanBaseline(string ruleId) => ByRule.ContainsKey(ruleId) && BaselinedRule.IsMatch(ruleId);

        public override void ReportSuppressions(SuppressionAnalysisContext context)
        {
            if (BaselineInput.Find(context.Options, context.CancellationToken) is not { } input || input.Document.Entries.Count == 0)
            {
                return;
            }

            var entries = new Dictionary<BaselineFingerprint, BaselineEntry>();
            foreach (var entry in input.Document.Entries)
            {
                if (!entries.ContainsKey(entry.Fingerprint))
                {
                    entries.Add(entry.Fingerprint, entry);
                }
            }

            var findings = new List<(Diagnostic Diagnostic, BaselineFingerprint Fingerprint, FileLinePositionSpan Position)>();
            var unmatchedReports = new List<Diagnostic>();
            foreach (var diagnostic in context.ReportedDiagnostics)
            {
                if (diagnostic.Id == RuleIds.BaselineEntryUnmatched)
                {
                    unmatchedReports.Add(diagnostic);
                }
                else if (CanBaseline(diagnostic.Id))
                {
                    findings.Add((diagnostic, Fingerprint(diagnostic, input, context), diagnostic.Location.GetLineSpan()));
                }
            }

            // Occurrences count in document order, as the writer counts the SARIF results.
            findings.Sort((a, b) =>
            {
                var byFile = string.CompareOrdinal(a.Fingerprint.File, b.Fingerprint.File);
                return byFile != 0 ? byFile : a.Position.StartLinePosition.CompareTo(b.Position.StartLinePosition);
            });
            var numbered = BaselineFingerprint.Number(findings.ConvertAll(f => f.Fingerprint));
            var matched = new HashSet<int>();
            for (var i = 0; i < findings.Count; i++)
            {
                if (entries.TryGetValue(numbered[i], out var entry))
                {
                    context.ReportSuppression(Suppression.Create(ByRule[findings[i].Diagnostic.Id], findings[i].Diagnostic));
                    matched.Add(entry.Index);
                }
            }

            foreach (var report in unmatchedReports)
            {
                if (report.Properties.TryGetValue(BaselineAnalyzer.EntryProperty, out var index)
                    && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var entryIndex)
                    && matched.Contains(entryIndex))
                {
                    context.ReportSuppression(Suppression.Create(ByRule[RuleIds.BaselineEntryUnmatched], report));
                }
            }
        }

        private static BaselineFingerprint Fingerprint(Diagnostic diagnostic, BaselineInput input, SuppressionAnalysisContext context)
        {
            var location = diagnostic.Location;
            if (location.IsInSource && location.SourceTree is { } tree)
            {
                var file = BaselineFingerprint.RelativePath(tree.FilePath, input.ProjectDirectory);
                return BaselineFingerprint.InSource(diagnostic.Id, file, tree, location.SourceSpan, tree.GetText(context.CancellationToken));
            }

            if (location.Kind == LocationKind.ExternalFile)
            {
                var span = location.GetLineSpan();
                var file = BaselineFingerprint.RelativePath(span.Path, input.ProjectDirectory);
                return BaselineInput.AdditionalFile(context.Options.AdditionalFiles, span.Path)?.GetText(context.CancellationToken) is { } text
                    ? BaselineFingerprint.InFile(diagnostic.Id, file, text, span.Span)
                    : new BaselineFingerprint(diagnostic.Id, file, string.Empty, string.Empty, 0);
            }

            return BaselineFingerprint.Unlocated(diagnostic.Id);
        }

        private static ImmutableDictionary<string, SuppressionDescriptor> CreateDescriptors()
        {
            // Every rule of the package, read from its descriptors so that a rule added later is covered too.
            var byRule = ImmutableDictionary.CreateBuilder<string, SuppressionDescriptor>(StringComparer.Ordinal);
            foreach (var field in typeof(RuleDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (field.GetValue(null) is DiagnosticDescriptor rule
                    && rule.DefaultSeverity != DiagnosticSeverity.Error
                    && BaselinedRule.IsMatch(rule.Id))
                {
                    byRule[rule.Id] = new SuppressionDescriptor(
                        BaselineDocument.SuppressionIdPrefix + rule.Id.Substring(3),
                        rule.Id,
                        "Listed in the project's operability baseline (" + BaselineDocument.FileName + "): a violation that existed when the baseline was written, accepted for the reason its entry gives; fix it and remove the entry");
                }
            }

            byRule[RuleIds.BaselineEntryUnmatched] = new SuppressionDescriptor(
                BaselineDocument.SuppressionIdPrefix + RuleIds.BaselineEntryUnmatched.Substring(3),
                RuleIds.BaselineEntryUnmatched,
                "The baseline entry still matches a diagnostic, which it suppresses");
            return byRule.ToImmutable();
        }
    }
}
