using System;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

/// <summary>
/// In process (BenchmarkDotNet, <c>--micro</c>): the cost the runtime's middleware adds to one request — the
/// operational-path test, the shutter check and the availability count — against the same terminal handler alone.
/// </summary>
[MemoryDiagnoser]
public class MiddlewareBenchmarks
{
    private readonly DefaultHttpContext _context = new();
    private string _contentRoot = null!;
    private IHost _host = null!;
    private RequestDelegate _bare = null!;
    private RequestDelegate _operable = null!;

    [GlobalSetup]
    public void Setup()
    {
        _contentRoot = Path.Combine(Path.GetTempPath(), "operability-micro-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_contentRoot);
        File.WriteAllText(Path.Combine(_contentRoot, "operability.json"), """{ "service": "orders", "owner": "team-orders", "availability": { "target": 99.9 } }""");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _contentRoot, EnvironmentName = "Production" });
        builder.AddOperability();
        _host = builder.Build();

        RequestDelegate terminal = context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        };
        _bare = terminal;
        var app = new ApplicationBuilder(_host.Services);
        app.UseOperability();
        app.Run(terminal);
        _operable = app.Build();
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/orders/1";
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        Directory.Delete(_contentRoot, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task Bare() => _bare(_context);

    [Benchmark]
    public Task WithOperability() => _operable(_context);
}
