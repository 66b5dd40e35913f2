using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>Bad input stops the start with a message naming the file (line:column) or the key; never a silent default.</summary>
public sealed class StartupValidationTests
{
    [Fact]
    public async Task ManifestMissing_NamesWhereItLooked()
    {
        using var root = new ContentRoot(manifest: null);
        OperabilityStartupException error = await StartFailsAsync(root, new());
        Assert.Contains(Path.Combine(root.Path, "operability.json"), error.Message);
        Assert.Contains("was not found", error.Message);
        Assert.Contains("Operability:ManifestPath", error.Message);
    }

    [Fact]
    public async Task ManifestPathConfigured_ButMissing_NamesTheKeyAndPath()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:ManifestPath"] = "config/missing.json" });
        Assert.Contains("Operability:ManifestPath ('config/missing.json')", error.Message);
        Assert.Contains(Path.Combine(root.Path, "config", "missing.json"), error.Message);
    }

    [Fact]
    public async Task ManifestMalformed_ReportsLineAndColumn()
    {
        using var root = new ContentRoot("{\n  \"service\": \"orders\",\n  \"owner\": 42,\n  \"availability\": { \"target\": 99.9 }\n}");
        OperabilityStartupException error = await StartFailsAsync(root, new());
        Assert.Contains(Path.Combine(root.Path, "operability.json") + "(3:12): Owner:", error.Message);
    }

    [Fact]
    public async Task ManifestNotJson_ReportsTheSyntaxErrorPosition()
    {
        using var root = new ContentRoot("{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\"\n  \"availability\": 1\n}");
        OperabilityStartupException error = await StartFailsAsync(root, new());
        Assert.Matches(@"operability\.json\(4:\d+\): Syntax:", error.Message);
    }

    [Fact]
    public async Task UnknownDependencyInConfiguration_IsNamedWithTheDeclaredOnes()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Dependencies:paymnts:BaseAddress"] = "http://127.0.0.1:1/" });
        Assert.Contains("'Operability:Dependencies:paymnts' (environment variable Operability__Dependencies__paymnts) names a dependency that", error.Message);
        Assert.Contains("(declared: 'payments')", error.Message);
    }

    [Fact]
    public async Task UnknownDependencyOfATypedClient_IsNamed()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new(), builder => builder.Services.AddOperabilityClient<TypedClient>("shipping"));
        Assert.Contains("AddOperabilityClient(\"shipping\") names a dependency that", error.Message);
    }

    [Fact]
    public async Task MalformedShutterConfiguration_EveryProblemInOneMessage()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new()
        {
            ["Operability:Shutter:Enabled"] = "on",
            ["Operability:Shutter:ExpectedBackAt"] = "tomorrow morning",
            ["Operability:Shutter:RetryAfterSeconds"] = "-5",
            ["Operability:Shutter:HelpUrl"] = "javascript:alert(1)",
            ["Operability:Shutter:PagePath"] = "pages/missing.html",
            ["Operability:Shutter:Enable"] = "true",
        });

        Assert.Equal(6, error.Problems.Count);
        Assert.Contains("'Operability:Shutter:Enabled' (environment variable Operability__Shutter__Enabled) is 'on', which is not true or false.", error.Message);
        Assert.Contains("'Operability:Shutter:ExpectedBackAt' (environment variable Operability__Shutter__ExpectedBackAt) is 'tomorrow morning'", error.Message);
        Assert.Contains("'Operability:Shutter:RetryAfterSeconds' (environment variable Operability__Shutter__RetryAfterSeconds) is -5", error.Message);
        Assert.Contains("'Operability:Shutter:HelpUrl'", error.Message);
        Assert.Contains("'Operability:Shutter:PagePath'", error.Message);
        Assert.Contains("'Operability:Shutter:Enable' (environment variable Operability__Shutter__Enable) is not a known key", error.Message);
    }

    [Fact]
    public async Task ShutterTemplate_WithAnUnknownPlaceholder_IsRejected()
    {
        using var root = new ContentRoot();
        root.Write("shutter.html", "<html lang=\"en\"><title>{{ServiceName}}</title><main>{{Mesage}}</main></html>");
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Shutter:PagePath"] = "shutter.html" });
        Assert.Contains("unknown placeholder '{{Mesage}}'", error.Message);
    }

    [Fact]
    public async Task AutoEngage_WithoutAProbeForACriticalDependency_IsRejected()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Shutter:AutoEngage"] = "true" });
        Assert.Contains("critical dependency 'payments' has no 'Operability:Dependencies:payments:HealthPath'", error.Message);
    }

    [Fact]
    public async Task AuthorizationPolicy_ThatTheApplicationDoesNotDefine_IsRejected()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(
            root,
            new() { ["Operability:Shutter:AuthorizationPolicy"] = "operators" },
            builder => builder.Services.AddAuthorization());
        Assert.Contains("names policy 'operators', which the application does not define", error.Message);
    }

    [Fact]
    public async Task DurationsAsBareNumbers_AreRejectedRatherThanReadAsDays()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Dependencies:payments:AttemptTimeout"] = "2" });
        Assert.Contains("'Operability:Dependencies:payments:AttemptTimeout' (environment variable Operability__Dependencies__payments__AttemptTimeout) is '2', which is not a duration", error.Message);
    }

    [Fact]
    public async Task AttemptTimeoutLongerThanTheManifestTimeout_IsRejected()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:05" });
        Assert.Contains("up to the total timeout 00:00:02 declared in the manifest", error.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("11")]
    public async Task RetriesOutOfRange_IsRejectedWithTheKey(string retries)
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Dependencies:payments:Retries"] = retries });
        Assert.Contains("'Operability:Dependencies:payments:Retries' (environment variable Operability__Dependencies__payments__Retries) is " + retries + "; use 0 to 10.", error.Message);
    }

    [Fact]
    public async Task ManifestTimeoutOverADay_IsRejectedAtStartNamingTheDependencyAndManifest()
    {
        using var root = new ContentRoot(Manifests.WithDependency("1.00:00:01"));
        OperabilityStartupException error = await StartFailsAsync(root, new());
        Assert.Contains(Path.Combine(root.Path, "operability.json") + ": dependency 'payments' has timeout 1.00:00:01; use at most 1.00:00:00.", error.Message);
    }

    [Fact]
    public async Task RelativeHealthPathWithoutABaseAddress_IsRejected()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Dependencies:payments:HealthPath"] = "/health" });
        Assert.Contains("'Operability:Dependencies:payments:HealthPath' (environment variable Operability__Dependencies__payments__HealthPath) is '/health', relative to a BaseAddress", error.Message);
    }

    [Fact]
    public async Task ExpectedBackAtWithoutAnOffset_IsRejectedRatherThanGuessed()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new() { ["Operability:Shutter:ExpectedBackAt"] = "2026-11-27T09:30:00" });
        Assert.Contains("'Operability:Shutter:ExpectedBackAt' (environment variable Operability__Shutter__ExpectedBackAt) is '2026-11-27T09:30:00'", error.Message);
    }

    [Fact]
    public async Task ShutterAndOtherProblems_AreListedInOneException()
    {
        using var root = new ContentRoot();
        OperabilityStartupException error = await StartFailsAsync(root, new()
        {
            ["Operability:Shutter:RetryAfterSeconds"] = "-5",
            ["Operability:Health:ProbeIntervalSeconds"] = "0",
            ["Operability:Dependencies:payments:Retries"] = "11",
        });
        Assert.Contains("Operability:Shutter:RetryAfterSeconds", error.Message);
        Assert.Contains("Operability:Health:ProbeIntervalSeconds", error.Message);
        Assert.Contains("Operability:Dependencies:payments:Retries", error.Message);
    }

    [Fact]
    public async Task ValidConfiguration_Starts()
    {
        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(), new Dictionary<string, string?>
        {
            ["Operability:Shutter:ExpectedBackAt"] = "2026-11-27T09:30:00+01:00",
            ["Operability:Shutter:RetryAfterSeconds"] = "120",
            ["Operability:Health:CacheSeconds"] = "1.5",
            ["Operability:Dependencies:payments:BaseAddress"] = "http://127.0.0.1:1/",
            ["Operability:Dependencies:payments:CircuitBreaker:BreakDuration"] = "00:00:10",
        });
        Assert.Equal("hello", await service.Client.GetStringAsync("/"));
    }

    /// <summary>The real process, configured through environment variables: the error reaches the console and the exit code.</summary>
    [Fact]
    public async Task RealProcess_ManifestPathFromEnvironmentVariable_ExitsWithTheProblem()
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "Operability.AspNetCore.TestService.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["Operability__ManifestPath"] = "does-not-exist/operability.json";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(60_000);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.True(exited, "the service kept running with a missing manifest");
        Assert.NotEqual(0, process.ExitCode);
        string output = await stdout + await stderr;
        Assert.Contains("OperabilityStartupException", output);
        Assert.Contains("Operability:ManifestPath ('does-not-exist/operability.json') was not found", output);
    }

    internal static async Task<OperabilityStartupException> StartFailsAsync(ContentRoot root, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = KestrelService.CreateBuilder(root, settings);
        builder.AddOperability();
        configure?.Invoke(builder);
        await using WebApplication app = builder.Build();
        app.MapOperability();
        return await Assert.ThrowsAsync<OperabilityStartupException>(() => app.StartAsync());
    }

    private sealed class TypedClient
    {
        public TypedClient(System.Net.Http.HttpClient client)
        {
            Client = client;
        }

        public System.Net.Http.HttpClient Client { get; }
    }
}
