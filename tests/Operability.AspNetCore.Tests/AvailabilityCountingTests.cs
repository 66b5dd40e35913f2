using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Operability.AspNetCore.Availability;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// What one request adds to the availability count, on real Kestrel with the middleware ASP.NET Core services
/// put around it: requests the client gave up on, re-executed requests, and requests Kestrel rejects. Each test
/// waits for its requests to leave the whole pipeline (an outermost middleware signals), so counts are final.
/// </summary>
public sealed class AvailabilityCountingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(null, 11, true)]
    [InlineData(null, 9, false)]
    [InlineData("00:00:30", 20, false)]
    [InlineData("00:00:30", 31, true)]
    public async Task ClientGivingUpWithoutAnAnswer_CountsAsFailureOnlyPastTheBound(string? abandonedAfter, int waitedSeconds, bool failure)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = new Dictionary<string, string?>();
        if (abandonedAfter is not null)
        {
            settings["Operability:Availability:AbandonedAfter"] = abandonedAfter;
        }

        await using CountedService service = await CountedService.StartAsync(
            app => app.MapGet("/hang", async (HttpContext context) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }),
            settings,
            builder => builder.Services.AddSingleton<TimeProvider>(clock));

        using var giveUp = new CancellationTokenSource();
        Task<HttpResponseMessage> request = service.Client.GetAsync("/hang", giveUp.Token);
        await entered.Task.WaitAsync(Bound);
        clock.Advance(TimeSpan.FromSeconds(waitedSeconds));
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await service.AssertCountedAsync(requests: failure ? 1 : 0, failures: failure ? 1 : 0);
    }

    [Fact]
    public async Task ClientHangingUpAfterTheAnswerStarted_CountsAsSuccess_HoweverLongItStreamed()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using CountedService service = await CountedService.StartAsync(
            app => app.MapGet("/events", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("event: first\n\n");
                await context.Response.Body.FlushAsync();
                answered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }),
            configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));

        HttpResponseMessage response = await service.Client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await answered.Task.WaitAsync(Bound);
        clock.Advance(TimeSpan.FromMinutes(5));

        // Leaving a chunked body unread closes the connection: the server sees the client hang up.
        response.Dispose();
        await service.AssertCountedAsync(requests: 1, failures: 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RequestCancelledByTheRequestTimeoutMiddleware_CountsAsFailure_AroundOrInsideTheCount(bool around)
    {
        await using CountedService service = await CountedService.StartAsync(
            app =>
            {
                if (!around)
                {
                    app.UseRequestTimeouts();
                }

                app.MapGet("/slow", (HttpContext context) => Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted))
                    .WithRequestTimeout(TimeSpan.FromMilliseconds(200));
            },
            configure: builder => builder.Services.AddRequestTimeouts(),
            outer: around ? app => app.UseRequestTimeouts() : null);

        using HttpResponseMessage response = await service.Client.GetAsync("/slow");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        await service.AssertCountedAsync(requests: 1, failures: 1);
    }

    [Fact]
    public async Task ExceptionHandlerReExecution_CountsTheRequestOnce_AsFailure()
    {
        await using CountedService service = await CountedService.StartAsync(
            app =>
            {
                app.MapGet("/throws", (Func<string>)(() => throw new InvalidOperationException("broken")));
                app.Map("/error", () => Results.Problem());
            },
            outer: app => app.UseExceptionHandler("/error"));

        using HttpResponseMessage response = await service.Client.GetAsync("/throws");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        await service.AssertCountedAsync(requests: 1, failures: 1);
    }

    [Fact]
    public async Task ExceptionHandlerInsideTheCount_TheStatusItChoosesDecides()
    {
        await using CountedService service = await CountedService.StartAsync(
            app =>
            {
                app.UseExceptionHandler(new ExceptionHandlerOptions
                {
                    ExceptionHandler = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status400BadRequest;
                        return Task.CompletedTask;
                    },
                });
                app.MapGet("/throws", (Func<string>)(() => throw new ArgumentException("the client's mistake")));
            });

        using HttpResponseMessage response = await service.Client.GetAsync("/throws");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await service.AssertCountedAsync(requests: 1, failures: 0);
    }

    [Fact]
    public async Task StatusCodePagesReExecution_CountsTheRequestOnce()
    {
        await using CountedService service = await CountedService.StartAsync(
            app => app.MapGet("/status/{code:int}", (int code) => "status " + code),
            outer: app => app.UseStatusCodePagesWithReExecute("/status/{0}"));

        using HttpResponseMessage response = await service.Client.GetAsync("/missing");
        Assert.Equal("status 404", await response.Content.ReadAsStringAsync());
        await service.AssertCountedAsync(requests: 1, failures: 0);
    }

    [Fact]
    public async Task BodyOverMaxRequestBodySize_IsAClientError_NotAServerFailure()
    {
        await using CountedService service = await CountedService.StartAsync(
            app => app.MapPost("/upload", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                return Results.Ok();
            }),
            configure: builder => builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024));

        using HttpResponseMessage response = await service.Client.PostAsync("/upload", new ByteArrayContent(new byte[8 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await service.AssertCountedAsync(requests: 1, failures: 0);
    }

    [Theory]
    [InlineData("10", "is '10', which is not a duration")]
    [InlineData("00:00:00.500", "is 00:00:00.5000000; use 00:00:01 to 01:00:00.")]
    [InlineData("02:00:00", "is 02:00:00; use 00:00:01 to 01:00:00.")]
    public async Task AbandonedAfter_NotADurationOrOutOfRange_StopsTheStart(string value, string problem)
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartupValidationTests.StartFailsAsync(root, new() { ["Operability:Availability:AbandonedAfter"] = value });
        Assert.Contains("'Operability:Availability:AbandonedAfter' (environment variable Operability__Availability__AbandonedAfter) " + problem, error.Message);
    }

    /// <summary>
    /// A service whose outermost middleware releases a semaphore as each request leaves the pipeline, so that the
    /// count a test reads is final; <c>outer</c> adds middleware around the runtime's, <c>routes</c> the rest.
    /// </summary>
    private sealed class CountedService : IAsyncDisposable
    {
        private readonly KestrelService _service;
        private readonly SemaphoreSlim _finished;

        private CountedService(KestrelService service, SemaphoreSlim finished)
        {
            _service = service;
            _finished = finished;
        }

        public HttpClient Client => _service.Client;

        public static async Task<CountedService> StartAsync(
            Action<WebApplication> routes,
            IDictionary<string, string?>? settings = null,
            Action<WebApplicationBuilder>? configure = null,
            Action<WebApplication>? outer = null)
        {
            var finished = new SemaphoreSlim(0);
            KestrelService service = await KestrelService.StartWithPipelineAsync(
                new ContentRoot(),
                app =>
                {
                    app.Use(async (context, next) =>
                    {
                        try
                        {
                            await next(context);
                        }
                        finally
                        {
                            finished.Release();
                        }
                    });
                    outer?.Invoke(app);
                    app.MapOperability();
                    routes(app);
                },
                settings,
                configure);
            return new CountedService(service, finished);
        }

        /// <summary>Once the request has left the whole pipeline, what the availability count holds.</summary>
        public async Task AssertCountedAsync(long requests, long failures)
        {
            Assert.True(await _finished.WaitAsync(Bound), "the request did not leave the pipeline");
            WindowMeasurement counted = _service.Services.GetRequiredService<AvailabilityRecorder>().Window();
            Assert.Equal(requests, counted.Requests);
            Assert.Equal(failures, counted.Failures);
        }

        public async ValueTask DisposeAsync()
        {
            await _service.DisposeAsync();
            _finished.Dispose();
        }
    }
}

