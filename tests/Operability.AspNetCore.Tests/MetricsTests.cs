using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The instruments on the meter "Operability.AspNetCore", as OpenTelemetry and Prometheus see them. Not run in
/// parallel with other tests: OpenTelemetry listens to every meter of that name in the process.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Instruments_CountRequestsByOutcomeAndShutter_AndObserveTheRest()
    {
        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(), map: app =>
        {
            app.MapGet("/broken", () => Microsoft.AspNetCore.Http.Results.StatusCode(500));
        });
        IMeterFactory factory = service.Services.GetRequiredService<IMeterFactory>();
        var longs = new ConcurrentBag<(string Name, long Value, Dictionary<string, object?> Tags)>();
        var doubles = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this service's meter: parallel tests have their own, with the same name.
            if (instrument.Meter.Name == "Operability.AspNetCore" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            longs.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => doubles[instrument.Name + Tags(tags.ToArray())] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => doubles[instrument.Name] = value);
        listener.Start();

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/missing")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await service.Client.GetAsync("/broken")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
        listener.RecordObservableInstruments();

        var requests = longs.Where(m => m.Name == "operability.requests").ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal(2, requests.Count(m => (string)m.Tags["outcome"]! == "success" && (bool)m.Tags["shuttered"]! == false));
        Assert.Equal(1, requests.Count(m => (string)m.Tags["outcome"]! == "failure"));
        Assert.Equal(2.0 / 3.0, doubles["operability.availability"], 9);
        Assert.True(doubles["operability.error_budget.remaining"] < 0);
        Assert.Equal(0, doubles["operability.shutter.engaged"]);
        Assert.Equal(0, doubles["operability.circuit.state{dependency=payments}"]);
    }

    [Fact]
    public async Task Prometheus_ShowsTheFailureCounterUnderTheNameTheAlertRulesUse()
    {
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            new Dictionary<string, string?> { ["Operability:Shutter:Enabled"] = "true" },
            builder => builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Operability.AspNetCore").AddPrometheusExporter()),
            app => app.MapPrometheusScrapingEndpoint());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/orders")).StatusCode);

        // /metrics is operational by default: scraped while shuttered, never counted.
        string scrape = await service.Client.GetStringAsync("/metrics");

        Assert.Contains("operability_requests_total{otel_scope_name=\"Operability.AspNetCore\"", scrape);
        Assert.Matches(@"operability_requests_total\{[^}]*outcome=""failure""[^}]*shuttered=""true""[^}]*\} 2", scrape);
        Assert.Matches(@"operability_shutter_engaged(_\w+)?\{[^}]*\} 1", scrape);
        Assert.Contains("operability_error_budget_remaining", scrape);
        Assert.Contains("operability_circuit_state", scrape);
    }

    private static string Tags(KeyValuePair<string, object?>[] tags) =>
        tags.Length == 0 ? string.Empty : "{" + string.Join(",", tags.Select(t => t.Key + "=" + t.Value)) + "}";
}

/// <summary>Runs alone, after the parallel collections.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
