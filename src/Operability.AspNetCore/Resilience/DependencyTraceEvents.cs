using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Threading.Tasks;
using Polly;

namespace Operability.AspNetCore.Resilience;

/// <summary>
/// Writes what the dependency pipeline did on the span in progress (<see cref="Activity.Current"/>: the request
/// that made the call), so a trace shows why a call was slow or refused. Plain <see cref="System.Diagnostics"/>
/// events: OpenTelemetry (or any other tracer) exports them with the span; with no tracer listening there is no
/// span and nothing is written. Tags name the dependency and the numbers that decided, never its address, a
/// request's URL or an exception's message, which may carry credentials.
/// </summary>
internal static class DependencyTraceEvents
{
    /// <summary>The tag every event carries: the dependency's name in operability.json.</summary>
    public const string Dependency = "operability.dependency";

    public static void Timeout(string dependency, string kind, TimeSpan timeout) =>
        Add("operability.dependency.timeout", new ActivityTagsCollection
        {
            [Dependency] = dependency,
            ["operability.timeout.kind"] = kind,
            ["operability.timeout.seconds"] = timeout.TotalSeconds,
        });

    public static void Retry(string dependency, int attempt, TimeSpan delay, Outcome<HttpResponseMessage> outcome) =>
        Add("operability.dependency.retry", new ActivityTagsCollection
        {
            [Dependency] = dependency,
            ["operability.retry.attempt"] = attempt,
            ["operability.retry.delay_seconds"] = delay.TotalSeconds,
            ["operability.retry.cause"] = Cause(outcome),
        });

    public static void CircuitOpened(string dependency, TimeSpan breakDuration, Outcome<HttpResponseMessage> outcome) =>
        Add("operability.dependency.circuit_opened", new ActivityTagsCollection
        {
            [Dependency] = dependency,
            ["operability.circuit.break_seconds"] = breakDuration.TotalSeconds,
            ["operability.circuit.cause"] = Cause(outcome),
        });

    /// <summary>A call refused before it was sent: by an open circuit, or by a full bulkhead.</summary>
    public static void Rejected(string dependency, string by) =>
        Add("operability.dependency.rejected", new ActivityTagsCollection
        {
            [Dependency] = dependency,
            ["operability.rejected.by"] = by,
        });

    /// <summary>The status code of a failed response, or the exception's type name (never its message).</summary>
    public static string Cause(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name
        ?? ((int?)outcome.Result?.StatusCode)?.ToString(CultureInfo.InvariantCulture)
        ?? "unknown";

    private static void Add(string name, ActivityTagsCollection tags) =>
        Activity.Current?.AddEvent(new ActivityEvent(name, tags: tags));
}

/// <summary>
/// Placed just outside the circuit breaker: marks the span of a call the open (or isolated) circuit refused,
/// which Polly reports with an exception and no callback. Passes every outcome on unchanged.
/// </summary>
internal sealed class CircuitRejectionEvents : ResilienceStrategy<HttpResponseMessage>
{
    private readonly string _dependency;

    public CircuitRejectionEvents(string dependency) => _dependency = dependency;

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        Outcome<HttpResponseMessage> outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Exception is Polly.CircuitBreaker.BrokenCircuitException)
        {
            DependencyTraceEvents.Rejected(_dependency, "circuit_breaker");
        }

        return outcome;
    }

    /// <summary>The strategy has nothing to configure; Polly asks for options all the same.</summary>
    internal sealed class Options : ResilienceStrategyOptions
    {
        public Options() => Name = "circuit-rejection-events";
    }
}
