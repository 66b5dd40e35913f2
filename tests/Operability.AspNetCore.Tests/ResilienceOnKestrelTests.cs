using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The real service on Kestrel at 127.0.0.1 calling a real fake dependency (a second Kestrel app made slow or
/// failing) through the named client the manifest's dependency gets.
/// </summary>
public sealed class ResilienceOnKestrelTests : IAsyncLifetime
{
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Fact]
    public async Task TotalTimeout_FromManifest_FiresLongBeforeASlowDependencyAnswers()
    {
        _payments.Mode = FakeMode.Slow;
        _payments.SlowDelay = TimeSpan.FromSeconds(10);
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:00.600"), new());
        IMeterFactory meters = service.Services.GetRequiredService<IMeterFactory>();
        var timeouts = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "operability.dependency.timeouts" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var byName = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                byName[tag.Key] = tag.Value;
            }

            timeouts.Add(byName["dependency"] + "/" + byName["timeout"]);
        });
        listener.Start();

        using HttpResponseMessage response = await service.Client.GetAsync("/pay");

        // The total timeout answered, not the dependency (it would take 10 s) and not HttpClient.Timeout.
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("TimeoutRejectedException", await response.Content.ReadAsStringAsync());
        Assert.True(_payments.Count("GET") >= 1);
        Assert.Contains("payments/total", timeouts);
    }

    [Fact]
    public async Task TotalTimeout_BoundsTheBodyToo_ABodyTricklingForeverFailsTheAwaitedCallWithTimeoutRejected()
    {
        _payments.Mode = FakeMode.Trickle;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:02"), TrickleSettings());
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");

        // The default completion option: GetAsync reads the whole body before it returns.
        TimeoutRejectedException timeout = await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.GetAsync("status"));
        Assert.Equal(TimeSpan.FromSeconds(2), timeout.Timeout);
        Assert.Equal(1, _payments.Count("GET"));
    }

    [Fact]
    public async Task TotalTimeout_WithResponseHeadersRead_ReturnsAtTheHeaders_AndReadingTheBodyPastTheDeadlineFailsWithTimeoutRejected()
    {
        _payments.Mode = FakeMode.Trickle;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:02"), TrickleSettings());
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");

        using HttpResponseMessage response = await client.GetAsync("status", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The deadline runs from the call: the stream's reads are bounded by what is left of the total timeout.
        using System.IO.Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[16];
        await Assert.ThrowsAsync<TimeoutRejectedException>(async () =>
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        });

        using HttpResponseMessage again = await client.GetAsync("status", HttpCompletionOption.ResponseHeadersRead);
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AttemptTimeout_RetriesAGetWithinTheTotalTimeout()
    {
        _payments.Mode = FakeMode.Slow;
        _payments.SlowDelay = TimeSpan.FromSeconds(30);
        // Three 1 s attempts need about 3 s of the 8 s total. Each attempt must reach the fake before it times out: on a
        // busy 2-core machine (the whole suite, Chromium included) 300 ms attempts sometimes did not.
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:08"), new()
        {
            ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:01",
            ["Operability:Dependencies:payments:RetryBaseDelay"] = "00:00:00.010",
        });

        using HttpResponseMessage response = await service.Client.GetAsync("/pay");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_payments.Count("GET") == 3), TimeSpan.FromSeconds(5)), "GET attempts: " + _payments.Count("GET"));
    }

    [Fact]
    public async Task FailingDependency_PostIsNeverRetried_GetIsRetried()
    {
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:05"), new()
        {
            ["Operability:Dependencies:payments:RetryBaseDelay"] = "00:00:00.010",
        });

        using HttpResponseMessage post = await service.Client.PostAsync("/pay", null);
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);
        Assert.Equal(1, _payments.Count("POST"));

        using HttpResponseMessage get = await service.Client.GetAsync("/pay");
        Assert.Equal(HttpStatusCode.InternalServerError, get.StatusCode);
        Assert.Equal(3, _payments.Count("GET"));

        using HttpResponseMessage put = await service.Client.PutAsync("/pay", null);
        Assert.Equal(3, _payments.Count("PUT"));

        using HttpResponseMessage patch = await service.Client.PatchAsync("/pay", null);
        Assert.Equal(1, _payments.Count("PATCH"));
    }

    [Fact]
    public async Task FailingDependency_ACustomMethodIsNeverRetried_RetriesAreAnAllowList()
    {
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:05"), new()
        {
            ["Operability:Dependencies:payments:RetryBaseDelay"] = "00:00:00.010",
        });

        using (var purge = new HttpRequestMessage(new HttpMethod("PURGE"), "/pay"))
        {
            using HttpResponseMessage response = await service.Client.SendAsync(purge);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        Assert.Equal(1, _payments.Count("PURGE"));

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/pay"))
        {
            (await service.Client.SendAsync(delete)).Dispose();
        }

        Assert.Equal(3, _payments.Count("DELETE"));
    }

    [Fact]
    public async Task Circuit_OpensAfterTheConfiguredFailures_AndReadinessReflectsItOnceObserved()
    {
        _payments.Mode = FakeMode.Fail;
        Dictionary<string, string?> settings = BreakerSettings();
        settings["Operability:Dependencies:payments:HealthPath"] = "/health";
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:05"), settings);

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage failing = await service.Client.GetAsync("/pay");
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        }

        Assert.Equal(4, _payments.Count("GET"));
        using HttpResponseMessage rejected = await service.Client.GetAsync("/pay");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal("BrokenCircuitException", await rejected.Content.ReadAsStringAsync());
        Assert.Equal(4, _payments.Count("GET"));

        // Readiness follows the monitor's observations (hysteresis): UnreadyAfter (default 3) of them take it out of rotation.
        Operability.AspNetCore.Health.DependencyMonitor monitor = service.Services.GetRequiredService<Operability.AspNetCore.Health.DependencyMonitor>();
        for (int i = 0; i < ShutterOptions.DefaultHysteresis; i++)
        {
            await monitor.ObserveOnceAsync(System.Threading.CancellationToken.None);
        }

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        Assert.Contains(body.RootElement.GetProperty("checks").EnumerateArray(), c =>
            c.GetProperty("name").GetString() == "dependency:payments" && c.GetProperty("status").GetString() == "Unhealthy");

        using JsonDocument report = JsonDocument.Parse(await service.Client.GetStringAsync("/operability"));
        JsonElement payments = report.RootElement.GetProperty("dependencies")[0];
        Assert.Equal("open", payments.GetProperty("circuit").GetString());
        Assert.Equal(2, payments.GetProperty("circuitState").GetInt32());

        using HttpResponseMessage live = await service.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Circuit_CriticalDependencyOpenWithoutAHealthPath_ReadinessDegradedButReady_SoTrafficCanCloseIt()
    {
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:05"), BreakerSettings());
        for (int i = 0; i < 4; i++)
        {
            (await service.Client.GetAsync("/pay")).Dispose();
        }

        using (HttpResponseMessage rejected = await service.Client.GetAsync("/pay"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        }

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("{\"name\":\"dependency:payments\",\"status\":\"Degraded\"}", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Circuit_NonCriticalDependencyOpen_ReadinessDegradedButReady()
    {
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:05", critical: false), BreakerSettings());
        for (int i = 0; i < 4; i++)
        {
            (await service.Client.GetAsync("/pay")).Dispose();
        }

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"Degraded\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Circuit_HalfOpenTrialSucceeds_CircuitClosesAndReadinessRecovers()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(
            Manifests.WithDependency("00:00:05"),
            BreakerSettings(),
            builder => builder.Services.AddSingleton<TimeProvider>(clock));

        for (int i = 0; i < 4; i++)
        {
            (await service.Client.GetAsync("/pay")).Dispose();
        }

        _payments.Mode = FakeMode.Ok;
        using (HttpResponseMessage stillOpen = await service.Client.GetAsync("/pay"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stillOpen.StatusCode);
        }

        Assert.Equal(4, _payments.Count("GET"));

        // The break lasts 30 s on the service's clock; move it instead of waiting.
        clock.Advance(TimeSpan.FromSeconds(31));
        using (HttpResponseMessage trial = await service.Client.GetAsync("/pay"))
        {
            Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        }

        Assert.Equal(5, _payments.Count("GET"));
        using JsonDocument report = JsonDocument.Parse(await service.Client.GetStringAsync("/operability"));
        Assert.Equal("closed", report.RootElement.GetProperty("dependencies")[0].GetProperty("circuit").GetString());
        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.StartsWith("{\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Circuit_HalfOpenTrialFails_CircuitOpensAgain()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(
            Manifests.WithDependency("00:00:05"),
            BreakerSettings(),
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        for (int i = 0; i < 4; i++)
        {
            (await service.Client.GetAsync("/pay")).Dispose();
        }

        clock.Advance(TimeSpan.FromSeconds(31));
        (await service.Client.GetAsync("/pay")).Dispose();
        Assert.Equal(5, _payments.Count("GET"));
        using HttpResponseMessage rejected = await service.Client.GetAsync("/pay");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal(5, _payments.Count("GET"));
    }

    /// <summary>Headers get the whole budget (one attempt), so only the body can meet the total timeout.</summary>
    private static Dictionary<string, string?> TrickleSettings() => new()
    {
        ["Operability:Dependencies:payments:Retries"] = "0",
        ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:02",
    };

    private static Dictionary<string, string?> BreakerSettings() => new()
    {
        ["Operability:Dependencies:payments:Retries"] = "0",
        ["Operability:Dependencies:payments:CircuitBreaker:MinimumThroughput"] = "4",
        ["Operability:Dependencies:payments:CircuitBreaker:FailureRatio"] = "1.0",
        ["Operability:Dependencies:payments:CircuitBreaker:SamplingDuration"] = "00:01:00",
        ["Operability:Dependencies:payments:CircuitBreaker:BreakDuration"] = "00:00:30",
        ["Operability:Health:CacheSeconds"] = "0",
        ["Operability:Endpoints:AnonymousReport"] = "true",
    };

    private async Task<KestrelService> StartAsync(string manifest, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        settings["Operability:Dependencies:payments:BaseAddress"] = _payments.Address.ToString();
        return await KestrelService.StartAsync(new ContentRoot(manifest), settings, configure, MapPay);
    }

    /// <summary>A route that calls the dependency with the request's own method and reports what happened.</summary>
    internal static void MapPay(WebApplication app) =>
        app.MapMethods("/pay", new[] { "GET", "POST", "PUT", "PATCH", "DELETE", "PURGE" }, async (HttpContext context, IHttpClientFactory clients) =>
        {
            HttpClient client = clients.CreateClient("payments");
            try
            {
                using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), "status");
                using HttpResponseMessage response = await client.SendAsync(request, context.RequestAborted);
                return Results.Text(await response.Content.ReadAsStringAsync(), statusCode: (int)response.StatusCode);
            }
            catch (TimeoutRejectedException ex)
            {
                return Results.Text(ex.GetType().Name, statusCode: StatusCodes.Status504GatewayTimeout);
            }
            catch (ExecutionRejectedException ex)
            {
                // An open circuit or a full bulkhead: the pipeline refused the call on purpose, without sending it.
                return Results.Text(ex.GetType().Name, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (HttpRequestException ex)
            {
                return Results.Text(ex.GetType().Name, statusCode: StatusCodes.Status502BadGateway);
            }
        });
}
