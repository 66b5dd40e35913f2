using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Resilience;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>Dependency settings changed by reloadable configuration: validated, and a removed probe forgotten.</summary>
public sealed class DependencyReloadTests : IAsyncLifetime
{
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Fact]
    public async Task Reload_RemovingTheHealthPathAfterFailedProbes_ReadinessRecovers()
    {
        var source = new ReloadableSource();
        source.Put("Operability:Dependencies:payments:HealthPath", "/health");

        // Retries wait on the service's clock, which this test does not move.
        source.Put("Operability:Dependencies:payments:Retries", "0");
        await using KestrelService service = await StartAsync(source, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)));
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        _payments.Mode = FakeMode.Fail;
        for (int i = 0; i < ShutterOptions.DefaultHysteresis; i++)
        {
            await monitor.ObserveOnceAsync(CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/health/ready")).StatusCode);

        // The team stops probing (the dependency has no health endpoint after all): its failed result must not stay.
        source.Remove("Operability:Dependencies:payments:HealthPath");
        source.Reload();

        using (HttpResponseMessage ready = await service.Client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.StartsWith("{\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync());
        }

        int probes = _payments.Count("GET");
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal(probes, _payments.Count("GET"));
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("Retries", "11")]
    [InlineData("Retries", "several")]
    [InlineData("AttemptTimeout", "00:00:00.001")]
    [InlineData("AttemptTimeout", "00:01:00")]
    [InlineData("CircuitBreaker:MinimumThroughput", "1")]
    [InlineData("Bulkhead:PermitLimit", "0")]
    [InlineData("Bulkhead:PermitLimit", "10001")]
    [InlineData("Bulkhead:QueueLimit", "-1")]
    public async Task Reload_InvalidDependencySettingBeforeFirstUse_ClientKeepsTheLastValidSettings_AndAWarningNamesTheKeyAndValue(string key, string value)
    {
        var source = new ReloadableSource();
        source.Put("Operability:Dependencies:payments:Retries", "0");
        source.Put("Operability:Dependencies:payments:AttemptTimeout", "00:00:01");
        var logs = new CapturedLogs();
        await using KestrelService service = await StartAsync(source, time: null, logs);

        // Before the dependency's client is first used, so the pipeline would be built with the new values.
        source.Put("Operability:Dependencies:payments:" + key, value);
        source.Reload();

        _payments.Mode = FakeMode.Fail;
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");
        using HttpResponseMessage response = await client.GetAsync("status");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, _payments.Count("GET"));
        string warning = Assert.Single(logs.At(LogLevel.Warning), m => m.Contains("Operability:Dependencies:payments:" + key, StringComparison.Ordinal));
        Assert.Contains(value, warning, StringComparison.Ordinal);
        Assert.Contains("previous", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_RemovingACriticalDependencysHealthPathWhileAutoEngageIsOn_IsIgnored()
    {
        var source = new ReloadableSource();
        source.Put("Operability:Dependencies:payments:HealthPath", "/health");
        source.Put("Operability:Shutter:AutoEngage", "true");
        var logs = new CapturedLogs();
        await using KestrelService service = await StartAsync(source, time: null, logs);

        source.Remove("Operability:Dependencies:payments:HealthPath");
        source.Reload();

        // The shutter could otherwise engage and, with nothing probing the dependency, never lift.
        Assert.Equal("/health", service.Services.GetRequiredService<DependencyConfiguration>().HealthPath("payments"));
        Assert.Contains(logs.At(LogLevel.Warning), m => m.Contains("'Operability:Dependencies:payments:HealthPath'", StringComparison.Ordinal)
            && m.Contains("AutoEngage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_AValidDependencyChangeBeforeFirstUse_IsApplied()
    {
        var source = new ReloadableSource();
        source.Put("Operability:Dependencies:payments:Retries", "0");
        source.Put("Operability:Dependencies:payments:RetryBaseDelay", "00:00:00.010");
        await using KestrelService service = await StartAsync(source, time: null);

        source.Put("Operability:Dependencies:payments:Retries", "1");
        source.Reload();

        _payments.Mode = FakeMode.Fail;
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");
        using HttpResponseMessage response = await client.GetAsync("status");
        Assert.Equal(2, _payments.Count("GET"));
    }

    private async Task<KestrelService> StartAsync(ReloadableSource source, TimeProvider? time, CapturedLogs? logs = null)
    {
        source.Put("Operability:Dependencies:payments:BaseAddress", _payments.Address.ToString());
        source.Put("Operability:Health:CacheSeconds", "0");
        return await KestrelService.StartAsync(new ContentRoot(Manifests.WithDependency("00:00:05")), configure: builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(source);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
        });
    }
}
