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
        var longs = new ConcurrentDictionary<string, long>();
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
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => longs[instrument.Name + Tags(tags.ToArray())] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => doubles[instrument.Name + Tags(tags.ToArray())] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => doubles[instrument.Name] = value);
        listener.Start();

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client.GetAsync("/missing")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await service.Client.GetAsync("/broken")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
        listener.RecordObservableInstruments();

        // Cumulative totals per series, observed: the health probe is not among them.
        Assert.Equal(2, longs["operability.requests{outcome=success,shuttered=False}"]);
        Assert.Equal(1, longs["operability.requests{outcome=failure,shuttered=False}"]);
        Assert.Equal(0, longs["operability.requests{outcome=failure,shuttered=True}"]);
        Assert.Equal(3, longs.Count(m => m.Key.StartsWith("operability.requests", StringComparison.Ordinal)));
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
        Assert.Matches(@"(?m)^operability_availability_target(_ratio)?\{[^}]*\} 0\.999( |$)", scrape);
        Assert.Contains("operability_circuit_state", scrape);
    }

    [Fact]
    public async Task Prometheus_ShowsTheFailureDesignOfEachDependency_UnderTheDocumentedName()
    {
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            configure: builder => builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Operability.AspNetCore").AddPrometheusExporter()),
            map: app => app.MapPrometheusScrapingEndpoint());

        string scrape = await service.Client.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^operability_dependency_failure_design\{[^}]*dependency=""payments""[^}]*element=""bulkhead""[^}]*\} 1( |$)", scrape);
        Assert.Matches(@"(?m)^operability_dependency_failure_design\{[^}]*dependency=""payments""[^}]*element=""fallback""[^}]*\} 0( |$)", scrape);
    }

    [Fact]
    public async Task Prometheus_ShowsEveryRequestSeriesAtZero_BeforeTheFirstRequest()
    {
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            configure: builder => builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Operability.AspNetCore").AddPrometheusExporter()),
            map: app => app.MapPrometheusScrapingEndpoint());

        // A fresh instance: rate() over these series sees its first failures only if they exist at 0 before them.
        string scrape = await service.Client.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^operability_requests_total\{[^}]*outcome=""failure""[^}]*shuttered=""false""[^}]*\} 0( |$)", scrape);
        Assert.Matches(@"(?m)^operability_requests_total\{[^}]*outcome=""failure""[^}]*shuttered=""true""[^}]*\} 0( |$)", scrape);
        Assert.Matches(@"(?m)^operability_requests_total\{[^}]*outcome=""success""[^}]*shuttered=""false""[^}]*\} 0( |$)", scrape);

        // A shuttered request never succeeds: no series for it.
        Assert.DoesNotMatch(@"operability_requests_total\{[^}]*outcome=""success""[^}]*shuttered=""true""", scrape);
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
