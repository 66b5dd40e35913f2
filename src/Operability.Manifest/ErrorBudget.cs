using System;

namespace Operability.Manifest
{
    /// <summary>
    /// The weekly error budget, as the runtime's <c>operability_error_budget_remaining</c> and the CLI's <c>measure</c>
    /// count it: the week starts on Monday 00:00 UTC, the target allows a share 1 − target/100 of the week's requests to
    /// fail, and what is left is 1 − failures ÷ allowed failures.
    /// </summary>
    public static class ErrorBudget
    {
        /// <summary>Monday 00:00 UTC of the week holding <paramref name="instant"/>: the week a budget is counted in.</summary>
        public static DateTimeOffset WeekStart(DateTimeOffset instant)
        {
            DateTime utc = instant.UtcDateTime.Date;
            int sinceMonday = ((int)utc.DayOfWeek + 6) % 7;
            return new DateTimeOffset(utc.AddDays(-sinceMonday), TimeSpan.Zero);
        }

        /// <summary>The share of requests a target allows to fail: 0.001 for 99.9%.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100.</exception>
        public static double AllowedFailureRatio(decimal target)
        {
            Availability.EnsureValidTarget(target, nameof(target));
            return (double)((100m - target) / 100m);
        }

        /// <summary>
        /// The share of the budget left: 1 untouched, 0 spent, negative when overspent; 1 when there were no requests
        /// (nothing has been spent yet).
        /// </summary>
        /// <param name="requests">Requests counted in the week so far.</param>
        /// <param name="failures">Failed requests among them.</param>
        /// <param name="allowedFailureRatio">The share the target allows to fail (<see cref="AllowedFailureRatio"/>).</param>
        public static double Remaining(double requests, double failures, double allowedFailureRatio) =>
            requests > 0 ? 1.0 - (failures / (requests * allowedFailureRatio)) : 1.0;
    }
}
