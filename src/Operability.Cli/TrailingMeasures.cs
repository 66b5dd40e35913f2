using System;
using System.Collections.Generic;
using System.Linq;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>A stretch of time in which the failure ratio was above what the target allows.</summary>
    /// <param name="Start">The first step found below target.</param>
    /// <param name="End">The first step found back within target; null while it is still going at the end of the window.</param>
    internal sealed record BelowTargetPeriod(DateTimeOffset Start, DateTimeOffset? End)
    {
        /// <summary>How long availability took to be restored; null while it has not been.</summary>
        public TimeSpan? TimeToRestore => End - Start;
    }

    /// <summary>Deployment frequency and lead time over a window, against the deployment target.</summary>
    internal sealed record DeploymentMeasure(int Count, decimal PerWeek, DeploymentFrequency? Target, TimeSpan? MedianLeadTime, TimeSpan? MeanLeadTime)
    {
        /// <summary>True when the service deployed at least as often as its target; null without a target.</summary>
        public bool? MeetsTarget => Target is DeploymentFrequency target ? PerWeek >= target.PerWeek : null;
    }

    /// <summary>
    /// The playbook's trailing measures, computed from what Prometheus and the deployments file hold: no I/O here.
    /// </summary>
    internal static class TrailingMeasures
    {
        /// <summary>Availability as the successful share of requests; null when there were none.</summary>
        public static double? Availability(double requests, double failures) =>
            requests > 0 && !double.IsNaN(requests) && !double.IsNaN(failures) ? Math.Clamp((requests - failures) / requests, 0d, 1d) : null;

        /// <summary>The share of the week's error budget left (<see cref="ErrorBudget.Remaining"/>), for the target in force now.</summary>
        public static double ErrorBudgetRemaining(double requests, double failures, decimal target) =>
            ErrorBudget.Remaining(requests, failures, ErrorBudget.AllowedFailureRatio(target));

        /// <summary>
        /// The periods in which the failure ratio was above the allowed share (1 − target/100) for the target in force
        /// at each step. A period starts at the first step above it and ends at the first later step within it; a step
        /// without a ratio (no requests, so 0/0, or no sample at all for more than one step) is within it: no request
        /// failed. A period still going at the last step has no end.
        /// </summary>
        /// <param name="ratios">The failure ratio at each step, in time order.</param>
        /// <param name="step">The distance between steps.</param>
        /// <param name="targetAt">The availability target in force at an instant; null where the service has none.</param>
        public static IReadOnlyList<BelowTargetPeriod> PeriodsBelowTarget(IReadOnlyList<(DateTimeOffset At, double Value)> ratios, TimeSpan step, Func<DateTimeOffset, decimal?> targetAt)
        {
            var periods = new List<BelowTargetPeriod>();
            DateTimeOffset? start = null;
            DateTimeOffset? previous = null;
            foreach ((DateTimeOffset at, double value) in ratios.OrderBy(r => r.At))
            {
                if (start is not null && previous is DateTimeOffset last && at - last > step + step / 2)
                {
                    // A gap: the step after the last sample had no ratio, so the period ended there.
                    periods.Add(new BelowTargetPeriod(start.Value, last + step));
                    start = null;
                }

                bool below = targetAt(at) is decimal target && !double.IsNaN(value) && value > ErrorBudget.AllowedFailureRatio(target);
                if (below && start is null)
                {
                    start = at;
                }
                else if (!below && start is not null)
                {
                    periods.Add(new BelowTargetPeriod(start.Value, at));
                    start = null;
                }

                previous = at;
            }

            if (start is not null)
            {
                periods.Add(new BelowTargetPeriod(start.Value, null));
            }

            return periods;
        }

        /// <summary>The mean time to restore over the periods that ended; null when none did.</summary>
        public static TimeSpan? MeanTimeToRestore(IReadOnlyList<BelowTargetPeriod> periods)
        {
            var restored = periods.Where(p => p.End is not null).Select(p => p.TimeToRestore!.Value.Ticks).ToList();
            return restored.Count == 0 ? null : TimeSpan.FromTicks((long)restored.Average());
        }

        /// <summary>Deployments a week over <paramref name="window"/>, and the median and mean lead time.</summary>
        public static DeploymentMeasure Deployments(IReadOnlyList<Deployment> deployments, TimeSpan window, DeploymentFrequency? target)
        {
            decimal weeks = (decimal)window.Ticks / TimeSpan.FromDays(7).Ticks;
            decimal perWeek = decimal.Round(deployments.Count / weeks, 4);
            if (deployments.Count == 0)
            {
                return new DeploymentMeasure(0, 0m, target, null, null);
            }

            long[] leads = deployments.Select(d => d.LeadTime.Ticks).OrderBy(t => t).ToArray();
            int middle = leads.Length / 2;
            long median = leads.Length % 2 == 1 ? leads[middle] : (leads[middle - 1] / 2) + (leads[middle] / 2);
            return new DeploymentMeasure(deployments.Count, perWeek, target, TimeSpan.FromTicks(median), TimeSpan.FromTicks((long)leads.Average(t => (double)t)));
        }
    }
}
