using System;
using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>The <c>.editorconfig</c> options shared by the timeout rules (OPS1xx).</summary>
    internal static class TimeoutOptions
    {
        /// <summary>Timeout rules are off in test projects unless this is true.</summary>
        public const string IncludeTestProjectsKey = "operability.timeouts.include_test_projects";

        /// <summary>The timeout, in seconds, that code fixes write when a rule has no option of its own.</summary>
        public const int DefaultTimeoutSeconds = 30;

        public static bool IncludeTestProjects(AnalyzerConfigOptions options) =>
            options.TryGetValue(IncludeTestProjectsKey, out var value)
            && bool.TryParse(value.Trim(), out var include)
            && include;

        /// <summary>A positive whole number of seconds from <paramref name="key"/>, else <paramref name="fallback"/>.</summary>
        public static int Seconds(AnalyzerConfigOptions options, string key, int fallback = DefaultTimeoutSeconds)
        {
            if (options.TryGetValue(key, out var value)
                && int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0)
            {
                return seconds;
            }

            return fallback;
        }
    }
}
