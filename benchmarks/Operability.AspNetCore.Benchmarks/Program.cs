using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A minimal API with and without AddOperability/MapOperability, each on Kestrel at 127.0.0.1, loaded by the same
// bounded generator in alternating rounds (so drift of the machine hits both alike). Prints and records
// requests/s and latency percentiles, and the ratio of the two. Every loop is bounded by a request count.
if (args.Length > 0 && args[0] == "--micro")
{
    // In process, no generated project: fast to run, good enough for a per-request cost in nanoseconds.
    BenchmarkDotNet.Reports.Summary summary = BenchmarkDotNet.Running.BenchmarkRunner.Run<MiddlewareBenchmarks>(
        BenchmarkDotNet.Configs.DefaultConfig.Instance.AddJob(
            BenchmarkDotNet.Jobs.Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance))
            .WithArtifactsPath(Path.Combine("artifacts", "benchmarks", "runtime-micro")));
    return summary.HasCriticalValidationErrors ? 1 : 0;
}

bool bulkhead = args.Length > 0 && args[0] == "--bulkhead";
var settings = BenchmarkSettings.Parse(bulkhead ? args[1..] : args);
Console.WriteLine($"Operability.AspNetCore benchmark: {settings.Requests} requests per round, {settings.Concurrency} concurrent, {settings.Warmup} warm-up, {settings.Rounds} rounds per variant, {Environment.ProcessorCount} cores");

string contentRoot = Path.Combine(Path.GetTempPath(), "operability-benchmark-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(contentRoot);
File.WriteAllText(Path.Combine(contentRoot, "operability.json"), """
    { "service": "orders", "owner": "team-orders", "availability": { "target": 99.9 },
      "dependencies": [ { "name": "payments", "timeout": "00:00:02", "critical": true } ] }
    """);

if (bulkhead)
{
    int code = await BulkheadBenchmark.RunAsync(contentRoot, settings, slowPerSecond: 500);
    Directory.Delete(contentRoot, recursive: true);
    return code;
}

await using WebApplication bare = await Service.StartAsync(contentRoot, operable: false);
await using WebApplication operable = await Service.StartAsync(contentRoot, operable: true);
var variants = new[] { ("bare minimal API", Service.Address(bare)), ("with AddOperability/MapOperability", Service.Address(operable)) };

var results = variants.ToDictionary(v => v.Item1, _ => new List<RoundResult>());
foreach ((string name, Uri address) in variants)
{
    await LoadGenerator.RunAsync(address, settings.Warmup, settings.Concurrency);
}

for (int round = 0; round < settings.Rounds; round++)
{
    foreach ((string name, Uri address) in round % 2 == 0 ? variants : variants.Reverse())
    {
        RoundResult result = await LoadGenerator.RunAsync(address, settings.Requests, settings.Concurrency);
        results[name].Add(result);
        Console.WriteLine($"  round {round + 1}: {name,-36} {result.RequestsPerSecond,10:N0} req/s  p50 {result.P50.TotalMilliseconds,6:N2} ms  p99 {result.P99.TotalMilliseconds,6:N2} ms  errors {result.Errors}");
    }
}

RoundResult Median(string name) => results[name].OrderBy(r => r.RequestsPerSecond).ElementAt(results[name].Count / 2);
RoundResult b = Median(variants[0].Item1);
RoundResult o = Median(variants[1].Item1);
double throughputRatio = o.RequestsPerSecond / b.RequestsPerSecond;
double p99Ratio = o.P99.TotalMilliseconds / b.P99.TotalMilliseconds;

// Rounds run back to back share the machine's condition; the median of their ratios is the steadier statistic.
double pairedRatio = Enumerable.Range(0, settings.Rounds)
    .Select(r => results[variants[1].Item1][r].RequestsPerSecond / results[variants[0].Item1][r].RequestsPerSecond)
    .OrderBy(x => x)
    .ElementAt(settings.Rounds / 2);
Console.WriteLine($"Throughput with the runtime library: {throughputRatio:P1} of the bare service by median rounds, {pairedRatio:P1} by median of paired rounds (target ≥ 95%); p99 latency ×{p99Ratio:N2}");

string markdown = Report.Markdown(settings, b, o, throughputRatio, pairedRatio, p99Ratio, results);
if (settings.Output is not null)
{
    Report.Write(settings.Output, markdown, Report.Start, Report.End);
    Console.WriteLine("Recorded in " + settings.Output);
}

Directory.Delete(contentRoot, recursive: true);
return pairedRatio >= 0.95 || !settings.Enforce ? 0 : 1;

internal sealed record BenchmarkSettings(int Requests, int Concurrency, int Warmup, int Rounds, string? Output, bool Enforce)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        int requests = 30_000, concurrency = 32, warmup = 60_000, rounds = 7;
        string? output = null;
        bool enforce = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("Missing value after " + args[i]);
            switch (args[i])
            {
                case "--requests": requests = Positive(Next(), "--requests", 1_000_000); break;
                case "--concurrency": concurrency = Positive(Next(), "--concurrency", 1024); break;
                case "--warmup": warmup = Positive(Next(), "--warmup", 1_000_000); break;
                case "--rounds": rounds = Positive(Next(), "--rounds", 50); break;
                case "--output": output = Next(); break;
                case "--enforce": enforce = true; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Use --requests N --concurrency N --warmup N --rounds N --output docs/benchmarks.md [--enforce].");
            }
        }

        return new BenchmarkSettings(requests, concurrency, warmup, rounds, output, enforce);
    }

    private static int Positive(string value, string name, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from 1 to {max}, not '{value}'.");
}