/// <summary>The counting rules one by one, on a bare <see cref="DefaultHttpContext"/>.</summary>
public sealed class CountedRequestTests
{
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(StatusCodes.Status408RequestTimeout, true, RequestOutcome.Success)]
    [InlineData(StatusCodes.Status413PayloadTooLarge, true, RequestOutcome.Success)]
    [InlineData(StatusCodes.Status431RequestHeaderFieldsTooLarge, false, RequestOutcome.Success)]
    [InlineData(StatusCodes.Status503ServiceUnavailable, false, RequestOutcome.Failure)]
    internal void BadHttpRequest_BelowFiveHundredIsAClientError_WhetherOrNotTheClientIsGone(int status, bool clientGone, RequestOutcome expected)
    {
        var counted = new CountedRequest(new DefaultHttpContext(), new FakeTimeProvider());
        CancellationToken aborted = clientGone ? Aborted() : CancellationToken.None;
        Assert.Equal(expected, counted.Outcome(new BadHttpRequestException("slow body", status), aborted, AbandonedAfter));
    }

    [Theory]
    [InlineData(200, false, RequestOutcome.Success)]
    [InlineData(404, false, RequestOutcome.Success)]
    [InlineData(500, false, RequestOutcome.Failure)]
    [InlineData(200, true, RequestOutcome.Failure)]
    internal void NotAbandoned_CountsByStatus_AndAnyOtherExceptionFails(int status, bool threw, RequestOutcome expected)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        var counted = new CountedRequest(context, new FakeTimeProvider());
        Assert.Equal(expected, counted.Outcome(threw ? new InvalidOperationException() : null, CancellationToken.None, AbandonedAfter));
    }

    [Fact]
    internal void AbandonedBeforeAnAnswer_AfterTheServicesOwnDeadline_Fails_HoweverSoon()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpRequestTimeoutFeature>(new ExpiredTimeout());
        var counted = new CountedRequest(context, new FakeTimeProvider());
        Assert.Equal(RequestOutcome.Failure, counted.Outcome(new OperationCanceledException(), Aborted(), AbandonedAfter));
    }

    private static CancellationToken Aborted() => new(canceled: true);

    private sealed class ExpiredTimeout : IHttpRequestTimeoutFeature
    {
        public CancellationToken RequestTimeoutToken => new(canceled: true);

        public void DisableTimeout()
        {
        }
    }
}
