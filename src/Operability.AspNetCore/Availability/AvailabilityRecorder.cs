using System;
using System.Threading;

namespace Operability.AspNetCore.Availability;

/// <summary>Requests and failures over the rolling window.</summary>
/// <param name="Window">The window's length.</param>
/// <param name="Requests">Requests counted in the window.</param>
/// <param name="Failures">Failed requests in the window.</param>
internal readonly record struct WindowMeasurement(TimeSpan Window, long Requests, long Failures)
{
    /// <summary>Successful share of requests; null before the first request.</summary>
    public double? Availability => Requests == 0 ? null : (Requests - Failures) / (double)Requests;
}

/// <summary>Requests and failures this week against the week's error budget.</summary>
/// <param name="WeekStart">Monday 00:00 UTC of the current week.</param>
/// <param name="Requests">Requests counted this week.</param>
/// <param name="Failures">Failed requests this week.</param>
/// <param name="AllowedFailureRatio">1 − target/100, for the target in force now (a peak's, during one).</param>
internal readonly record struct WeekMeasurement(DateTimeOffset WeekStart, long Requests, long Failures, double AllowedFailureRatio)
{
    /// <summary>Failures the target allows for this week's requests so far.</summary>
    public double AllowedFailures => Requests * AllowedFailureRatio;

    /// <summary>Share of the budget left: 1 untouched, 0 spent, negative when overspent.</summary>
    public double ErrorBudgetRemaining => Operability.Manifest.ErrorBudget.Remaining(Requests, Failures, AllowedFailureRatio);
}

/// <summary>
/// Counts requests in a fixed ring of time buckets (memory bounded whatever the traffic) and in the current
/// week. Lock-free on the hot path; a bucket is reset under a lock only when time moves past it.
/// </summary>
internal sealed class AvailabilityRecorder
{
    internal const int BucketCount = 168;

    private const long TicksPerWeek = 7 * TimeSpan.TicksPerDay;

    private readonly TimeProvider _time;
    private readonly long _bucketTicks;
    private readonly Func<DateTimeOffset, double> _allowedFailureRatioAt;
    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly object _weekGate = new();
    private long _weekStartTicks;
    private long _weekRequests;
    private long _weekFailures;

    public AvailabilityRecorder(TimeProvider time, TimeSpan window, double allowedFailureRatio)
        : this(time, window, _ => allowedFailureRatio)
    {
    }

    /// <summary>
    /// A recorder whose week is judged against the target in force when it is read: <paramref name="allowedFailureRatioAt"/>
    /// gives 1 − target/100 at an instant, so during a peak the whole week's failures so far count against the peak's
    /// stricter budget (what the service promised for those days), and after it against the base budget again.
    /// </summary>
    public AvailabilityRecorder(TimeProvider time, TimeSpan window, Func<DateTimeOffset, double> allowedFailureRatioAt)
    {
        _time = time;
        WindowLength = window;
        _bucketTicks = Math.Max(1, window.Ticks / BucketCount);
        _allowedFailureRatioAt = allowedFailureRatioAt;
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket();
        }

        _weekStartTicks = WeekStart(_time.GetUtcNow()).UtcTicks;
    }

    public TimeSpan WindowLength { get; }

    public void Record(bool success)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long epoch = now.UtcTicks / _bucketTicks;
        Bucket bucket = _buckets[(int)(epoch % BucketCount)];
        if (Volatile.Read(ref bucket.Epoch) != epoch)
        {
            lock (bucket)
            {
                if (bucket.Epoch != epoch)
                {
                    bucket.Requests = 0;
                    bucket.Failures = 0;
                    Volatile.Write(ref bucket.Epoch, epoch);
                }
            }
        }

        Interlocked.Increment(ref bucket.Requests);
        if (!success)
        {
            Interlocked.Increment(ref bucket.Failures);
        }

        // Within the current week (the common case) no calendar arithmetic is needed.
        long ticks = now.UtcTicks;
        long currentStart = Volatile.Read(ref _weekStartTicks);
        if (ticks < currentStart || ticks >= currentStart + TicksPerWeek)
        {
            long weekStart = WeekStart(now).UtcTicks;
            lock (_weekGate)
            {
                if (_weekStartTicks != weekStart)
                {
                    _weekRequests = 0;
                    _weekFailures = 0;
                    Volatile.Write(ref _weekStartTicks, weekStart);
                }
            }
        }

        Interlocked.Increment(ref _weekRequests);
        if (!success)
        {
            Interlocked.Increment(ref _weekFailures);
        }
    }

    /// <summary>The rolling window: the current bucket and the previous <see cref="BucketCount"/> − 1.</summary>
    public WindowMeasurement Window()
    {
        long current = _time.GetUtcNow().UtcTicks / _bucketTicks;
        long requests = 0;
        long failures = 0;
        foreach (Bucket bucket in _buckets)
        {
            long epoch = Volatile.Read(ref bucket.Epoch);
            if (epoch > current - BucketCount && epoch <= current)
            {
                requests += Volatile.Read(ref bucket.Requests);
                failures += Volatile.Read(ref bucket.Failures);
            }
        }

        return new WindowMeasurement(WindowLength, requests, failures);
    }

    /// <summary>This week so far (a week with no request yet shows its budget untouched).</summary>
    public WeekMeasurement ThisWeek()
    {
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset weekStart = WeekStart(now);
        bool sameWeek = Volatile.Read(ref _weekStartTicks) == weekStart.UtcTicks;
        return new WeekMeasurement(
            weekStart,
            sameWeek ? Volatile.Read(ref _weekRequests) : 0,
            sameWeek ? Volatile.Read(ref _weekFailures) : 0,
            _allowedFailureRatioAt(now));
    }

    /// <summary>Monday 00:00 UTC of the week holding <paramref name="now"/>.</summary>
    internal static DateTimeOffset WeekStart(DateTimeOffset now) => Operability.Manifest.ErrorBudget.WeekStart(now);

    private sealed class Bucket
    {
        public long Epoch = -1;
        public long Requests;
        public long Failures;
    }
}
