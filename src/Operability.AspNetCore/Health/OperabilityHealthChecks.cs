using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Resilience;
using Operability.AspNetCore.Shutter;
using Operability.Manifest;
using Polly.CircuitBreaker;

namespace Operability.AspNetCore.Health;

/// <summary>The tags the runtime's endpoints select checks by.</summary>
public static class OperabilityHealthTags
{
    /// <summary>Checks tagged <c>ready</c> run for <c>/health/ready</c>.</summary>
    public const string Ready = "ready";

    /// <summary>Checks tagged <c>live</c> run for <c>/health/live</c> (none by default: liveness is the process answering).</summary>
    public const string Live = "live";
}

/// <summary>
/// Registers a readiness check per owned database connection string (asking the provider the service registered
/// for it, or TCP; see <see cref="DatabaseProbe"/>) and per dependency of the manifest, and
/// the shutter's, when the health check service is first built (the manifest is read at start, not at
/// registration). Also gives every check without its own timeout <c>Operability:Health:TimeoutSeconds</c>.
/// </summary>
internal sealed class ManifestHealthChecks : IConfigureOptions<HealthCheckServiceOptions>, IPostConfigureOptions<HealthCheckServiceOptions>
{
    private readonly ManifestSource _manifest;
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<OperabilityOptions> _options;

    public ManifestHealthChecks(ManifestSource manifest, IServiceProvider services, IOptionsMonitor<OperabilityOptions> options)
    {
        _manifest = manifest;
        _services = services;
        _options = options;
    }

    public void Configure(HealthCheckServiceOptions options)
    {
        if (_manifest.Problems.Count > 0)
        {
            return;
        }

        OperabilityManifest manifest = _manifest.Manifest;
        var tags = new[] { OperabilityHealthTags.Ready };
        foreach (OwnedDatabase database in manifest.Manifest.Databases)
        {
            foreach (string connectionStringName in database.ConnectionStrings)
            {
                string name = DatabaseProbe.CheckNameFor(database, connectionStringName);
                options.Registrations.Add(new HealthCheckRegistration(
                    name,
                    services => ActivateDatabaseCheck(services, name),
                    HealthStatus.Unhealthy,
                    tags));
            }
        }

        foreach (ServiceDependency dependency in manifest.Manifest.Dependencies)
        {
            ServiceDependency captured = dependency;
            options.Registrations.Add(new HealthCheckRegistration(
                "dependency:" + dependency.Name,
                services => new DependencyHealthCheck(
                    (DependencyStates)services.GetService(typeof(DependencyStates))!,
                    (ShutterState)services.GetService(typeof(ShutterState))!,
                    (HealthSettings)services.GetService(typeof(HealthSettings))!,
                    captured.Name,
                    () => ((DependencyConfiguration)services.GetService(typeof(DependencyConfiguration))!).HealthPath(captured.Name) is not null),
                HealthStatus.Unhealthy,
                tags));
        }

        options.Registrations.Add(new HealthCheckRegistration(
            "shutter",
            services => new ShutterHealthCheck((ShutterState)services.GetService(typeof(ShutterState))!),
            HealthStatus.Degraded,
            tags));
    }

    public void PostConfigure(string? name, HealthCheckServiceOptions options)
    {
        TimeSpan timeout = TimeSpan.FromSeconds(HealthValues.Clamped(_options.CurrentValue.Health).TimeoutSeconds);
        foreach (HealthCheckRegistration registration in options.Registrations)
        {
            if (registration.Timeout == Timeout.InfiniteTimeSpan)
            {
                registration.Timeout = timeout;
            }
        }
    }

    private static IHealthCheck ActivateDatabaseCheck(IServiceProvider services, string name) =>
        new ShutterTolerantCheck(
            new DatabaseHealthCheck(
                services.GetRequiredService<DatabaseProbes>().Find(name)!,
                services.GetRequiredService<HealthSettings>(),
                services.GetRequiredService<TimeProvider>()),
            services.GetRequiredService<ShutterState>());
}

/// <summary>
/// Reports an unhealthy result as Degraded while the shutter is engaged, as <see cref="DependencyHealthCheck"/>
/// does: a shuttered instance must stay in rotation so that users see the shutter page.
/// </summary>
internal sealed class ShutterTolerantCheck : IHealthCheck
{
    private readonly IHealthCheck _inner;
    private readonly ShutterState _shutter;

