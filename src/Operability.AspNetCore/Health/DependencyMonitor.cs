using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Operability.AspNetCore.Resilience;
using Operability.AspNetCore.Shutter;

namespace Operability.AspNetCore.Health;

/// <summary>
/// Every <c>Operability:Health:ProbeIntervalSeconds</c>: probes the dependencies that have a <c>HealthPath</c>
/// (through their own client, so a probe is also the circuit's trial call when it is open), observes every
/// dependency, and — when <c>Operability:Shutter:AutoEngage</c> is on — engages the shutter after
/// <c>AutoEngageAfter</c> consecutive unhealthy observations of a critical dependency and lifts it after
/// <c>AutoDisengageAfter</c> consecutive healthy observations of all of them. Readiness uses the same observations
/// with <c>Operability:Health:UnreadyAfter</c>/<c>ReadyAfter</c> (see <see cref="DependencyHealthCheck"/>). Each round also
/// asks every owned database once, under <c>Operability:Health:TimeoutSeconds</c>, for readiness's hysteresis
/// (see <see cref="DatabaseReadiness"/>); the databases do not drive the automatic shutter. Runs on the registered
/// <see cref="TimeProvider"/>, so tests move its clock.
/// </summary>
internal sealed class DependencyMonitor : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly IHttpClientFactory _clients;
    private readonly DependencyConfiguration _configuration;
    private readonly HealthSettings _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Resolved when first used, not when the host builds its hosted services: they need the manifest, and a
    // missing or invalid one must be reported by the start-up validator with every other problem.
    public DependencyMonitor(
        IServiceProvider services,
        IHttpClientFactory clients,
        DependencyConfiguration configuration,
        HealthSettings health,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _services = services;
        _clients = clients;
        _configuration = configuration;
        _health = health;
        _time = time;
        _logger = loggerFactory.CreateLogger("Operability.AspNetCore.Dependencies");
    }

    private DependencyStates States => _services.GetRequiredService<DependencyStates>();

    private ShutterState Shutter => _services.GetRequiredService<ShutterState>();

    private DatabaseProbes Databases => _services.GetRequiredService<DatabaseProbes>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (States.All.Count == 0 && Databases.All.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(_health.Current.ProbeIntervalSeconds), _time, stoppingToken).ConfigureAwait(false);
                await ObserveOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The monitor must outlive any one bad round.
                _logger.LogError(ex, "Dependency monitoring round failed");
            }
        }
    }

    /// <summary>One round: probe, observe, decide the automatic shutter.</summary>
    internal async Task ObserveOnceAsync(CancellationToken cancellationToken)
    {
        DependencyStates states = States;
        ShutterState shutter = Shutter;
        var probes = new List<Task>();
        foreach (DependencyState state in states.All)
        {
            if (_configuration.HealthPath(state.Name) is { } healthPath)
            {
                probes.Add(ProbeAsync(state, healthPath, cancellationToken));
            }
        }

        HealthValues health = _health.Current;
        foreach (DatabaseProbe database in Databases.All)
        {
            probes.Add(database.ObserveAsync(TimeSpan.FromSeconds(health.TimeoutSeconds), health.Readiness, _time, cancellationToken));
        }

        await Task.WhenAll(probes).ConfigureAwait(false);
        foreach (DependencyState state in states.All)
        {
            if (_configuration.HealthPath(state.Name) is null)
            {
                // Also done when a reload removes the HealthPath; again here for a probe that was in flight then.
                state.ForgetProbe();
            }

            state.Observe(_health.Current.Readiness);
        }

        if (!shutter.Settings.AutoEngage)
        {
            return;
        }

        Hysteresis hysteresis = shutter.Settings.AutoEngageHysteresis;
        DependencyState? failing = null;
        bool allRecovered = true;
        foreach (DependencyState state in states.All)
        {
            if (!state.Critical)
            {
                continue;
            }

            if (hysteresis.Trips(state))
            {
                failing ??= state;
            }

            if (!hysteresis.Recovered(state))
            {
                allRecovered = false;
            }
        }

        if (failing is not null)
        {
            shutter.SetAutomatic(true, "critical dependency '" + failing.Name + "' unhealthy for " + failing.ConsecutiveUnhealthy + " consecutive observations");
        }
        else if (allRecovered)
        {
            shutter.SetAutomatic(false, "every critical dependency healthy for " + shutter.Settings.AutoDisengageAfter + " consecutive observations");
        }
    }

    private async Task ProbeAsync(DependencyState state, string healthPath, CancellationToken cancellationToken)
    {
        bool healthy;
        try
        {
            HttpClient client = _clients.CreateClient(state.Name);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(healthPath, UriKind.RelativeOrAbsolute));
            request.Headers.UserAgent.ParseAdd("Operability-Probe/1.0");
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            healthy = response.IsSuccessStatusCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            // Timeouts, refused connections, an open circuit: all mean "not healthy now"; the circuit logs its changes.
            healthy = false;
        }

        bool? before = state.LastProbeHealthy;
        state.RecordProbe(healthy);
        if (before != healthy && !(before is null && healthy))
        {
            _logger.Log(
                healthy ? LogLevel.Information : LogLevel.Warning,
                "Dependency {Dependency} probe is now {Result}",
                state.Name,
                healthy ? "healthy" : "unhealthy");
        }
    }
}
