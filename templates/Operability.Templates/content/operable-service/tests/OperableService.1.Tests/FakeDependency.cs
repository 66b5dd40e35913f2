using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OperableService._1.Tests;

/// <summary>
/// Stands in for example-dependency: a real HTTP server on 127.0.0.1 whose answer to GET /status the
/// test chooses (healthy, slow or failing), counting the calls that reach it.
/// </summary>
internal sealed class FakeDependency : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private FakeDependency(WebApplication app) => _app = app;

    /// <summary>How long the fake waits before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The status code it answers with.</summary>
    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    /// <summary>Requests that reached the fake.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeDependency> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDependency(app);
        app.MapGet("/status", async (HttpContext context) =>
        {
            Interlocked.Increment(ref fake._calls);
            if (fake.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fake.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty;
                }
            }

            return fake.StatusCode == StatusCodes.Status200OK ? Results.Text("ok") : Results.StatusCode(fake.StatusCode);
        });
        await app.StartAsync();
        // Port 0 asked the OS for a free port; once started, the server reports the one it got.
        fake.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
