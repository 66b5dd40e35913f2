using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Operability.AspNetCore.Health;

/// <summary>
/// Answers <c>/health/live</c> and <c>/health/ready</c>. Readiness reports are cached for
/// <c>Operability:Health:CacheSeconds</c> and computed by one caller at a time (the others wait for the same
/// report), so a flood of probes costs the dependencies one evaluation per period; each evaluation is bounded by
/// <c>Operability:Health:TimeoutSeconds</c>. Outside Development a body holds the status and, per check, its name
/// and status (and, for a database, which check ran) — never descriptions, exception text, connection strings or host names.
/// </summary>
internal sealed class HealthReporter
{
    private readonly HealthCheckService _service;
    private readonly HealthSettings _health;
    private readonly TimeProvider _time;
    private readonly bool _detailed;
    private readonly object _gate = new();
    private HealthReport? _cached;
    private DateTimeOffset _cachedUntil;
    private Task<HealthReport>? _running;

    public HealthReporter(HealthCheckService service, HealthSettings health, TimeProvider time, IHostEnvironment environment)
    {
        _service = service;
        _health = health;
        _time = time;
        _detailed = environment.IsDevelopment();
    }

    public async Task WriteLivenessAsync(HttpContext context)
    {
        HealthReport report = await EvaluateAsync(static registration => registration.Tags.Contains(OperabilityHealthTags.Live)).ConfigureAwait(false);
        await WriteAsync(context, report).ConfigureAwait(false);
    }

    public async Task WriteReadinessAsync(HttpContext context)
    {
        HealthReport report = await ReadinessAsync().ConfigureAwait(false);
        await WriteAsync(context, report).ConfigureAwait(false);
    }

    internal Task<HealthReport> ReadinessAsync()
    {
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (_cached is not null && now < _cachedUntil)
            {
                return Task.FromResult(_cached);
            }

            if (_running is { IsCompleted: false })
            {
                return _running;
            }

            _running = EvaluateAndCacheAsync();
            return _running;
        }
    }

    private async Task<HealthReport> EvaluateAndCacheAsync()
    {
        HealthReport report = await EvaluateAsync(static registration => registration.Tags.Contains(OperabilityHealthTags.Ready)).ConfigureAwait(false);
        lock (_gate)
        {
            _cached = report;
            _cachedUntil = _time.GetUtcNow() + TimeSpan.FromSeconds(_health.Current.CacheSeconds);
        }

        return report;
    }

    private async Task<HealthReport> EvaluateAsync(Func<HealthCheckRegistration, bool> predicate)
    {
        // Checks have their own timeouts; this bounds the whole report, and is not tied to one caller's request
        // (a probe that gives up must not cancel the report other probes wait for).
        TimeSpan limit = TimeSpan.FromSeconds(_health.Current.TimeoutSeconds + 1);
        using var timeout = new CancellationTokenSource(limit, _time);
        try
        {
            return await _service.CheckHealthAsync(predicate, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var entries = new Dictionary<string, HealthReportEntry>
            {
                ["timeout"] = new HealthReportEntry(HealthStatus.Unhealthy, "Health checks did not finish within " + limit, limit, null, null),
            };
            return new HealthReport(entries, HealthStatus.Unhealthy, limit);
        }
    }

    private async Task WriteAsync(HttpContext context, HealthReport report)
    {
        HttpResponse response = context.Response;
        response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store, no-cache";
        response.ContentType = "application/json; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        byte[] body = Serialize(report, _detailed);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    internal static byte[] Serialize(HealthReport report, bool detailed)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartArray("checks");
            foreach (KeyValuePair<string, HealthReportEntry> entry in report.Entries)
            {
                json.WriteStartObject();
                json.WriteString("name", entry.Key);
                json.WriteString("status", entry.Value.Status.ToString());

                // Which check ran for an owned database: one of three kinds, never an address. Only the runtime's own
                // values are written, so a team's check cannot put whatever its data holds into a public body.
                if (entry.Value.Data.TryGetValue("check", out object? check) && check is string kind && DatabaseProbe.IsCheckKind(kind))
                {
                    json.WriteString("check", kind);
                }

                if (detailed)
                {
                    // Development only: what a developer needs to see why, never shown to the world.
                    if (entry.Value.Description is { } description)
                    {
                        json.WriteString("description", description);
                    }

                    json.WriteNumber("durationMs", Math.Round(entry.Value.Duration.TotalMilliseconds, 1));
                    if (entry.Value.Exception is { } exception)
                    {
                        json.WriteString("exception", exception.GetType().Name + ": " + exception.Message);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
