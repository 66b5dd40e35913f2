using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Operability.AspNetCore.Health;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// Readiness leaves rotation only when a critical dependency stays unhealthy for <c>UnreadyAfter</c> consecutive
/// observations and comes back after <c>ReadyAfter</c> healthy ones, like the automatic shutter: a blip of one probe
/// or one open circuit gives fast degraded answers, not a fleet out of rotation.
/// </summary>
public sealed class ReadinessHysteresisTests : IAsyncLifetime
{
    // The service's clock stands still, so the monitor's own rounds (every ProbeIntervalSeconds on it) never run:
    // each observation is one the test makes.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Fact]
    public async Task OneFailedProbe_StaysReadyAsDegraded()
    {
        await using KestrelService service = await StartAsync();
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        _payments.Mode = FakeMode.Fail;

        await monitor.ObserveOnceAsync(CancellationToken.None);

        Assert.Equal((HttpStatusCode.OK, "Degraded", "Degraded"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task FailedProbesPersistingForUnreadyAfterObservations_TakeTheInstanceOutOfRotation()
    {
        await using KestrelService service = await StartAsync(unreadyAfter: 3);
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        _payments.Mode = FakeMode.Fail;

        for (int i = 0; i < 2; i++)
        {
            await monitor.ObserveOnceAsync(CancellationToken.None);
            Assert.Equal((HttpStatusCode.OK, "Degraded", "Degraded"), await ReadinessAsync(service));
        }

        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task Recovery_NeedsReadyAfterHealthyObservations_OneHealthyProbeDoesNotFlapBackIn()
    {
        await using KestrelService service = await StartAsync(unreadyAfter: 2, readyAfter: 2);
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        _payments.Mode = FakeMode.Fail;
        await monitor.ObserveOnceAsync(CancellationToken.None);
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"), await ReadinessAsync(service));

        _payments.Mode = FakeMode.Ok;
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"), await ReadinessAsync(service));

        // A failure while recovering starts the count again.
        _payments.Mode = FakeMode.Fail;
        await monitor.ObserveOnceAsync(CancellationToken.None);
        _payments.Mode = FakeMode.Ok;
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"), await ReadinessAsync(service));

        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "Healthy", "Healthy"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task OneOpenCircuit_StaysReadyAsDegraded_UntilObservedForUnreadyAfter()
    {
        await using KestrelService service = await StartAsync(unreadyAfter: 2, extra: new()
        {
            ["Operability:Dependencies:payments:CircuitBreaker:MinimumThroughput"] = "2",
            ["Operability:Dependencies:payments:CircuitBreaker:FailureRatio"] = "1.0",
            ["Operability:Dependencies:payments:CircuitBreaker:SamplingDuration"] = "00:01:00",
            ["Operability:Dependencies:payments:CircuitBreaker:BreakDuration"] = "00:05:00",
        });
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        _payments.Mode = FakeMode.Fail;
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");
        for (int i = 0; i < 2; i++)
        {
            (await client.GetAsync("status")).Dispose();
        }

        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => client.GetAsync("status"));
        Assert.Equal((HttpStatusCode.OK, "Degraded", "Degraded"), await ReadinessAsync(service));

        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "Degraded", "Degraded"), await ReadinessAsync(service));
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task Thresholds_AreConfigurable_AndValidatedWithTheShuttersRange()
    {
        await using KestrelService service = await StartAsync(unreadyAfter: 4, readyAfter: 5);
        HealthSettings health = service.Services.GetRequiredService<HealthSettings>();
        Assert.Equal(4, health.Current.Readiness.EngageAfter);
        Assert.Equal(5, health.Current.Readiness.DisengageAfter);

        OperabilityStartupException refused = await Assert.ThrowsAsync<OperabilityStartupException>(() => StartAsync(unreadyAfter: 0, readyAfter: 101));
        Assert.Contains("'Operability:Health:UnreadyAfter' (environment variable Operability__Health__UnreadyAfter) is 0; use 1 to 100 consecutive observations.", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'Operability:Health:ReadyAfter' (environment variable Operability__Health__ReadyAfter) is 101; use 1 to 100 consecutive observations.", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Overall, string Dependency)> ReadinessAsync(KestrelService service)
    {
        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        using JsonDocument body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        string dependency = body.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "dependency:payments").GetProperty("status").GetString()!;
        return (ready.StatusCode, body.RootElement.GetProperty("status").GetString()!, dependency);
    }

    private async Task<KestrelService> StartAsync(int? unreadyAfter = null, int? readyAfter = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Operability:Dependencies:payments:BaseAddress"] = _payments.Address.ToString(),
            ["Operability:Dependencies:payments:HealthPath"] = "/health",

            // Retries wait on the service's clock, which the tests move only between observations.
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Health:CacheSeconds"] = "0",
        };
        if (unreadyAfter is int engage)
        {
            settings["Operability:Health:UnreadyAfter"] = engage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (readyAfter is int disengage)
        {
            settings["Operability:Health:ReadyAfter"] = disengage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (KeyValuePair<string, string?> entry in extra ?? new())
        {
            settings[entry.Key] = entry.Value;
        }

        return await KestrelService.StartAsync(new ContentRoot(Manifests.WithDependency("00:00:05")), settings, builder => builder.Services.AddSingleton<TimeProvider>(_clock));
    }
}
