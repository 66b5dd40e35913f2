using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>
    /// Warnings while coding, errors in CI. In a CI build the package's targets pass the rules to raise in
    /// <c>build_property.OperabilityCiErrors</c> (already without the team's <c>NoWarn</c> and
    /// <c>WarningsNotAsErrors</c>), and a warning of one of them is reported as an error. The raise happens
    /// where the diagnostic is created, not in a configuration file, so the compiler then applies the team's own
    /// settings on top exactly as it would to the warning: an ID-level severity in <c>.editorconfig</c> or a
    /// <c>.globalconfig</c>, a category-level or an all-analyzers <c>dotnet_analyzer_diagnostic</c> severity,
    /// <c>NoWarn</c> and <c>#pragma warning disable</c> all still win. A generated configuration could not do
    /// that: an ID-level entry outranks every category-level and all-analyzers entry of the team's.
    /// </summary>
    internal static class CiSeverity
    {
        /// <summary>The compiler-visible property the package's targets set in a CI build.</summary>
        public const string RulesProperty = "build_property.OperabilityCiErrors";

        private static readonly char[] Separators = { ',', ' ' };

        /// <summary>
        /// <paramref name="diagnostic"/>, as an error when it is a warning of a rule the CI build raises;
        /// otherwise <paramref name="diagnostic"/> itself.
        /// </summary>
        public static Diagnostic Apply(Diagnostic diagnostic, AnalyzerOptions options)
        {
            if (diagnostic.Severity != DiagnosticSeverity.Warning
                || !options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(RulesProperty, out var rules)
                || !Lists(rules, diagnostic.Id))
            {
                return diagnostic;
            }

            var descriptor = diagnostic.Descriptor;
            return Diagnostic.Create(
                descriptor.Id,
                descriptor.Category,
                diagnostic.GetMessage(),
                DiagnosticSeverity.Error,
                descriptor.DefaultSeverity,
                descriptor.IsEnabledByDefault,
                warningLevel: 0,
                descriptor.Title,
                descriptor.Description,
                descriptor.HelpLinkUri,
                diagnostic.Location,
                diagnostic.AdditionalLocations,
                descriptor.CustomTags,
                diagnostic.Properties);
        }

        // The targets separate the rules with commas (a semicolon starts a comment in the generated .editorconfig).
        private static bool Lists(string rules, string id)
        {
            foreach (var rule in rules.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(rule.Trim(), id, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

    }
}
