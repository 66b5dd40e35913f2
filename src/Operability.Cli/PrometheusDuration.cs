using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Operability.Cli
{
    /// <summary>Durations written as Prometheus writes them: <c>7d</c>, <c>10s</c>, <c>1h30m</c> (units ms, s, m, h, d, w, y).</summary>
    internal static class PrometheusDuration
    {
        private static readonly Regex Part = new(@"(\d+)(ms|s|m|h|d|w|y)", RegexOptions.CultureInvariant);
        private static readonly Regex Whole = new(@"^(\d+(ms|s|m|h|d|w|y))+$", RegexOptions.CultureInvariant);

        /// <summary>Reads <paramref name="text"/>; false for any other form, zero, or more than ten years.</summary>
        public static bool TryParse(string? text, out TimeSpan duration)
        {
            duration = TimeSpan.Zero;
            if (text is null || !Whole.IsMatch(text))
            {
                return false;
            }

            decimal milliseconds = 0m;
            foreach (Match match in Part.Matches(text))
            {
                if (!decimal.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out decimal count) || count > 1_000_000_000m)
                {
                    return false;
                }

                milliseconds += count * match.Groups[2].Value switch
                {
                    "ms" => 1m,
                    "s" => 1_000m,
                    "m" => 60_000m,
                    "h" => 3_600_000m,
                    "d" => 86_400_000m,
                    "w" => 604_800_000m,
                    _ => 31_536_000_000m,
                };
            }

            // Ten years bounds every range Prometheus keeps, and keeps the arithmetic far from TimeSpan's limits.
            if (milliseconds <= 0m || milliseconds > 10m * 31_536_000_000m)
            {
                return false;
            }

            duration = TimeSpan.FromMilliseconds((double)milliseconds);
            return true;
        }

        /// <summary>A range selector for PromQL in whole seconds (at least one): <c>604800s</c>.</summary>
        public static string ForQuery(TimeSpan duration) =>
            Math.Max(1L, (long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
    }
}
