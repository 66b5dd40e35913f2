using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The playbook's leading measure of reliability, per dependency: timeout, retries, circuit breaker, bulkhead and
/// fallback, in <c>/operability</c> and as a metric; and the fallback a service registers really answering.
/// </summary>
public sealed class FailureDesignTests : IAsyncLifetime
{
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Fact]
    public async Task Report_ShowsTheFailureDesignOfEachDependency_WithoutAFallback()
    {
        await using KestrelService service = await StartAsync(withFallback: false);

        JsonElement design = await FailureDesignAsync(service);

        JsonElement timeout = design.GetProperty("timeout");
        Assert.True(timeout.GetProperty("present").GetBoolean());
        Assert.Equal(2, timeout.GetProperty("totalSeconds").GetDouble());
        Assert.Equal(0.5, timeout.GetProperty("attemptSeconds").GetDouble());
        Assert.Equal("manifest", timeout.GetProperty("source").GetString());
        Assert.True(design.GetProperty("retries").GetProperty("present").GetBoolean());
        Assert.Equal(2, design.GetProperty("retries").GetProperty("count").GetInt32());
        Assert.Equal("idempotent", design.GetProperty("retries").GetProperty("methods").GetString());
        Assert.True(design.GetProperty("circuitBreaker").GetProperty("present").GetBoolean());
        Assert.Equal(0.5, design.GetProperty("circuitBreaker").GetProperty("failureRatio").GetDouble());
        Assert.True(design.GetProperty("bulkhead").GetProperty("present").GetBoolean());
        Assert.Equal(50, design.GetProperty("bulkhead").GetProperty("permitLimit").GetInt32());
        Assert.Equal(5, design.GetProperty("bulkhead").GetProperty("queueLimit").GetInt32());
        Assert.False(design.GetProperty("fallback").GetProperty("present").GetBoolean());

        // Numbers that describe the design; never where the dependency lives.
        Assert.DoesNotContain("127.0.0.1", design.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ShowsARegisteredFallback_AndTheSettingsThePipelineWasBuiltWith()
    {
        await using KestrelService service = await StartAsync(withFallback: true, new()
        {
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Dependencies:payments:Bulkhead:PermitLimit"] = "8",
        });
        using HttpResponseMessage call = await service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments").GetAsync("status");

        JsonElement design = await FailureDesignAsync(service);

        Assert.True(design.GetProperty("fallback").GetProperty("present").GetBoolean());
        Assert.False(design.GetProperty("retries").GetProperty("present").GetBoolean());
        Assert.Equal(8, design.GetProperty("bulkhead").GetProperty("permitLimit").GetInt32());
        Assert.Equal(1, design.GetProperty("bulkhead").GetProperty("queueLimit").GetInt32());
    }

    [Fact]
    public async Task Metric_ReportsEachElementPresentOrAbsent_PerDependency()
    {
        await using KestrelService service = await StartAsync(withFallback: false, new() { ["Operability:Dependencies:payments:Retries"] = "0" });
        IMeterFactory factory = service.Services.GetRequiredService<IMeterFactory>();
        var values = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "operability.dependency.failure_design" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            Dictionary<string, object?> byName = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            values[byName["dependency"] + "/" + byName["element"]] = value;
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(1, values["payments/timeout"]);
        Assert.Equal(0, values["payments/retries"]);
        Assert.Equal(1, values["payments/circuit_breaker"]);
        Assert.Equal(1, values["payments/bulkhead"]);
        Assert.Equal(0, values["payments/fallback"]);
        Assert.Equal(5, values.Count);
    }

    [Fact]
    public async Task Fallback_Registered_AnswersInsteadOfAFailingDependency_AndAnOpenCircuit()
    {
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(withFallback: true, new()
        {
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Dependencies:payments:CircuitBreaker:MinimumThroughput"] = "2",
            ["Operability:Dependencies:payments:CircuitBreaker:FailureRatio"] = "1.0",
            ["Operability:Dependencies:payments:CircuitBreaker:BreakDuration"] = "00:00:30",
        });
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.GetAsync("status");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("cached", await response.Content.ReadAsStringAsync());
        }

        // Two failures opened the circuit; the later calls were answered without reaching the dependency.
        Assert.Equal(2, _payments.Count("GET"));
    }

    [Fact]
    public async Task Fallback_WhenTheTotalTimeoutFires_TheCallerReadsTheFallbacksAnswer()
    {
        _payments.Mode = FakeMode.Slow;
        _payments.SlowDelay = TimeSpan.FromSeconds(10);
        await using KestrelService service = await StartAsync(withFallback: true, new()
        {
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:02",
        });
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");

        // The fallback answers at the deadline by design; its body is local, not the dependency's, so the
        // exchange's deadline does not apply to it.
        using HttpResponseMessage response = await client.GetAsync("status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cached", await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> FailureDesignAsync(KestrelService service)
    {
        using JsonDocument report = JsonDocument.Parse(await service.Client.GetStringAsync("/operability"));
        JsonElement dependency = Assert.Single(report.RootElement.GetProperty("dependencies").EnumerateArray());
        Assert.Equal("payments", dependency.GetProperty("name").GetString());
        return dependency.GetProperty("failureDesign").Clone();
    }

    private async Task<KestrelService> StartAsync(bool withFallback, Dictionary<string, string?>? settings = null)
    {
        settings ??= new();
        settings["Operability:Dependencies:payments:BaseAddress"] = _payments.Address.ToString();
        settings["Operability:Endpoints:AnonymousReport"] = "true";
        return await KestrelService.StartAsync(new ContentRoot(Manifests.WithDependency("00:00:02")), settings, builder =>
        {
            IHttpClientBuilder client = builder.Services.AddOperabilityClient<PaymentsClient>("payments");
            if (withFallback)
            {
                client.AddOperabilityFallback(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("cached") });
            }
        });
    }

    private sealed class PaymentsClient
    {
        public PaymentsClient(HttpClient http) => Http = http;

        public HttpClient Http { get; }
    }
}
