using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Shutter;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>The shutter follows reloadable configuration, engages automatically with hysteresis, and renders safely.</summary>
public sealed class ShutterTests
{
    [Fact]
    public async Task Reload_FlippingEnabledInAWatchedFile_TakesEffectWithoutRestart()
    {
        using var root = new ContentRoot();
        string settings = root.Write("shutter.json", "{ \"Operability\": { \"Shutter\": { \"Enabled\": false } } }");
        await using KestrelService service = await KestrelService.StartAsync(root, configure: builder =>
            builder.Configuration.AddJsonFile(settings, optional: false, reloadOnChange: true));
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);

        // As an on-call engineer would, through a mounted ConfigMap or appsettings.json.
        File.WriteAllText(settings, "{ \"Operability\": { \"Shutter\": { \"Enabled\": true, \"Message\": \"Back soon.\" } } }");
        Assert.True(await Eventually.TrueAsync(async () => (await service.Client.GetAsync("/")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15)));

        File.WriteAllText(settings, "{ \"Operability\": { \"Shutter\": { \"Enabled\": false } } }");
        Assert.True(await Eventually.TrueAsync(async () => (await service.Client.GetAsync("/")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Reload_AnInvalidChange_IsIgnoredAndTheLastValidSettingsStay()
    {
        using var root = new ContentRoot();
        var source = new ReloadableSource();
        source.Put("Operability:Shutter:Enabled", "true");
        source.Put("Operability:Shutter:Message", "First message.");
        await using KestrelService service = await KestrelService.StartAsync(root, configure: builder => ((IConfigurationBuilder)builder.Configuration).Add(source));
        Assert.Contains("First message.", await (await service.Client.GetAsync("/")).Content.ReadAsStringAsync());

        source.Put("Operability:Shutter:Enabled", "maybe");
        source.Put("Operability:Shutter:Message", "Second message.");
        source.Reload();

        using HttpResponseMessage stillShuttered = await service.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stillShuttered.StatusCode);
        Assert.Contains("First message.", await stillShuttered.Content.ReadAsStringAsync());

        source.Put("Operability:Shutter:Enabled", "false");
        source.Reload();
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Reload_InvalidHealthSettings_AreIgnoredAndTheLastValidOnesStay()
    {
        using var root = new ContentRoot();
        var source = new ReloadableSource();
        source.Put("Operability:Health:ProbeIntervalSeconds", "5");
        source.Put("Operability:Health:TimeoutSeconds", "1");
        source.Put("Operability:Health:CacheSeconds", "0");
        await using KestrelService service = await KestrelService.StartAsync(root, configure: builder => ((IConfigurationBuilder)builder.Configuration).Add(source));
        HealthSettings health = service.Services.GetRequiredService<HealthSettings>();

        source.Put("Operability:Health:ProbeIntervalSeconds", "0");
        source.Put("Operability:Health:TimeoutSeconds", "-3");
        source.Reload();

        Assert.Equal(5, health.Current.ProbeIntervalSeconds);
        Assert.Equal(1, health.Current.TimeoutSeconds);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);

        source.Put("Operability:Health:ProbeIntervalSeconds", "7");
        source.Put("Operability:Health:TimeoutSeconds", "2");
        source.Reload();
        Assert.Equal(7, health.Current.ProbeIntervalSeconds);
        Assert.Equal(2, health.Current.TimeoutSeconds);
    }

    [Fact]
    public async Task Reload_TurningAutoEngageOnWithoutAProbe_IsIgnored()
    {
        using var root = new ContentRoot();
        var source = new ReloadableSource();
        source.Put("Operability:Shutter:AutoEngage", "false");
        await using KestrelService service = await KestrelService.StartAsync(root, configure: builder => ((IConfigurationBuilder)builder.Configuration).Add(source));
        ShutterState shutter = service.Services.GetRequiredService<ShutterState>();

        source.Put("Operability:Shutter:AutoEngage", "true");
        source.Reload();

        Assert.False(shutter.Settings.AutoEngage);
    }

    [Fact]
    public async Task AutoEngage_AfterNConsecutiveUnhealthyProbes_DisengagesAfterMHealthy()
    {
        await using FakeDependency payments = await FakeDependency.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(Manifests.WithDependency("00:00:02")),
            new Dictionary<string, string?>
            {
                ["Operability:Shutter:AutoEngage"] = "true",
                ["Operability:Shutter:AutoEngageAfter"] = "3",
                ["Operability:Shutter:AutoDisengageAfter"] = "2",
                ["Operability:Dependencies:payments:BaseAddress"] = payments.Address.ToString(),
                ["Operability:Dependencies:payments:HealthPath"] = "/health",
                ["Operability:Dependencies:payments:Retries"] = "0",
                ["Operability:Health:CacheSeconds"] = "0",
                ["Operability:Endpoints:AnonymousReport"] = "true",
            },
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        payments.Mode = FakeMode.Fail;

        await monitor.ObserveOnceAsync(CancellationToken.None);
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);

        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
        using (JsonDocument report = JsonDocument.Parse(await service.Client.GetStringAsync("/operability")))
        {
            Assert.Equal("automatic", report.RootElement.GetProperty("shutter").GetProperty("sources")[0].GetString());
        }

        // Shuttered, the instance stays ready so that users reach the shutter page.
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);

        payments.Mode = FakeMode.Ok;
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
        Assert.True(payments.Count("GET") >= 5);
    }

