using System;
using System.Threading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Operability.AspNetCore.Availability;

/// <summary>What one request adds to the availability count.</summary>
internal enum RequestOutcome
{
    /// <summary>Nothing: the caller left quickly, before any answer, so nothing is known about the service.</summary>
    NotCounted,

    /// <summary>The service answered: 1xx–4xx (a client error is the client's, not the service's).</summary>
    Success,

    /// <summary>5xx, an unhandled exception, or a request left without an answer past the bound.</summary>
    Failure,
}

/// <summary>
/// One request on its way through the availability count. Kept as a feature of its <see cref="HttpContext"/> so
/// that a re-execution of the pipeline (<c>UseExceptionHandler</c>, <c>UseStatusCodePagesWithReExecute</c>) finds
/// it and counts nothing more: one request, one count. Watches the request's abort token to note whether the
/// service had begun answering when the caller left.
/// </summary>
internal sealed class CountedRequest
{
    private const int NotAborted = 0;
    private const int AbortedBeforeAnswer = 1;
    private const int AbortedAfterAnswer = 2;

    private readonly HttpContext _context;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _abort;

    public CountedRequest(HttpContext context, TimeProvider time)
    {
        _context = context;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>Called by the abort token's registration, on whichever thread cancels it.</summary>
    public void OnAborted() =>
        Interlocked.CompareExchange(ref _abort, _context.Response.HasStarted ? AbortedAfterAnswer : AbortedBeforeAnswer, NotAborted);

    /// <summary>
    /// The outcome once the request has left the rest of the pipeline, with <paramref name="error"/> if it left
    /// with an exception and <paramref name="aborted"/> the token it ran with (the client's, or one the
    /// request-timeout middleware linked to it).
    /// </summary>
    public RequestOutcome Outcome(Exception? error, CancellationToken aborted, TimeSpan abandonedAfter)
    {
        // Kestrel's refusals of a malformed, oversized or too slow request (413, 408, 400, 431) are the client's doing.
        if (error is BadHttpRequestException { StatusCode: < StatusCodes.Status500InternalServerError })
        {
            return RequestOutcome.Success;
        }

        if (aborted.IsCancellationRequested)
        {
            int abort = Volatile.Read(ref _abort);

            // Cancelled after the registration was removed: the callback did not run, so look now.
            bool answered = abort == AbortedAfterAnswer || (abort == NotAborted && _context.Response.HasStarted);
            if (answered)
            {
                // The answer had begun (a stream, a download): the caller left during it, which is not an outage.
                return ByStatus(_context.Response.StatusCode);
            }

            // The service's own deadline passed (the timeout middleware answers 504 itself), or the caller waited
            // longer than any working request takes: an outage that would otherwise never show.
            bool timedOut = _context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
            return timedOut || _time.GetElapsedTime(_started) >= abandonedAfter ? RequestOutcome.Failure : RequestOutcome.NotCounted;
        }

        return error is null ? ByStatus(_context.Response.StatusCode) : RequestOutcome.Failure;
    }

    private static RequestOutcome ByStatus(int statusCode) =>
        statusCode >= StatusCodes.Status500InternalServerError ? RequestOutcome.Failure : RequestOutcome.Success;
}
