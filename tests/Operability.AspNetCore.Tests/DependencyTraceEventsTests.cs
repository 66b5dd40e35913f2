using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The dependency pipeline's events (timeouts, retries, an opened circuit, bulkhead refusals) are written on the
/// span of the request that met them, so a trace shows why a call was slow or refused — and they name the
/// dependency, never its address.
/// </summary>
public sealed class DependencyTraceEventsTests : IAsyncLifetime
{
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Fact]
    public async Task SlowDependency_TheRequestSpanCarriesEachAttemptTimeoutAndRetry()
    {
        _payments.Mode = FakeMode.Slow;
        using var spans = new ServerSpans();
        await using KestrelService service = await StartAsync(new Dictionary<string, string?>
        {
            ["Operability:Dependencies:payments:Retries"] = "1",
            ["Operability:Dependencies:payments:RetryBaseDelay"] = "00:00:00.010",
            ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:00.200",
        });

        using HttpResponseMessage response = await spans.GetAsync(service.Client, "/pay");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Activity span = await spans.ForPathAsync("/pay");
        ActivityEvent[] timeouts = span.Events.Where(e => e.Name == "operability.dependency.timeout").ToArray();
        Assert.Equal(2, timeouts.Length);
        Assert.All(timeouts, e =>
        {
            Assert.Equal("payments", Tag(e, "operability.dependency"));
            Assert.Equal("attempt", Tag(e, "operability.timeout.kind"));
            Assert.Equal(0.2, Tag(e, "operability.timeout.seconds"));
        });
        ActivityEvent retry = Assert.Single(span.Events, e => e.Name == "operability.dependency.retry");
        Assert.Equal("payments", Tag(retry, "operability.dependency"));
        Assert.Equal(1, Tag(retry, "operability.retry.attempt"));
        Assert.Equal("TimeoutRejectedException", Tag(retry, "operability.retry.cause"));
        AssertNoAddress(span);
    }

    [Fact]
    public async Task FailingDependency_TheSpanThatOpensTheCircuitSaysSo_AndARefusedCallIsMarked()
    {
        _payments.Mode = FakeMode.Fail;
        using var spans = new ServerSpans();
        await using KestrelService service = await StartAsync(new Dictionary<string, string?>
        {
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Dependencies:payments:CircuitBreaker:MinimumThroughput"] = "2",
            ["Operability:Dependencies:payments:CircuitBreaker:FailureRatio"] = "1.0",
            ["Operability:Dependencies:payments:CircuitBreaker:SamplingDuration"] = "00:01:00",
            ["Operability:Dependencies:payments:CircuitBreaker:BreakDuration"] = "00:00:30",
        });

        (await spans.GetAsync(service.Client, "/pay")).Dispose();
        (await spans.GetAsync(service.Client, "/pay")).Dispose();
        using HttpResponseMessage refused = await spans.GetAsync(service.Client, "/pay");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        IReadOnlyList<Activity> pays = await spans.AllForPathAsync("/pay", 3);
        ActivityEvent opened = Assert.Single(pays.SelectMany(s => s.Events), e => e.Name == "operability.dependency.circuit_opened");
        Assert.Equal("payments", Tag(opened, "operability.dependency"));
        Assert.Equal(30.0, Tag(opened, "operability.circuit.break_seconds"));
        Assert.Equal("500", Tag(opened, "operability.circuit.cause"));
        ActivityEvent rejected = Assert.Single(pays[2].Events, e => e.Name == "operability.dependency.rejected");
        Assert.Equal("circuit_breaker", Tag(rejected, "operability.rejected.by"));
        Assert.All(pays, AssertNoAddress);
    }

    [Fact]
    public async Task FullBulkhead_TheRefusedRequestsSpanNamesTheBulkhead()
    {
        _payments.Mode = FakeMode.Hold;
        using var spans = new ServerSpans();
        await using KestrelService service = await StartAsync(new Dictionary<string, string?>
        {
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:20",
            ["Operability:Dependencies:payments:Bulkhead:PermitLimit"] = "1",
            ["Operability:Dependencies:payments:Bulkhead:QueueLimit"] = "0",
        }, manifestTimeout: "00:00:20");

        Task<HttpResponseMessage> held = spans.GetAsync(service.Client, "/pay");
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_payments.InFlight == 1), TimeSpan.FromSeconds(10)));
        using HttpResponseMessage refused = await spans.GetAsync(service.Client, "/pay");
        _payments.Release();
        (await held).Dispose();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        IReadOnlyList<Activity> pays = await spans.AllForPathAsync("/pay", 2);
        ActivityEvent rejected = Assert.Single(pays.SelectMany(s => s.Events), e => e.Name == "operability.dependency.rejected");
        Assert.Equal("bulkhead", Tag(rejected, "operability.rejected.by"));
        Assert.Equal("payments", Tag(rejected, "operability.dependency"));
    }

    private static object? Tag(ActivityEvent e, string key) => e.Tags.FirstOrDefault(t => t.Key == key).Value;

    /// <summary>Events name the dependency; its address (host and port, maybe credentials in a URL) stays out of them.</summary>
    private void AssertNoAddress(Activity span)
    {
        foreach (ActivityEvent e in span.Events.Where(e => e.Name.StartsWith("operability.", StringComparison.Ordinal)))
        {
            Assert.All(e.Tags, t => Assert.DoesNotContain(_payments.Address.Authority, Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal));
        }
    }

    private async Task<KestrelService> StartAsync(Dictionary<string, string?> settings, string manifestTimeout = "00:00:02")
    {
        settings["Operability:Dependencies:payments:BaseAddress"] = _payments.Address.ToString();
        return await KestrelService.StartAsync(new ContentRoot(Manifests.WithDependency(manifestTimeout)), settings, map: ResilienceOnKestrelTests.MapPay);
    }

    /// <summary>ASP.NET Core's server spans, as any tracer (OpenTelemetry's included) receives them when they end.</summary>
    private sealed class ServerSpans : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ConcurrentDictionary<string, bool> _parents = new();
        private readonly ActivityListener _listener;

        public ServerSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity => _stopped.Enqueue(activity),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>GET <paramref name="path"/> as a traced caller would: the server's span becomes the child of a span of ours.</summary>
        public async Task<HttpResponseMessage> GetAsync(HttpClient client, string path)
        {
            var parent = ActivitySpanId.CreateRandom();
            _parents[parent.ToHexString()] = true;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("traceparent", $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{parent.ToHexString()}-01");
            return await client.SendAsync(request);
        }

        public async Task<Activity> ForPathAsync(string path) => (await AllForPathAsync(path, 1))[0];

        public async Task<IReadOnlyList<Activity>> AllForPathAsync(string path, int count)
        {
            // Only the spans of the requests this test sent: other tests' services (and the fake dependency) run
            // in the same process and write to the same source.
            List<Activity> Found() => _stopped.Where(a => _parents.ContainsKey(a.ParentSpanId.ToHexString())).OrderBy(a => a.StartTimeUtc).ToList();
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Found().Count >= count), TimeSpan.FromSeconds(10)), $"fewer than {count} server spans for {path}");
            return Found();
        }

        public void Dispose() => _listener.Dispose();
    }
}
