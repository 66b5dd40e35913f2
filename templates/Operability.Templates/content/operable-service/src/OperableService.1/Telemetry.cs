using System.Reflection;
using Operability.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OperableService._1;

/// <summary>
/// Metrics, traces and logs with OpenTelemetry, described by operability.json: every span, log record and metric
/// carries the service's name, version, owning team and product domain, so whoever gets the alert finds its
/// traces and logs under the same names. Traces follow requests in (ASP.NET Core) and out (HttpClient, with the
/// dependency pipeline's timeouts, retries, opened circuits and refusals as span events). Metrics are scraped
/// at /metrics. Traces and logs leave the process only over OTLP, and only when OTEL_EXPORTER_OTLP_ENDPOINT is
/// set (OTEL_EXPORTER_OTLP_PROTOCOL and OTEL_EXPORTER_OTLP_HEADERS as the OpenTelemetry specification has them);
/// without it nothing is exported and nothing tries to connect.
/// </summary>
public static class Telemetry
{
    /// <summary>The configuration key (the standard environment variable) that turns the OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds metrics for Prometheus, and traces and logs for an OTLP collector when one is configured.</summary>
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        // Log records go to OpenTelemetry as well as to the console; their attributes are the message's own
        // placeholders (never scopes, which can carry whole request paths and headers).
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = false;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddDetector(services => new ManifestResourceDetector(services.GetRequiredService<OperabilityManifest>())))
            // operability_requests_total{outcome} (the alert rules read it), the dependency and shutter gauges, and
            // http_server_request_duration_seconds (the dashboard's latency panel).
            .WithMetrics(metrics => metrics
                .AddMeter("Operability.AspNetCore")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                // Probes and scrapes every few seconds would drown the requests worth tracing.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperational(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The resource every signal carries, read from the manifest the runtime loaded (never typed twice):
    /// service.name, service.version (the assembly's informational version), team and product_domain — the
    /// label names the alert rules use.
    /// </summary>
    private sealed class ManifestResourceDetector(OperabilityManifest manifest) : IResourceDetector
    {
        public Resource Detect()
        {
            var attributes = new Dictionary<string, object>
            {
                ["service.name"] = manifest.Service,
                ["service.version"] = typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            };
            if (manifest.Manifest.Owner is { } owner)
            {
                attributes["team"] = owner;
            }

            if (manifest.Manifest.ProductDomain is { } domain)
            {
                attributes["product_domain"] = domain;
            }

            return new Resource(attributes);
        }
    }
}
