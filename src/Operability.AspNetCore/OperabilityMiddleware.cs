using System;
using System.Collections.Generic;
using System.Threading;
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
/// through and counts its outcome once (see <see cref="CountedRequest"/>: 5xx and exceptions fail, 4xx and
/// Kestrel's 4xx refusals succeed, a request left without an answer fails past
/// <see cref="AvailabilityOptions.AbandonedAfter"/>). Operational requests, and re-executions of a request already
/// counted, pass untouched.
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
    private readonly TimeProvider _time;
    private readonly TimeSpan _abandonedAfter;
    private readonly PathString[] _operationalPaths;

    public OperabilityMiddleware(
        RequestDelegate next,
        ShutterState shutter,
        ShutterResponder responder,
        OperabilityMetrics metrics,
        TimeProvider time,
        IOptions<OperabilityOptions> options)
    {
        _next = next;
        _shutter = shutter;
        _responder = responder;
        _metrics = metrics;
        _time = time;
        _abandonedAfter = options.Value.Availability.AbandonedAfter;
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
        // A re-execution (error page, status-code page) of a request this middleware already counted.
        if (context.Features.Get<CountedRequest>() is not null || IsOperational(context))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        var counted = new CountedRequest(context, _time);
        context.Features.Set(counted);
        if (_shutter.IsEngaged)
        {
            _metrics.RecordRequest(success: false, shuttered: true);
            await _responder.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        // The token as this request runs with it: the client's, or the request-timeout middleware's linked one.
        CancellationToken aborted = context.RequestAborted;
        CancellationTokenRegistration watch = aborted.UnsafeRegister(static state => ((CountedRequest)state!).OnAborted(), counted);
        Exception? error = null;
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            error = exception;
            throw;
        }
        finally
        {
            // Disposed first: once it returns the callback has run or never will, so the outcome reads settled state.
            watch.Dispose();
            RequestOutcome outcome = counted.Outcome(error, aborted, _abandonedAfter);
            if (outcome != RequestOutcome.NotCounted)
            {
                _metrics.RecordRequest(success: outcome == RequestOutcome.Success, shuttered: false);
            }
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
