using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Logging;
using Operability.AspNetCore.Health;
using Polly.CircuitBreaker;

namespace Operability.AspNetCore.Resilience;

/// <summary>What the runtime knows about one dependency: circuit state, timeouts and probe results.</summary>
internal sealed class DependencyState
{
    private static readonly TimeSpan TimeoutLogInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly LogSummary _timeouts = new();
    private readonly LogSummary _rejections = new();
    private int _consecutiveHealthy;
    private int _consecutiveUnhealthy;
    private volatile DependencySettings? _built;
    private volatile bool _heldUnready;

    public DependencyState(string name, bool critical, TimeProvider time, ILogger logger)
    {
        Name = name;
        Critical = critical;
        _time = time;
        _logger = logger;
    }

    public string Name { get; }

    public bool Critical { get; }

    /// <summary>Read by the circuit breaker of the dependency's pipeline (shared by every handler of the client).</summary>
    public CircuitBreakerStateProvider StateProvider { get; } = new();

    /// <summary>The circuit's state; closed until the pipeline is first built.</summary>
    public CircuitState Circuit => _built is not null ? StateProvider.CircuitState : CircuitState.Closed;

    /// <summary>The settings the pipeline was built with; null until its first use.</summary>
    public DependencySettings? BuiltWith => _built;

    /// <summary>The last probe's outcome; null when the dependency is not probed or not yet.</summary>
    public bool? LastProbeHealthy { get; private set; }

    public int ConsecutiveHealthy => Volatile.Read(ref _consecutiveHealthy);

    public int ConsecutiveUnhealthy => Volatile.Read(ref _consecutiveUnhealthy);

    /// <summary>Unhealthy when the circuit is open (or isolated) or the last probe failed.</summary>
    public bool IsUnhealthy => Circuit is CircuitState.Open or CircuitState.Isolated || LastProbeHealthy == false;

    public void MarkPipelineBuilt(DependencySettings settings) => _built = settings;

    /// <summary>
    /// Readiness holds this dependency unready: it was unhealthy for the readiness hysteresis's consecutive
    /// observations and has not been healthy for as many since. Changes only in <see cref="Observe"/>.
    /// </summary>
    public bool HeldUnready => _heldUnready;

    public void RecordProbe(bool healthy) => LastProbeHealthy = healthy;

    /// <summary>The dependency is no longer probed: its last result, and what readiness concluded from it, no longer say anything.</summary>
    public void ForgetProbe()
    {
        lock (_gate)
        {
            LastProbeHealthy = null;
            _heldUnready = false;
        }
    }

    /// <summary>One observation, counted for the automatic shutter's hysteresis and decided with readiness's.</summary>
    public void Observe(Hysteresis readiness)
    {
        lock (_gate)
        {
            if (IsUnhealthy)
            {
                _consecutiveUnhealthy++;
                _consecutiveHealthy = 0;
            }
            else
            {
                _consecutiveHealthy++;
                _consecutiveUnhealthy = 0;
            }

            _heldUnready = readiness.Next(_heldUnready, _consecutiveUnhealthy, _consecutiveHealthy);
        }
    }

    /// <summary>Counts a call the full bulkhead refused; logs the first, then at most one summary a minute.</summary>
    public void RecordRejection(int permits, int queue)
    {
        if (_rejections.Count(_time.GetUtcNow(), TimeoutLogInterval) is not { } count)
        {
            return;
        }

        _logger.LogWarning(
            "Dependency {Dependency}: {Count} call(s) refused by its bulkhead since the last report ({Permits} in flight and {Queue} waiting already); further refusals are summarised at most once a minute",
            Name,
            count,
            permits,
            queue);
    }

    /// <summary>Counts a timeout; logs the first, then at most one summary a minute (never one line per request).</summary>
    public void RecordTimeout(string kind, TimeSpan timeout)
    {
        if (_timeouts.Count(_time.GetUtcNow(), TimeoutLogInterval) is not { } count)
        {
            return;
        }

        _logger.LogWarning(
            "Dependency {Dependency}: {Count} call(s) timed out since the last report (latest: {Kind} timeout of {Timeout}); further timeouts are summarised at most once a minute",
            Name,
            count,
            kind,
            timeout);
    }
}

/// <summary>Every dependency of the manifest, by name; created once per service provider.</summary>
internal sealed class DependencyStates
{
    private readonly Dictionary<string, DependencyState> _states = new(StringComparer.OrdinalIgnoreCase);

    public DependencyStates(OperabilityManifest manifest, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ILogger logger = loggerFactory.CreateLogger("Operability.AspNetCore.Dependencies");
        foreach (Operability.Manifest.ServiceDependency dependency in manifest.Manifest.Dependencies)
        {
            _states[dependency.Name] = new DependencyState(dependency.Name, dependency.Critical, time, logger);
        }

        All = new List<DependencyState>(_states.Values);
    }

    public IReadOnlyList<DependencyState> All { get; }

    public DependencyState? Find(string name) => _states.TryGetValue(name, out DependencyState? state) ? state : null;
}

/// <summary>
/// Events counted between log lines: the first is logged at once, later ones are summarised at most once per
/// interval, so a failing dependency never writes one line per request.
/// </summary>
internal sealed class LogSummary
{
    private readonly object _gate = new();
    private long _pending;
    private DateTimeOffset _lastLog = DateTimeOffset.MinValue;

    /// <summary>Counts one event; the number to log now (this one included), or null while the interval runs.</summary>
    public long? Count(DateTimeOffset now, TimeSpan interval)
    {
        Interlocked.Increment(ref _pending);
        lock (_gate)
        {
            if (now - _lastLog < interval)
            {
                return null;
            }

            _lastLog = now;
            return Interlocked.Exchange(ref _pending, 0);
        }
    }
}
