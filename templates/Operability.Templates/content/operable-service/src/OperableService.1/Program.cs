using OperableService._1;
//#if (hasDependency)
using OperableService._1.Dependencies;
//#endif

var builder = WebApplication.CreateBuilder(args);

// operability.json drives what follows: health checks for what the service owns and calls, the shutter,
// and availability measured against the target (see RUNBOOK.md).
builder.AddOperability();

// In Kubernetes the ConfigMap in deploy/kubernetes is mounted here, one file per key
// (Operability__Shutter__Enabled, ...): changing it shutters the service without a restart.
builder.Configuration.AddKeyPerFile("/etc/operable-service/config", optional: true, reloadOnChange: true);

// Metrics for Prometheus at /metrics (among them operability_requests_total{outcome}, which the alert rules in
// deploy/prometheus/alerts.yml read); traces and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (Telemetry.cs). Every signal names the service, its version, its team and its product domain.
builder.AddServiceTelemetry();
//#if (hasDependency)

// example-dependency, as declared in operability.json: its timeout, retries for idempotent calls and a
// circuit breaker come from the runtime library; its address from Operability:Dependencies:example-dependency:BaseAddress.
builder.Services.AddOperabilityClient<ExampleDependencyClient>("example-dependency");
//#endif

var app = builder.Build();

// /health/live, /health/ready, /operability, and the shutter in front of every other route.
// Outside Development /operability answers anonymous callers 403: open it deliberately with
// Operability:Endpoints:OperabilityAuthorizationPolicy (a policy of this service) or Operability:Endpoints:AnonymousReport.
app.MapOperability();
app.MapPrometheusScrapingEndpoint();

app.MapGet("/", () => TypedResults.Ok(new { service = "operable-service", status = "ok" }));
//#if (hasDependency)

// Degrades instead of failing: when example-dependency is slow, failing or cut off by its circuit
// breaker, this answers 503 quickly, and the rest of the service keeps working.
app.MapGet("/example-dependency/status", async Task<IResult> (ExampleDependencyClient client, CancellationToken cancellationToken) =>
{
    var status = await client.TryGetStatusAsync(cancellationToken);
    return status is null
        ? TypedResults.Problem(
            title: "example-dependency is unavailable",
            detail: "example-dependency did not answer in time, failed, or its circuit breaker is open. Try again shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable)
        : TypedResults.Ok(new { dependency = "example-dependency", status });
});
//#endif

app.Run();
