using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>The <c>.editorconfig</c> options shared by the timeout rules (OPS1xx) and their code fixes.</summary>
    internal static class TimeoutOptions
    {
        /// <summary>Timeout rules are off in test projects unless this is true.</summary>
        public const string IncludeTestProjectsKey = "operability.timeouts.include_test_projects";

        /// <summary>The timeout, in seconds, that code fixes write when a rule has no default of its own.</summary>
        public const int DefaultTimeoutSeconds = 30;

        /// <summary>The largest timeout a fix writes: its milliseconds must still fit an <see cref="int"/>.</summary>
        public const int MaxTimeoutSeconds = int.MaxValue / 1000;

        public static bool IncludeTestProjects(AnalyzerConfigOptions options) =>
            options.TryGetValue(IncludeTestProjectsKey, out var value)
            && bool.TryParse(value.Trim(), out var include)
            && include;

        /// <summary>A whole number of seconds, above zero and at most <see cref="MaxTimeoutSeconds"/>; else <paramref name="fallback"/>.</summary>
        public static int ParseSeconds(string? value, int fallback = DefaultTimeoutSeconds) =>
            value is not null
            && int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0
            && seconds <= MaxTimeoutSeconds
                ? seconds
                : fallback;

        /// <summary>The option <paramref name="key"/> as seconds (see <see cref="ParseSeconds"/>).</summary>
        public static int Seconds(AnalyzerConfigOptions options, string key, int fallback = DefaultTimeoutSeconds) =>
            ParseSeconds(options.TryGetValue(key, out var value) ? value : null, fallback);

        /// <summary>The option <paramref name="key"/> for <paramref name="tree"/>, else from the global config, as seconds.</summary>
        public static int Seconds(AnalyzerConfigOptionsProvider provider, SyntaxTree tree, string key, int fallback = DefaultTimeoutSeconds)
        {
            if (provider.GetOptions(tree).TryGetValue(key, out var value) || provider.GlobalOptions.TryGetValue(key, out value))
            {
                return ParseSeconds(value, fallback);
            }

            return fallback;
        }
    }
}
