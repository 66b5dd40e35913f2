using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace OperableService._1.Tests;

/// <summary>
/// Traces and logs (Telemetry.cs): every span and log record names the service, its team and its product domain
/// as operability.json declares them, none carries a secret, and they leave the process over OTLP only when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public sealed class TelemetryTests
{
    // Secrets a careless trace or log would carry: a token in a query string, a password in a connection string.
    private const string Token = "tok-7f3a9c-never-exported";
    private const string Password = "pw-51d2e8-never-exported";

    [Fact]
    public async Task SpansAndLogRecords_NameTheServiceItsTeamAndDomain_AndCarryNoSecret()
    {
        var captured = new CapturedTelemetry();
        var factory = new TelemetryFactory(captured, Settings());
        await using (factory)
        {
            using var client = factory.CreateClient();
            using var home = await client.SendAsync(captured.Get($"/?access_token={Token}"));
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            using var ready = await client.SendAsync(captured.Get("/health/ready"));
            captured.Resource = factory.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
        }

        // Disposing the service flushed every span and log record to the processors.
        var server = Assert.Single(captured.Spans, s => s.Kind == ActivityKind.Server && s.Path == "/");
        Assert.Equal("GET", server.Method);
        Assert.DoesNotContain(captured.Spans, s => s.Path?.StartsWith("/health", StringComparison.Ordinal) == true);
        Assert.NotEmpty(captured.LogRecords);
        Assert.Equal("operable-service", captured.Resource["service.name"]);
        Assert.Equal("OPERABLE_OWNER", captured.Resource["team"]);
//#if (productDomainGiven)
        Assert.Equal("OPERABLE_PRODUCT_DOMAIN", captured.Resource["product_domain"]);
//#else
        Assert.False(captured.Resource.ContainsKey("product_domain"));
//#endif
        Assert.False(string.IsNullOrEmpty(captured.Resource["service.version"] as string));
        foreach (var text in captured.AllText())
        {
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }
    }
//#if (hasDependency)

    [Fact]
    public async Task DependencyCall_IsAClientSpanInTheRequestsTrace_AndItsTimeoutsAreEventsOnTheRequestSpan()
    {
        await using var dependency = await FakeDependency.StartAsync();
        dependency.Delay = TimeSpan.FromSeconds(30);
        var captured = new CapturedTelemetry();
        await using (var factory = new TelemetryFactory(captured, Settings(dependency.BaseAddress.ToString())))
        {
            using var client = factory.CreateClient();
            using var response = await client.SendAsync(captured.Get("/example-dependency/status"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        // The request's trace: its server span, the client span of each attempt, and the fake's own server spans.
        var server = Assert.Single(captured.Spans, s => s.Kind == ActivityKind.Server && s.Path == "/example-dependency/status");
        Assert.Contains(captured.Spans, s => s.Kind == ActivityKind.Client && s.Text.Contains("/status", StringComparison.Ordinal));
        Assert.Contains(server.Events, e => e.Name == "operability.dependency.timeout" && e.Text.Contains("example-dependency", StringComparison.Ordinal));
    }
//#endif

    [Fact]
    public async Task WithoutAnOtlpEndpoint_NoExporterIsRegistered()
    {
        IServiceCollection? registered = null;
        await using var factory = new TelemetryFactory(new CapturedTelemetry(), Settings(), services => registered = services);
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/");

        Assert.NotNull(registered);
        var otlp = typeof(OpenTelemetry.Exporter.OtlpExporterOptions).Assembly;
        Assert.DoesNotContain(registered, d => d.ServiceType.Assembly == otlp || d.ImplementationType?.Assembly == otlp);
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_TracesAndLogsArePostedToIt_WithTheServicesNamesAndNoSecret()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var settings = Settings();
        settings[Telemetry.OtlpEndpointKey] = collector.Address;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await using (var factory = new TelemetryFactory(new CapturedTelemetry(), settings))
        {
            using var client = factory.CreateClient();
            using var response = await client.GetAsync($"/?access_token={Token}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // Exported now, within a generous bound (the exporters batch; shutting down would give them only a few seconds).
            Assert.True(factory.Services.GetRequiredService<TracerProvider>().ForceFlush(30_000), "the spans were not exported within 30 s");
            Assert.True(factory.Services.GetRequiredService<LoggerProvider>().ForceFlush(30_000), "the log records were not exported within 30 s");
        }

        // The collector saw both signals, each with the resource.
        foreach (var signal in new[] { "/v1/traces", "/v1/logs" })
        {
            var bodies = collector.Received(signal);
            Assert.True(bodies.Count > 0, $"nothing was posted to {signal}; received: {string.Join(", ", collector.Paths)}");
            var text = string.Concat(bodies.Select(b => Encoding.UTF8.GetString(b)));
            Assert.Contains("operable-service", text, StringComparison.Ordinal);
            Assert.Contains("OPERABLE_OWNER", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, string?> Settings(string? dependencyAddress = null)
    {
        var settings = new Dictionary<string, string?>();
//#if (hasDatabase)
        settings["ConnectionStrings:example-db"] = $"Host=127.0.0.1;Port=1;Database=example-db;Username=svc;Password={Password}";
//#endif
        if (dependencyAddress is not null)
        {
            settings["Operability:Dependencies:example-dependency:BaseAddress"] = dependencyAddress;
        }

        return settings;
    }

    /// <summary>The service with its own telemetry, plus processors that keep what was exported for the test.</summary>
    private sealed class TelemetryFactory(CapturedTelemetry captured, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? inspect = null)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Test");

            // Host settings, so that Program.cs already sees them when it decides whether to export over OTLP.
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                inspect?.Invoke(services);
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(captured.SpanProcessor));
                services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(captured.LogProcessor));
            });
        }
    }

    private sealed record CapturedEvent(string Name, string Text);

    private sealed record CapturedSpan(ActivityKind Kind, ActivityTraceId TraceId, string? Method, string? Path, string Text, IReadOnlyList<CapturedEvent> Events);

    /// <summary>Snapshots of what ended, taken as it ends (log records are pooled and reused after export).</summary>
    private sealed class CapturedTelemetry
    {
        private readonly ConcurrentQueue<CapturedSpan> _spans = new();
        private readonly ConcurrentQueue<string> _logRecords = new();

        public CapturedTelemetry()
        {
            SpanProcessor = new Processor<Activity>(activity =>
            {
                var events = activity.Events.Select(e => new CapturedEvent(e.Name, Describe(e.Tags))).ToList();
                _spans.Enqueue(new CapturedSpan(
                    activity.Kind,
                    activity.TraceId,
                    activity.GetTagItem("http.request.method") as string,
                    activity.GetTagItem("url.path") as string,
                    activity.DisplayName + " " + Describe(activity.TagObjects) + " " + string.Join(" ", events.Select(e => e.Name + " " + e.Text)),
                    events));
            });
            LogProcessor = new Processor<LogRecord>(record =>
                _logRecords.Enqueue($"{record.CategoryName} {record.FormattedMessage} {record.Body} {Describe(record.Attributes ?? [])} {record.Exception}"));
        }

        public BaseProcessor<Activity> SpanProcessor { get; }

        public BaseProcessor<LogRecord> LogProcessor { get; }

        /// <summary>The trace the test's requests start (other tests' services write spans in this process too).</summary>
        public ActivityTraceId TraceId { get; } = ActivityTraceId.CreateRandom();

        /// <summary>The spans of <see cref="TraceId"/>; <see cref="AllText"/> searches every span for secrets.</summary>
        public IReadOnlyList<CapturedSpan> Spans => _spans.Where(s => s.TraceId == TraceId).ToList();

        /// <summary>A GET whose traceparent puts the service's span in <see cref="TraceId"/>.</summary>
        public HttpRequestMessage Get(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("traceparent", $"00-{TraceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            return request;
        }

        public IReadOnlyCollection<string> LogRecords => _logRecords;

        public Dictionary<string, object> Resource { get; set; } = [];

        public IEnumerable<string> AllText() =>
            _spans.Select(s => s.Text).Concat(_logRecords).Concat(Resource.Select(a => $"{a.Key}={a.Value}"));

        private static string Describe(IEnumerable<KeyValuePair<string, object?>> tags) =>
            string.Join(" ", tags.Select(t => $"{t.Key}={t.Value}"));

        private sealed class Processor<T>(Action<T> onEnd) : BaseProcessor<T>
            where T : class
        {
            public override void OnEnd(T data) => onEnd(data);
        }
    }

    /// <summary>An OTLP/HTTP receiver on 127.0.0.1: keeps every body posted, by path, and answers success.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

        private OtlpCollector(WebApplication app) => _app = app;

        public string Address { get; private set; } = string.Empty;

        public IEnumerable<string> Paths => _received.Select(r => r.Path);

        public IReadOnlyList<byte[]> Received(string path) => _received.Where(r => r.Path == path).Select(r => r.Body).ToList();

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.Run(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                collector._received.Enqueue((context.Request.Path.Value ?? string.Empty, body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            collector.Address = app.Urls.First();
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
