using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Availability;
using Operability.AspNetCore.Shutter;

namespace Operability.AspNetCore;

/// <summary>
/// Marks an endpoint as operational: never shuttered, never counted in availability. The runtime's own endpoints
/// carry it; add it to others with <c>.WithMetadata(new OperationalEndpointAttribute())</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class OperationalEndpointAttribute : Attribute
{
}

/// <summary>
/// For every non-operational request: answers with the shutter while it is engaged, otherwise lets the request
/// through and counts its outcome (5xx and exceptions fail, 4xx succeed; a request the client abandoned is not
/// counted). Operational requests pass untouched.
/// </summary>
internal sealed class OperabilityMiddleware
{
    // All of /health (a team's own /health/startup too, as documented), and /operability with the shutter route.
    internal static readonly IReadOnlyList<PathString> BuiltInOperationalPaths = Array.AsReadOnly(new[]
    {
        new PathString(OperabilityPaths.HealthPrefix),
        new PathString(OperabilityPaths.Report),
    });

    private readonly RequestDelegate _next;
    private readonly ShutterState _shutter;
    private readonly ShutterResponder _responder;
    private readonly OperabilityMetrics _metrics;
    private readonly PathString[] _operationalPaths;

    public OperabilityMiddleware(RequestDelegate next, ShutterState shutter, ShutterResponder responder, OperabilityMetrics metrics, IOptions<OperabilityOptions> options)
    {
        _next = next;
        _shutter = shutter;
        _responder = responder;
        _metrics = metrics;
        var paths = new List<PathString>(BuiltInOperationalPaths);
        foreach (string path in options.Value.Endpoints.OperationalPaths)
        {
            string trimmed = path.TrimEnd('/');
            if (trimmed.Length > 0)
            {
                paths.Add(new PathString(trimmed));
            }
        }

        _operationalPaths = paths.ToArray();
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsOperational(context))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        if (_shutter.IsEngaged)
        {
            _metrics.RecordRequest(success: false, shuttered: true);
            await _responder.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            _metrics.RecordRequest(success: false, shuttered: false);
            throw;
        }

        if (!context.RequestAborted.IsCancellationRequested)
        {
            _metrics.RecordRequest(success: context.Response.StatusCode < StatusCodes.Status500InternalServerError, shuttered: false);
        }
    }

    private bool IsOperational(HttpContext context)
    {
        PathString path = context.Request.Path;
        foreach (PathString operational in _operationalPaths)
        {
            if (path.StartsWithSegments(operational, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return context.GetEndpoint()?.Metadata.GetMetadata<OperationalEndpointAttribute>() is not null;
    }
}

/// <summary>The paths the runtime maps.</summary>
public static class OperabilityPaths
{
    /// <summary>Every path below it is operational: the runtime's probes and any the team adds (<c>/health/startup</c>).</summary>
    public const string HealthPrefix = "/health";

    /// <summary>Liveness: the process answers.</summary>
    public const string Liveness = "/health/live";

    /// <summary>Readiness: owned databases, dependencies, shutter.</summary>
    public const string Readiness = "/health/ready";

    /// <summary>The operability report (and, below it, the shutter route when a policy is named).</summary>
    public const string Report = "/operability";

    /// <summary>Shutter control: POST engages, DELETE lifts; mapped only when a policy is named.</summary>
    public const string Shutter = "/operability/shutter";
}
