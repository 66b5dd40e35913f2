using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Operability.AspNetCore.Tests;

/// <summary>Manifests the tests start services with.</summary>
internal static class Manifests
{
    public const string Orders = """
        {
          "service": "orders",
          "owner": "team-orders",
          "contacts": { "onCall": "https://oncall.example.com/team-orders", "chat": "#team-orders" },
          "productDomain": "checkout",
          "availability": { "target": 99.9 },
          "dependencies": [ { "name": "payments", "timeout": "00:00:02", "critical": true } ]
        }
        """;

    public static string WithDependency(string timeout, bool critical = true, string target = "99.9") => $$"""
        {
          "service": "orders",
          "owner": "team-orders",
          "availability": { "target": {{target}} },
          "dependencies": [ { "name": "payments", "timeout": "{{timeout}}", "critical": {{(critical ? "true" : "false")}} } ]
        }
        """;
}

/// <summary>A temporary content root holding a manifest and any other files; deleted on dispose.</summary>
internal sealed class ContentRoot : IDisposable
{
    public ContentRoot(string? manifest = Manifests.Orders)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "operability-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (manifest is not null)
        {
            Write("operability.json", manifest);
        }
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        string full = System.IO.Path.Combine(Path, name);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A real service on Kestrel at 127.0.0.1 on a port the OS picks, using the runtime library.</summary>
internal sealed class KestrelService : IAsyncDisposable
{
    private readonly ContentRoot _root;

    private KestrelService(WebApplication app, ContentRoot root)
    {
        App = app;
        _root = root;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static WebApplicationBuilder CreateBuilder(ContentRoot root, IDictionary<string, string?>? settings = null, string environment = "Production")
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = root.Path,
            EnvironmentName = environment,
            ApplicationName = typeof(KestrelService).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        return builder;
    }

    /// <summary>Builds and starts a service; the routes a test needs are added by <paramref name="map"/>.</summary>
    public static async Task<KestrelService> StartAsync(
        ContentRoot root,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null,
        string environment = "Production",
        Action<Operability.AspNetCore.Endpoints.OperabilityEndpoints>? conventions = null,
        Action<WebApplicationBuilder>? beforeOperability = null)
    {
        WebApplicationBuilder builder = CreateBuilder(root, settings, environment);
        beforeOperability?.Invoke(builder);
        builder.AddOperability();
        configure?.Invoke(builder);
        WebApplication app = builder.Build();
        Operability.AspNetCore.Endpoints.OperabilityEndpoints endpoints = app.MapOperability();
        conventions?.Invoke(endpoints);
        app.MapGet("/", () => "hello");
        map?.Invoke(app);
        await app.StartAsync();
        return new KestrelService(app, root);
    }

    /// <summary>
    /// Builds and starts a service whose whole pipeline <paramref name="pipeline"/> lays out, for tests that need
    /// middleware around the runtime's (it must call <c>MapOperability</c> itself).
    /// </summary>
    public static async Task<KestrelService> StartWithPipelineAsync(
        ContentRoot root,
        Action<WebApplication> pipeline,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = CreateBuilder(root, settings);
        builder.AddOperability();
        configure?.Invoke(builder);
        WebApplication app = builder.Build();
        pipeline(app);
        await app.StartAsync();
        return new KestrelService(app, root);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _root.Dispose();
    }
}

/// <summary>How the fake dependency answers.</summary>
internal enum FakeMode
{
    Ok,
    Fail,
    Slow,

    /// <summary>Headers at once, then one byte of body every 100 ms, until the caller gives up (at most 10 s).</summary>
    Trickle,

    /// <summary>Holds every request until <see cref="FakeDependency.Release"/> (at most 10 s), then answers "held".</summary>
    Hold,
}

/// <summary>
/// A real dependency on Kestrel at 127.0.0.1 that can be made slow or failing, and counts the requests it gets
/// per method, so tests see what the resilience pipeline really sent.
/// </summary>
internal sealed class FakeDependency : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.OrdinalIgnoreCase);
    private volatile int _mode;
    private int _inFlight;
    private int _maxInFlight;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeDependency(WebApplication app)
    {
        _app = app;
    }

    public Uri Address { get; private set; } = null!;

    public FakeMode Mode
    {
        get => (FakeMode)_mode;
        set => _mode = (int)value;
    }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    public int Count(string method) => _counts.TryGetValue(method, out int count) ? count : 0;

    public int Total => _counts.Values.Sum();

    /// <summary>Requests being answered right now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests this fake was answering at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Lets every held request (and any later one) answer.</summary>
    public void Release() => _released.TrySetResult();

    public void Reset() => _counts.Clear();

    public static async Task<FakeDependency> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var fake = new FakeDependency(app);
        app.Run(async context =>
        {
            fake._counts.AddOrUpdate(context.Request.Method, 1, (_, c) => c + 1);
            int now = Interlocked.Increment(ref fake._inFlight);
            int max;
            while (now > (max = Volatile.Read(ref fake._maxInFlight)) && Interlocked.CompareExchange(ref fake._maxInFlight, now, max) != max)
            {
            }

            try
            {
                await fake.AnswerAsync(context);
            }
            finally
            {
                Interlocked.Decrement(ref fake._inFlight);
            }
        });
        await app.StartAsync();
        fake.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        switch (Mode)
        {
            case FakeMode.Hold:
                try
                {
                    await _released.Task.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted);
                    await context.Response.WriteAsync("held");
                }
                catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
                {
                }

                break;
            case FakeMode.Fail:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync("failing");
                break;
            case FakeMode.Slow:
                try
                {
                    await Task.Delay(SlowDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await context.Response.WriteAsync("slow");
                break;
            case FakeMode.Trickle:
                try
                {
                    await context.Response.StartAsync(context.RequestAborted);
                    for (int i = 0; i < 100; i++)
                    {
                        await context.Response.WriteAsync("a", context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        await Task.Delay(100, context.RequestAborted);
                    }
                }
                catch (OperationCanceledException)
                {
                }

                break;
            default:
                await context.Response.WriteAsync("ok");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Waits for a condition that becomes true asynchronously, with a bound.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        while (!cts.IsCancellationRequested)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }
}