    public ShutterTolerantCheck(IHealthCheck inner, ShutterState shutter)
    {
        _inner = inner;
        _shutter = shutter;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthCheckResult result;
        try
        {
            result = await _inner.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutter.IsEngaged)
        {
            // The check's timeout; the health check service would report it Unhealthy.
            return HealthCheckResult.Degraded("Timed out (shutter engaged, instance stays ready to serve the shutter page)");
        }

        return result.Status == HealthStatus.Unhealthy && _shutter.IsEngaged
            ? new HealthCheckResult(HealthStatus.Degraded, result.Description + " (shutter engaged, instance stays ready to serve the shutter page)", result.Exception, result.Data)
            : result;
    }
}

/// <summary>
/// A dependency is healthy while its circuit is closed and its last probe (if it is probed) succeeded; half-open
/// is Degraded. Not healthy (circuit open or probe failed) is Degraded, never Unhealthy, when the dependency is not
/// critical, while the shutter is engaged (a shuttered instance must stay in rotation to show users the shutter
/// page), or when it has no <c>HealthPath</c> (with the instance out of rotation no call, and no probe, would ever
/// reach the circuit to close it: readiness would stay unready for good). Otherwise — critical, probed, not
/// shuttered — it is Unhealthy only while <see cref="DependencyState.HeldUnready"/>: after
/// <c>Operability:Health:UnreadyAfter</c> consecutive unhealthy observations, until <c>ReadyAfter</c> healthy ones.
/// One failed probe or one open circuit is a blip the service answers fast and degraded, not a reason to take every
/// instance of the fleet out of rotation at once. No I/O.
/// </summary>
internal sealed class DependencyHealthCheck : IHealthCheck
{
    private readonly DependencyStates _states;
    private readonly ShutterState _shutter;
    private readonly HealthSettings _health;
    private readonly string _name;
    private readonly Func<bool> _probed;

    public DependencyHealthCheck(DependencyStates states, ShutterState shutter, HealthSettings health, string name, Func<bool> probed)
    {
        _states = states;
        _shutter = shutter;
        _health = health;
        _name = name;
        _probed = probed;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DependencyState? state = _states.Find(_name);
        if (state is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy());
        }

        CircuitState circuit = state.Circuit;
        var data = new Dictionary<string, object>
        {
            ["circuit"] = CircuitName(circuit),
            ["critical"] = state.Critical,
        };
        if (state.LastProbeHealthy is bool probe)
        {
            data["probe"] = probe ? "healthy" : "unhealthy";
        }

        bool failing = state.IsUnhealthy;
        bool held = state.Critical && state.HeldUnready;
        if (!failing && !held)
        {
            return Task.FromResult(circuit == CircuitState.HalfOpen
                ? HealthCheckResult.Degraded("Circuit half-open: a trial call decides", data: data)
                : HealthCheckResult.Healthy("Circuit closed", data));
        }

        Hysteresis readiness = _health.Current.Readiness;
        string description = !failing
            ? "Recovering: " + state.ConsecutiveHealthy + " of " + readiness.DisengageAfter + " consecutive healthy observations before ready again"
            : circuit is CircuitState.Open or CircuitState.Isolated ? "Circuit open: calls fail fast" : "Last probe failed";
        if (!state.Critical)
        {
            return Task.FromResult(HealthCheckResult.Degraded(description + " (not critical)", data: data));
        }

        if (_shutter.IsEngaged)
        {
            return Task.FromResult(HealthCheckResult.Degraded(description + " (critical; shutter engaged, instance stays ready to serve the shutter page)", data: data));
        }

        if (!_probed())
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                description + " (critical; no HealthPath probe could see it recover, so the instance stays ready for calls to close the circuit)",
                data: data));
        }

        if (!held)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                description + " (critical; unready after " + readiness.EngageAfter + " consecutive unhealthy observations, " + state.ConsecutiveUnhealthy + " so far)",
                data: data));
        }

        return Task.FromResult(HealthCheckResult.Unhealthy(description + " (critical)", data: data));
    }

    internal static string CircuitName(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.HalfOpen => "half-open",
        CircuitState.Open => "open",
        _ => "isolated",
    };
}

/// <summary>Degraded while shuttered, so readiness shows it without taking the instance out of rotation.</summary>
internal sealed class ShutterHealthCheck : IHealthCheck
{
    private readonly ShutterState _shutter;

    public ShutterHealthCheck(ShutterState shutter)
    {
        _shutter = shutter;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_shutter.IsEngaged
            ? HealthCheckResult.Degraded("Shuttered (" + _shutter.Sources + ")")
            : HealthCheckResult.Healthy("Not shuttered"));
}
