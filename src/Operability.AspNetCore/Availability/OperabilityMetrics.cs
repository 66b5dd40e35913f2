using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
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

    private static readonly object Success = "success";
    private static readonly object Failure = "failure";
    private static readonly object True = true;
    private static readonly object False = false;

    private readonly Counter<long> _requests;
    private readonly Counter<long> _timeouts;
    private readonly AvailabilityRecorder _recorder;

    public OperabilityMetrics(IMeterFactory meterFactory, AvailabilityRecorder recorder, DependencyStates dependencies, ShutterState shutter)
    {
        _recorder = recorder;
        Meter meter = meterFactory.Create(MeterName, typeof(OperabilityMetrics).Assembly.GetName().Version?.ToString(3));
        _requests = meter.CreateCounter<long>(
            "operability.requests",
            "{request}",
            "Requests to non-operational routes, by outcome (5xx and shuttered responses fail, 4xx succeed) and shutter state.");
        _timeouts = meter.CreateCounter<long>(
            "operability.dependency.timeouts",
            "{timeout}",
            "Calls to a declared dependency that hit their attempt or total timeout.");
        meter.CreateObservableGauge(
            "operability.availability",
            () => recorder.Window().Availability is double ratio ? new[] { new Measurement<double>(ratio) } : Array.Empty<Measurement<double>>(),
            "1",
            "Share of successful requests over the rolling window (absent before the first request).");
        meter.CreateObservableGauge(
            "operability.error_budget.remaining",
            () => recorder.ThisWeek().ErrorBudgetRemaining,
            "1",
            "Share of this week's error budget left (1 untouched, 0 spent, negative overspent); the week starts Monday 00:00 UTC.");
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
        _requests.Add(
            1,
            new KeyValuePair<string, object?>("outcome", success ? Success : Failure),
            new KeyValuePair<string, object?>("shuttered", shuttered ? True : False));
    }

    public void RecordTimeout(string dependency, string kind) =>
        _timeouts.Add(1, new KeyValuePair<string, object?>("dependency", dependency), new KeyValuePair<string, object?>("timeout", kind));

    internal static int CircuitValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 1,
        _ => 2,
    };

    private static IEnumerable<Measurement<int>> CircuitStates(DependencyStates dependencies)
    {
        foreach (DependencyState state in dependencies.All)
        {
            yield return new Measurement<int>(CircuitValue(state.Circuit), new KeyValuePair<string, object?>("dependency", state.Name));
        }
    }
}
