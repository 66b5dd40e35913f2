using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>
    /// The estate report's HTML page in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright, as the
    /// shutter page is): its tables and chart render, it fetches nothing, it reads with JavaScript off, and a manifest
    /// value written to break out of the page stays text.
    /// </summary>
    public sealed class EstateReportBrowserTests
    {
        private const string Chromium = "/usr/bin/chromium";

        private static readonly string[] ChromiumArgs = { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run" };

        [Fact]
        public async Task ReportPage_InChromium_RendersATablePerViewAndTheChart_FetchesNothing_AndAHostileNameIsInertText()
        {
            Assert.True(File.Exists(Chromium), Chromium + " is missing: install Debian's chromium (apt-get install -y chromium); 'build.ps1 test' does when it may.");
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            EstateReportCommandTests.AddHostileService(estate);
            string file = Path.Combine(estate.Path, "estate.html");
            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "html", "--output", file);
            Assert.True(report.ExitCode == 0, report.ToString());
            string url = new Uri(file).AbsoluteUri;

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs });
            IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            var requested = new ConcurrentBag<string>();
            var failed = new ConcurrentBag<string>();
            var dialogs = new ConcurrentBag<string>();
            page.Request += (_, request) => requested.Add(request.Url);
            page.RequestFailed += (_, request) => failed.Add(request.Url + " " + request.Failure);
            page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);

            await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            Assert.Equal(new[] { url }, requested.Distinct());
            Assert.Empty(failed);
            Assert.Equal("Estate report", await page.TitleAsync());
            Assert.Equal(new[] { "Estate check", "Out-of-hours schedules", "Traffic light" }, (await page.Locator("section table").EvaluateAllAsync<string[]>("ts => ts.map(t => t.closest('section').querySelector('h2').textContent)")));

            // Every service with a deployment target is a row of the traffic-light table, the hostile one as its literal text.
            ILocator lightRows = page.Locator("#traffic-light tbody tr");
            Assert.Equal(5, await lightRows.CountAsync());
            ILocator hostileRow = lightRows.Filter(new LocatorFilterOptions { HasText = "document.title" });
            Assert.Equal(EstateReportCommandTests.HostileService, await hostileRow.Locator("td").Nth(1).InnerTextAsync());
            Assert.Equal(EstateReportCommandTests.HostileOwner, await hostileRow.Locator("td").Nth(2).InnerTextAsync());
            Assert.Equal(0, await page.Locator("script, img, b").CountAsync());
            Assert.Equal("Estate report", await page.EvaluateAsync<string>("() => document.title"));
            Assert.Empty(dialogs);
            Assert.Equal(new[] { EstateReportCommandTests.HostileOwner, "team-a" }, await page.Locator("#on-call tbody tr td:first-child").AllInnerTextsAsync());

            // The chart: a bar per target, drawn (a positive size on the page) and labelled.
            ILocator bars = page.Locator("#targets-chart g.bar rect");
            Assert.Equal(4, await bars.CountAsync());
            for (int i = 0; i < 4; i++)
            {
                LocatorBoundingBoxResult? box = await bars.Nth(i).BoundingBoxAsync();
                Assert.NotNull(box);
                Assert.True(box!.Width >= 2 && box.Height > 10, "bar " + i + ": " + box.Width + "x" + box.Height);
            }

            Assert.Equal(new[] { "95%", "99%", "99.5%", "99.9%" }, await page.Locator("#targets-chart g.bar > text:first-of-type").AllTextContentsAsync());
            LocatorBoundingBoxResult? chart = await page.Locator("#targets-chart").BoundingBoxAsync();
            Assert.True(chart is { Width: > 600, Height: > 100 }, "chart: " + chart?.Width + "x" + chart?.Height);

            string screenshot = Path.Combine(Cli.RepositoryRoot, "artifacts", "screenshots", "estate-report.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 1000);

            // No script is needed to read it: with JavaScript off the same tables and chart are there.
            await using IBrowserContext noScript = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
            IPage plain = await noScript.NewPageAsync();
            await plain.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            Assert.Equal(3, await plain.Locator("section table").CountAsync());
            Assert.Equal(4, await plain.Locator("#targets-chart g.bar rect").CountAsync());
            Assert.Contains("green 2, amber 1, red 2, not judged 1 (6 service(s))", await plain.Locator("#traffic-light").InnerTextAsync());
        }
    }
}
