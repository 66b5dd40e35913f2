using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Configuration;

namespace Operability.AspNetCore.Health;

/// <summary>The validated <c>Operability:Health</c> numbers.</summary>
internal sealed record HealthValues(double CacheSeconds, double TimeoutSeconds, double ProbeIntervalSeconds, Hysteresis Readiness)
{
    /// <summary>Defensive: never a value that would loop, overflow or throw, whatever the options say.</summary>
    public static HealthValues Clamped(HealthOptions health) => new(
        Clamp(health.CacheSeconds, 0, 60, 2),
        Clamp(health.TimeoutSeconds, 0.1, 60, 2),
        Clamp(health.ProbeIntervalSeconds, 1, 3600, 10),
        new Hysteresis(
            Math.Clamp(health.UnreadyAfter, Hysteresis.MinimumObservations, Hysteresis.MaximumObservations),
            Math.Clamp(health.ReadyAfter, Hysteresis.MinimumObservations, Hysteresis.MaximumObservations)));

    private static double Clamp(double value, double min, double max, double fallback) =>
        double.IsNaN(value) ? fallback : Math.Clamp(value, min, max);
}

/// <summary>
/// <c>Operability:Health</c> as the probes, the readiness cache and the monitor use it. Follows reloadable
/// configuration like the shutter: a valid change applies at once; an invalid one is logged and the last valid
/// values stay (a zero probe interval must not become a tight loop, a negative timeout must not break readiness).
/// </summary>
internal sealed class HealthSettings : IDisposable
{
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private volatile HealthValues _current;

    public HealthSettings(IOptionsMonitor<OperabilityOptions> options, ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger("Operability.AspNetCore.Health");

        // Start-up validation rejects invalid values; clamping keeps this usable until it has run.
        _current = HealthValues.Clamped(options.CurrentValue.Health);
        _subscription = options.OnChange(Reload);
    }

    public HealthValues Current => _current;

    public void Dispose() => _subscription?.Dispose();

    private void Reload(OperabilityOptions options)
    {
        var problems = new List<string>();
        foreach (string problem in options.Problems)
        {
            if (problem.StartsWith("'Operability:Health", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(problem);
            }
        }

        OperabilityValidation.ValidateHealth(options.Health, problems);
        if (problems.Count > 0)
        {
            _logger.LogError("Health configuration change ignored, the previous settings stay in force: {Problems}", string.Join(" ", problems));
            return;
        }

        _current = HealthValues.Clamped(options.Health);
    }
}
