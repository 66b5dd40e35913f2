using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

/// <summary>
/// p99 of a route that calls no dependency, while another route of the same service calls a dependency that
/// takes 1 s to answer, with the default bulkhead and with it opened wide (10,000 permits). The slow route's
/// callers arrive open-loop, at a fixed rate whatever the answers (as users do), so a refused call does not
/// come back at once as a busy loop would. Every loop is bounded: the unrelated route by its request count,
/// the slow arrivals by that load's duration.
/// </summary>
internal static class BulkheadBenchmark
{
    private const string Start = "<!-- runtime-bulkhead:start -->";
    private const string End = "<!-- runtime-bulkhead:end -->";

    public static async Task<int> RunAsync(string contentRoot, BenchmarkSettings settings, int slowPerSecond)
    {
        await using WebApplication dependency = await StartDependencyAsync();
        Uri dependencyAddress = Service.Address(dependency);
        var rows = new List<(string Name, List<RoundResult> Rounds, List<SlowResult> Slow)>();
        foreach ((string name, int? permits, bool slow) in new[] { ("no slow traffic", (int?)null, false), ("slow dependency, default bulkhead", null, true), ("slow dependency, bulkhead opened wide", 10_000, true) })
        {
            await using WebApplication service = await StartServiceAsync(contentRoot, dependencyAddress, permits);
            Uri address = Service.Address(service);
            await LoadGenerator.RunAsync(address, settings.Warmup, settings.Concurrency);
            var rounds = new List<RoundResult>();
            var slows = new List<SlowResult>();
            for (int round = 0; round < settings.Rounds; round++)
            {
                using var stop = new CancellationTokenSource();
                Task<SlowResult> background = slow ? SlowArrivalsAsync(address, slowPerSecond, stop.Token) : Task.FromResult(new SlowResult(0, 0, 0));
                if (slow)
                {
                    // Let the dependency fill up before measuring.
                    await Task.Delay(TimeSpan.FromSeconds(1.5));
                }

                RoundResult result = await LoadGenerator.RunAsync(address, settings.Requests, settings.Concurrency);
                await stop.CancelAsync();
                SlowResult slowResult = await background;
                rounds.Add(result);
                slows.Add(slowResult);
                Console.WriteLine($"  {name,-40} round {round + 1}: unrelated p50 {result.P50.TotalMilliseconds,6:N2} ms  p99 {result.P99.TotalMilliseconds,6:N2} ms  errors {result.Errors}; slow calls {slowResult.Sent} sent, {slowResult.Refused} refused (503), {slowResult.Answered} answered");
            }

            rows.Add((name, rounds, slows));
        }

        string markdown = Markdown(settings, slowPerSecond, rows);
        Console.WriteLine(markdown);
        if (settings.Output is not null)
        {
            Report.Write(settings.Output, markdown, Start, End);
        }

        return 0;
    }

    private static async Task<SlowResult> SlowArrivalsAsync(Uri address, int perSecond, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 4096 };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var calls = new List<Task<int>>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        double due = 0;
        while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            for (due += perSecond / 100.0; due >= 1; due--)
            {
                calls.Add(CallAsync(client));
            }
        }

        int[] statuses = await Task.WhenAll(calls);
        return new SlowResult(statuses.Length, statuses.Count(s => s == 503), statuses.Count(s => s == 200));
    }

    private static async Task<int> CallAsync(HttpClient client)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("/pay");
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static async Task<WebApplication> StartDependencyAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.Run(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
            await context.Response.WriteAsync("slow");
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartServiceAsync(string contentRoot, Uri dependency, int? permits)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["Operability:Dependencies:payments:BaseAddress"] = dependency.ToString(),
            // The dependency is slow, not failing: one attempt within the manifest's 2 s, answered after 1 s.
            ["Operability:Dependencies:payments:Retries"] = "0",
            ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:02",
        };
        if (permits is int limit)
        {
            settings["Operability:Dependencies:payments:Bulkhead:PermitLimit"] = limit.ToString(CultureInfo.InvariantCulture);
            settings["Operability:Dependencies:payments:Bulkhead:QueueLimit"] = "0";
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddOperability();
        WebApplication app = builder.Build();
        app.MapOperability();
        app.MapGet("/orders/{id:int}", (int id) => new Order(id, "open", 42.5m));
        app.MapGet("/pay", async (IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            try
            {
                using HttpResponseMessage response = await clients.CreateClient("payments").GetAsync("status", cancellationToken);
                return Results.Text(await response.Content.ReadAsStringAsync(cancellationToken), statusCode: (int)response.StatusCode);
            }
            catch (Polly.ExecutionRejectedException)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
        });
        await app.StartAsync();
        return app;
    }

    private static string Markdown(BenchmarkSettings s, int slowPerSecond, List<(string Name, List<RoundResult> Rounds, List<SlowResult> Slow)> rows)
    {
        var md = new StringBuilder();
        md.AppendLine(Start);
        md.AppendLine("## Runtime library: an unrelated route's latency beside a slow dependency (the bulkhead)");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"`dotnet run -c Release --project benchmarks/Operability.AspNetCore.Benchmarks -- --bulkhead --output docs/benchmarks.md` starts one service with `AddOperability` (target 99.9%, dependency `payments` with the manifest timeout 2 s, one attempt) on Kestrel at 127.0.0.1, and a fake `payments` that answers every call after 1 s. `GET /pay` calls `payments`; `GET /orders/{{id}}` calls nothing. While `/pay` callers arrive open-loop at {slowPerSecond}/s (a fixed rate whatever the answers), the bounded generator loads `/orders/{{id}}`; then the same with no `/pay` traffic, and with the bulkhead opened wide (`Bulkhead:PermitLimit=10000`). The default bulkhead for this target and timeout is 50 permits and a queue of 5 (25 calls/s at the whole timeout)."));
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}: {s.Requests:N0} requests to the unrelated route per round, {s.Concurrency} concurrent, {s.Warmup:N0} warm-up, {s.Rounds} rounds per variant (median round shown). Generator, service and fake share the cores."));
        md.AppendLine();
        md.AppendLine("| variant | unrelated p50 | unrelated p99 | unrelated errors | `/pay` calls sent | refused by the bulkhead (503) | answered |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach ((string name, List<RoundResult> rounds, List<SlowResult> slow) in rows)
        {
            int median = Enumerable.Range(0, rounds.Count).OrderBy(i => rounds[i].P99).ElementAt(rounds.Count / 2);
            RoundResult r = rounds[median];
            SlowResult w = slow[median];
            md.AppendLine(FormattableString.Invariant($"| {name} | {r.P50.TotalMilliseconds:N2} ms | {r.P99.TotalMilliseconds:N2} ms | {r.Errors} | {w.Sent:N0} | {w.Refused:N0} | {w.Answered:N0} |"));
        }

        md.AppendLine();
        md.AppendLine("p99 of every round: " + string.Join("; ", rows.Select(row => row.Name + ": " + string.Join(", ", row.Rounds.Select(r => r.P99.TotalMilliseconds.ToString("N2", CultureInfo.InvariantCulture) + " ms")))) + ".");
        md.AppendLine(End);
        return md.ToString();
    }

    private sealed record SlowResult(int Sent, int Refused, int Answered);
}
