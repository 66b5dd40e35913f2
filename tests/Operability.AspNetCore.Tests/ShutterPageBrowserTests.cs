using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The shutter page in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser is
/// downloaded): it renders the service name and message, loads nothing else, and meets basic accessibility.
/// </summary>
public sealed class ShutterPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task ShutterPage_RendersAccessiblyWithNoFailedRequests_AndIsScreenshotted()
    {
        Assert.True(File.Exists(Chromium), Chromium + " is missing: install Debian's chromium (apt-get install -y chromium); 'build.ps1 test' does when it may.");
        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(), new Dictionary<string, string?>
        {
            ["Operability:Shutter:Enabled"] = "true",
            ["Operability:Shutter:ServiceDisplayName"] = "Orders",
            ["Operability:Shutter:Message"] = "We are upgrading the order database.",
            ["Operability:Shutter:ExpectedBackAt"] = "2099-06-01T09:30:00Z",
            ["Operability:Shutter:HelpUrl"] = "mailto:help@example.com",
        });

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run" },
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 700 } });
        var failed = new ConcurrentBag<string>();
        var requested = new ConcurrentBag<string>();
        page.RequestFailed += (_, request) => failed.Add(request.Url + " " + request.Failure);
        page.Request += (_, request) => requested.Add(request.Url);
        page.Response += (_, response) =>
        {
            // The document's own 503 is the point; anything else at 400 or above is a broken page.
            if (response.Status >= 400 && response.Url != service.Address.ToString())
            {
                failed.Add(response.Url + " " + response.Status);
            }
        };

        IResponse? document = await page.GotoAsync(service.Address.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        Assert.NotNull(document);
        Assert.Equal(503, document!.Status);
        Assert.Empty(failed);
        Assert.Equal(new[] { service.Address.ToString() }, requested);
        string text = await page.InnerTextAsync("body");
        Assert.Contains("Orders", text);
        Assert.Contains("We are upgrading the order database.", text);
        Assert.Contains("Monday 1 June 2099, 09:30 UTC", text);
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Orders is temporarily unavailable", await page.TitleAsync());
        Assert.Equal(1, await page.Locator("main").CountAsync());
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Equal("mailto:help@example.com", await page.GetAttributeAsync("a", "href"));

        // WCAG 2 contrast of every element that shows text, against its effective background.
        string report = await page.EvaluateAsync<string>(ContrastScript);
        using JsonDocument contrasts = JsonDocument.Parse(report);
        Assert.True(contrasts.RootElement.GetArrayLength() >= 5, report);
        foreach (JsonElement item in contrasts.RootElement.EnumerateArray())
        {
            Assert.True(item.GetProperty("ratio").GetDouble() >= 4.5, "contrast below 4.5:1: " + item.GetRawText());
        }

        string screenshot = Path.Combine(RepositoryRoot(), "artifacts", "screenshots", "shutter.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 1000);
    }

    private const string ContrastScript = """
        () => {
          const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(s => parseFloat(s)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          const out = [];
          for (const el of document.body.querySelectorAll('*')) {
            const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
            if (!own) continue;
            const fg = parse(getComputedStyle(el).color), bg = background(el);
            const l1 = lum(fg), l2 = lum(bg);
            out.push({ tag: el.tagName, text: el.textContent.trim().slice(0, 40), color: getComputedStyle(el).color, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`, ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) });
          }
          return JSON.stringify(out);
        }
        """;

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operability.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Operability.sln not found above " + AppContext.BaseDirectory);
    }
}