internal static class Service
{
    public static async Task<WebApplication> StartAsync(string contentRoot, bool operable)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (operable)
        {
            builder.AddOperability();
        }

        WebApplication app = builder.Build();
        if (operable)
        {
            app.MapOperability();
        }

        app.MapGet("/orders/{id:int}", (int id) => new Order(id, "open", 42.5m));
        await app.StartAsync();
        return app;
    }

    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

internal sealed record Order(int Id, string Status, decimal Total);

internal sealed record RoundResult(int Requests, int Errors, TimeSpan Elapsed, TimeSpan P50, TimeSpan P99)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}

internal static class LoadGenerator
{
    public static async Task<RoundResult> RunAsync(Uri address, int requests, int concurrency)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        long[] latencies = new long[requests];
        int next = -1;
        int errors = 0;
        var stopwatch = Stopwatch.StartNew();
        Task[] workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using HttpResponseMessage response = await client.GetAsync("/orders/" + ((i % 1000) + 1).ToString(CultureInfo.InvariantCulture));
                    await response.Content.LoadIntoBufferAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[i] = Stopwatch.GetTimestamp() - start;
            }
        }).ToArray();
        await Task.WhenAll(workers);
        stopwatch.Stop();
        Array.Sort(latencies);
        TimeSpan At(double q) => Stopwatch.GetElapsedTime(0, latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)]);
        return new RoundResult(requests, errors, stopwatch.Elapsed, At(0.50), At(0.99));
    }
}

internal static class Report
{
    public const string Start = "<!-- runtime-benchmark:start -->";
    public const string End = "<!-- runtime-benchmark:end -->";

    public static string Markdown(BenchmarkSettings s, RoundResult bare, RoundResult operable, double ratio, double pairedRatio, double p99Ratio, Dictionary<string, List<RoundResult>> all)
    {
        var md = new StringBuilder();
        md.AppendLine(Start);
        md.AppendLine("## Runtime library: requests/s with and without `AddOperability`/`MapOperability`");
        md.AppendLine();
        md.AppendLine("`dotnet run -c Release --project benchmarks/Operability.AspNetCore.Benchmarks -- --output docs/benchmarks.md` starts a minimal API (`GET /orders/{id}` returning JSON) twice on Kestrel at 127.0.0.1 — bare, and with `builder.AddOperability()` + `app.MapOperability()` (manifest with one dependency; shutter and availability middleware on every request) — then loads both from one process with a bounded generator (HttpClient, fixed request count and concurrency, warm-up first), alternating the order each round. The median round of each variant is reported.");
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}: {s.Requests:N0} requests per round, {s.Concurrency} concurrent, {s.Warmup:N0} warm-up, {s.Rounds} rounds per variant. The generator shares the 2 cores with both servers, so absolute numbers are low; the ratio is what this measures."));
        md.AppendLine();
        md.AppendLine("| variant | requests/s (median round) | p50 latency | p99 latency | errors |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        md.AppendLine(FormattableString.Invariant($"| bare minimal API | {bare.RequestsPerSecond:N0} | {bare.P50.TotalMilliseconds:N2} ms | {bare.P99.TotalMilliseconds:N2} ms | {bare.Errors} |"));
        md.AppendLine(FormattableString.Invariant($"| with AddOperability/MapOperability | {operable.RequestsPerSecond:N0} | {operable.P50.TotalMilliseconds:N2} ms | {operable.P99.TotalMilliseconds:N2} ms | {operable.Errors} |"));
        md.AppendLine();
        md.AppendLine(FormattableString.Invariant($"**Throughput ratio: {pairedRatio:P1}** of the bare service as the median of paired rounds (each round runs both variants back to back), {ratio:P1} as the ratio of the median rounds (target ≥ 95%); p99 latency ×{p99Ratio:N2}. Round-to-round noise on this shared 2-core machine is larger than the difference: read the ratio as \"no measurable cost\" only when it stays near 100% across runs."));
        md.AppendLine();
        md.AppendLine("Every round (requests/s):");
        md.AppendLine();
        foreach (KeyValuePair<string, List<RoundResult>> variant in all)
        {
            md.AppendLine(FormattableString.Invariant($"- {variant.Key}: {string.Join(", ", variant.Value.Select(r => r.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))}"));
        }

        md.AppendLine(End);
        return md.ToString();
    }

    /// <summary>Replaces one benchmark's section of the file, between its markers (other benchmarks keep theirs), or creates it.</summary>
    public static void Write(string path, string section, string startMarker, string endMarker)
    {
        string existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nMeasured, not guessed: each section says how to reproduce it.\n\n";
        int start = existing.IndexOf(startMarker, StringComparison.Ordinal);
        int end = existing.IndexOf(endMarker, StringComparison.Ordinal);
        string updated = start >= 0 && end > start
            ? existing.Substring(0, start) + section.TrimEnd('\n') + existing.Substring(end + endMarker.Length)
            : existing.TrimEnd('\n') + "\n\n" + section;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, updated.TrimEnd('\n') + "\n");
    }
}
