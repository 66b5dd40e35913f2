using System;
using Operability.Manifest;

namespace Operability.AspNetCore.Resilience;

/// <summary>
/// Resilience numbers for dependencies of a service, chosen from the service's availability target. A service
/// that may be down 0:10:05 a week cannot spend its users' patience waiting on a dependency: the higher the
/// target, the shorter the waits and the sooner a failing dependency is cut off. See docs/runtime.md.
/// </summary>
public sealed record DependencyDefaults(
    TimeSpan TotalTimeout,
    TimeSpan AttemptTimeout,
    int Retries,
    TimeSpan RetryBaseDelay,
    double FailureRatio,
    int MinimumThroughput,
    TimeSpan SamplingDuration,
    TimeSpan BreakDuration,
    double BulkheadCallsPerSecond,
    double BulkheadQueueShare)
{
    /// <summary>The fewest concurrent calls a default bulkhead admits, however short the timeout.</summary>
    public const int MinimumBulkheadPermits = 2;

    /// <summary>The most concurrent calls a default bulkhead admits, however long the timeout.</summary>
    public const int MaximumBulkheadPermits = 1000;

    /// <summary>The most a configured bulkhead may admit or queue (<c>Bulkhead:PermitLimit</c>, <c>Bulkhead:QueueLimit</c>).</summary>
    public const int MaximumBulkheadLimit = 10000;

    /// <summary>99.9% and above: total 2 s, attempt 500 ms, 2 retries from 100 ms, circuit over 10 s, open 5 s, bulkhead 25 calls/s at the timeout, queue 10%.</summary>
    public static DependencyDefaults HighAvailability { get; } = new(
        TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500), 2, TimeSpan.FromMilliseconds(100), 0.5, 10, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 25, 0.1);

    /// <summary>99.0% up to 99.9%: total 5 s, attempt 1.5 s, 2 retries from 200 ms, circuit over 30 s, open 15 s, bulkhead 10 calls/s at the timeout, queue 25%.</summary>
    public static DependencyDefaults StandardAvailability { get; } = new(
        TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1500), 2, TimeSpan.FromMilliseconds(200), 0.5, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15), 10, 0.25);

    /// <summary>Below 99.0% (95.0%): total 10 s, attempt 3 s, 2 retries from 500 ms, circuit over 30 s, open 30 s, bulkhead 5 calls/s at the timeout, queue 50%.</summary>
    public static DependencyDefaults BasicAvailability { get; } = new(
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), 2, TimeSpan.FromMilliseconds(500), 0.5, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 5, 0.5);

    /// <summary>
    /// The bulkhead's concurrent calls for a dependency with <paramref name="totalTimeout"/>, by Little's law: the
    /// calls in flight when <see cref="BulkheadCallsPerSecond"/> calls a second each run to the whole timeout (the
    /// slow dependency the bulkhead exists for), between <see cref="MinimumBulkheadPermits"/> and
    /// <see cref="MaximumBulkheadPermits"/>. A dependency declared to answer fast gets fewer permits: it has no
    /// business holding many of the service's requests.
    /// </summary>
    public int BulkheadPermitsFor(TimeSpan totalTimeout)
    {
        double permits = Math.Ceiling(BulkheadCallsPerSecond * totalTimeout.TotalSeconds);
        return permits < MinimumBulkheadPermits ? MinimumBulkheadPermits : permits > MaximumBulkheadPermits ? MaximumBulkheadPermits : (int)permits;
    }

    /// <summary>The calls that may wait for a permit: <see cref="BulkheadQueueShare"/> of the permits, rounded up.</summary>
    public int BulkheadQueueFor(int permits) => (int)Math.Ceiling(permits * BulkheadQueueShare);

    /// <summary>The defaults for an availability target in percent.</summary>
    public static DependencyDefaults ForTarget(decimal availabilityTarget) =>
        availabilityTarget >= 99.9m ? HighAvailability
        : availabilityTarget >= 99.0m ? StandardAvailability
        : BasicAvailability;
}

/// <summary>The settings one dependency's pipeline is built with: manifest, then configuration, then defaults.</summary>
internal sealed record DependencySettings(
    string Name,
    bool Critical,
    TimeSpan TotalTimeout,
    bool TotalTimeoutFromManifest,
    TimeSpan AttemptTimeout,
    int Retries,
    TimeSpan RetryBaseDelay,
    double FailureRatio,
    int MinimumThroughput,
    TimeSpan SamplingDuration,
    TimeSpan BreakDuration,
    int BulkheadPermitLimit,
    int BulkheadQueueLimit,
    Uri? BaseAddress,
    string? HealthPath)
{
    /// <summary>Polly's smallest timeout.</summary>
    internal static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);

    public static DependencySettings Resolve(OperabilityManifest manifest, ServiceDependency dependency, DependencyOptions? configured)
    {
        DependencyDefaults defaults = DependencyDefaults.ForTarget(manifest.AvailabilityTarget);
        TimeSpan total = dependency.Timeout ?? defaults.TotalTimeout;
        int retries = configured?.Retries ?? defaults.Retries;

        // An attempt gets at most an equal share of the total, so every retry still has time to run.
        TimeSpan share = TimeSpan.FromTicks(total.Ticks / (Math.Max(retries, 0) + 1));
        TimeSpan attempt = configured?.AttemptTimeout ?? (defaults.AttemptTimeout < share ? defaults.AttemptTimeout : share);
        if (attempt < MinimumTimeout)
        {
            attempt = MinimumTimeout;
        }

        int permits = configured?.BulkheadPermitLimit ?? defaults.BulkheadPermitsFor(total);
        return new DependencySettings(
            dependency.Name,
            dependency.Critical,
            total < MinimumTimeout ? MinimumTimeout : total,
            dependency.Timeout.HasValue,
            attempt,
            retries,
            configured?.RetryBaseDelay ?? defaults.RetryBaseDelay,
            configured?.FailureRatio ?? defaults.FailureRatio,
            configured?.MinimumThroughput ?? defaults.MinimumThroughput,
            configured?.SamplingDuration ?? defaults.SamplingDuration,
            configured?.BreakDuration ?? defaults.BreakDuration,
            permits,
            configured?.BulkheadQueueLimit ?? defaults.BulkheadQueueFor(permits),
            configured?.BaseAddress,
            configured?.HealthPath);
    }
}
