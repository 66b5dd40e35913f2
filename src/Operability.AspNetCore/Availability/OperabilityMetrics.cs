using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using Operability.AspNetCore.Resilience;
using Operability.AspNetCore.Shutter;
using Polly.CircuitBreaker;

namespace Operability.AspNetCore.Availability;

/// <summary>
/// The runtime's instruments, on the meter <see cref="MeterName"/> (created through <see cref="IMeterFactory"/>, so
/// each service provider has its own). OpenTelemetry picks them up with <c>AddMeter("Operability.AspNetCore")</c>;
/// Prometheus then shows <c>operability_requests_total{outcome="failure"}</c>.
/// </summary>
internal sealed class OperabilityMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Operability.AspNetCore";

    private readonly KeyValuePair<string, object?>[] _succeededTags = Tags("success", shuttered: false);
    private readonly KeyValuePair<string, object?>[] _failedTags = Tags("failure", shuttered: false);
    private readonly KeyValuePair<string, object?>[] _shutteredTags = Tags("failure", shuttered: true);
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _rejections;
    private readonly AvailabilityRecorder _recorder;
    private long _succeeded;
    private long _failed;
    private long _shuttered;

    public OperabilityMetrics(IMeterFactory meterFactory, AvailabilityRecorder recorder, DependencyStates dependencies, FailureDesign failureDesign, ShutterState shutter, OperabilityManifest manifest, TimeProvider time)
    {
        _recorder = recorder;
        Meter meter = meterFactory.Create(MeterName, typeof(OperabilityMetrics).Assembly.GetName().Version?.ToString(3));

        // Observed rather than added to: every series exists, at 0, from the first collection of a new instance,
        // so rate() sees its first failures (a Counter's series would appear only with them), whenever the
        // exporter started listening. A shuttered request never succeeds, so that series does not exist.
        meter.CreateObservableCounter(
            "operability.requests",
            ObserveRequests,
            "{request}",
            "Requests to non-operational routes, by outcome (5xx, exceptions, shuttered responses and requests left without an answer past Operability:Availability:AbandonedAfter fail; 4xx succeed) and shutter state.");
        _timeouts = meter.CreateCounter<long>(
            "operability.dependency.timeouts",
            "{timeout}",
            "Calls to a declared dependency that hit their attempt or total timeout.");
        _rejections = meter.CreateCounter<long>(
            "operability.dependency.rejections",
            "{call}",
            "Calls to a declared dependency refused before they were sent, by strategy (bulkhead: its permits and queue were full).");
        meter.CreateObservableGauge(
            "operability.dependency.failure_design",
            () => FailureDesignElements(failureDesign),
            "1",
            "Failure design per dependency and element (timeout, retries, circuit_breaker, bulkhead, fallback): 1 present, 0 absent.");
        meter.CreateObservableGauge(
            "operability.availability",
            () => recorder.Window().Availability is double ratio ? new[] { new Measurement<double>(ratio) } : Array.Empty<Measurement<double>>(),
            "1",
            "Share of successful requests over the rolling window (absent before the first request).");
        // A ratio like operability.availability, so a dashboard or alert compares the two directly; read at each
        // collection, so it rises when a declared peak starts and falls back when it ends.
        meter.CreateObservableGauge(
            "operability.availability.target",
            () => (double)(manifest.AvailabilityAt(time.GetUtcNow()).Target / 100m),
            "1",
            "The availability target in force, as a ratio (0.999 for 99.9%): a declared peak's during its window, else the manifest's base target.");
        meter.CreateObservableGauge(
            "operability.error_budget.remaining",
            () => recorder.ThisWeek().ErrorBudgetRemaining,
            "1",
            "Share of this week's error budget left at the target in force (1 untouched, 0 spent, negative overspent); the week starts Monday 00:00 UTC.");
        meter.CreateObservableGauge(
            "operability.circuit.state",
            () => CircuitStates(dependencies),
            "{state}",
            "Circuit state per dependency: 0 closed, 1 half-open, 2 open (or isolated).");
        meter.CreateObservableGauge(
            "operability.shutter.engaged",
            () => shutter.IsEngaged ? 1 : 0,
            "{shutter}",
            "1 while the service is shuttered, else 0.");
    }

    /// <summary>Counts one request and adds it to the rolling window and the week.</summary>
    public void RecordRequest(bool success, bool shuttered)
    {
        _recorder.Record(success);
        if (shuttered)
        {
            Interlocked.Increment(ref _shuttered);
        }
        else if (success)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void RecordTimeout(string dependency, string kind) =>
        _timeouts.Add(1, new KeyValuePair<string, object?>("dependency", dependency), new KeyValuePair<string, object?>("timeout", kind));

    public void RecordRejection(string dependency, string strategy) =>
        _rejections.Add(1, new KeyValuePair<string, object?>("dependency", dependency), new KeyValuePair<string, object?>("strategy", strategy));

    internal static int CircuitValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 1,
        _ => 2,
    };

    private static KeyValuePair<string, object?>[] Tags(string outcome, bool shuttered) =>
        new[] { new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("shuttered", shuttered) };

    private Measurement<long>[] ObserveRequests() => new[]
    {
        new Measurement<long>(Volatile.Read(ref _succeeded), _succeededTags),
        new Measurement<long>(Volatile.Read(ref _failed), _failedTags),
        new Measurement<long>(Volatile.Read(ref _shuttered), _shutteredTags),
    };

    private static IEnumerable<Measurement<int>> FailureDesignElements(FailureDesign failureDesign)
    {
        foreach (DependencyFailureDesign design in failureDesign.All())
        {
            foreach ((string element, bool present) in design.Elements())
            {
                yield return new Measurement<int>(
                    present ? 1 : 0,
                    new KeyValuePair<string, object?>("dependency", design.Name),
                    new KeyValuePair<string, object?>("element", element));
            }
        }
    }

    private static IEnumerable<Measurement<int>> CircuitStates(DependencyStates dependencies)
    {
        foreach (DependencyState state in dependencies.All)
        {
            yield return new Measurement<int>(CircuitValue(state.Circuit), new KeyValuePair<string, object?>("dependency", state.Name));
        }
    }
}