    [Theory]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", true)]
    [InlineData("text/html", true)]
    [InlineData("application/json", false)]
    [InlineData("application/problem+json", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    [InlineData("application/json, text/html;q=0.5", false)]
    [InlineData("text/html;q=0.9, application/json;q=0.9", true)]
    [InlineData("not a media type ;;", false)]
    public void PrefersHtml_OnlyWhenTextHtmlIsNamedAndWeighsAtLeastAsMuchAsJson(string accept, bool expected)
    {
        Assert.Equal(expected, ShutterResponder.PrefersHtml(new StringValues(accept)));
    }

    [Fact]
    public void Template_EncodesValuesAndDropsSectionsWithoutAValue()
    {
        ShutterPageTemplate template = ShutterPageTemplate.Parse(
            "<h1>{{ServiceName}}</h1>{{#HelpUrl}}<a href=\"{{HelpUrl}}\">help</a>{{/HelpUrl}}{{#ExpectedBack}}<p>{{ExpectedBack}}</p>{{/ExpectedBack}}",
            "test",
            out IReadOnlyList<string> problems)!;
        Assert.Empty(problems);

        string html = template.Render(new Dictionary<string, string?>
        {
            ["ServiceName"] = "<script>alert('x')</script>",
            ["HelpUrl"] = "https://help.example.com/?a=1&b=\"2\"",
            ["ExpectedBack"] = null,
        });

        Assert.Equal("<h1>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</h1><a href=\"https://help.example.com/?a=1&amp;b=&quot;2&quot;\">help</a>", html);
    }

    [Theory]
    [InlineData("{{Nope}}", "unknown placeholder '{{Nope}}'")]
    [InlineData("{{#HelpUrl}}x", "is never closed")]
    [InlineData("x{{/HelpUrl}}", "closes no open")]
    [InlineData("{{#HelpUrl}}{{#ExpectedBack}}{{/ExpectedBack}}{{/HelpUrl}}", "cannot nest")]
    public void Template_Malformed_IsReported(string text, string expected)
    {
        Assert.Null(ShutterPageTemplate.Parse(text, "page.html", out IReadOnlyList<string> problems));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal) && p.StartsWith("page.html", StringComparison.Ordinal));
    }

    [Fact]
    public void BuiltInPage_HasNoUnknownPlaceholders()
    {
        Assert.Equal("built-in", ShutterPageTemplate.BuiltIn().Source);
    }
}
