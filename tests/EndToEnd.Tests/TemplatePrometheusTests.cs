using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The scaffold's alert rules in a real Prometheus (Debian's): it loads deploy/prometheus/alerts.yml, scrapes the
    /// scaffolded service running on 127.0.0.1, and when every request fails (the service is shuttered) the fast
    /// burn fires with the labels the Alertmanager routing reads and the absolute links the responder follows.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class TemplatePrometheusTests : IClassFixture<TemplateHive>
    {
        private const string PrometheusPath = "/usr/bin/prometheus";

        private readonly TemplateHive _hive;

        public TemplatePrometheusTests(PackageFeedFixture feed, TemplateHive hive)
        {
            _ = feed;
            _hive = hive;
        }

        [Fact]
        public async Task RealPrometheus_LoadsTheGeneratedRules_ScrapesTheService_AndFiresTheFastBurnWithTheRoutingLabels()
        {
            Assert.True(File.Exists(PrometheusPath), $"{PrometheusPath} is missing: install it with 'apt-get install -y --no-install-recommends prometheus'.");
            var created = _hive.New("Burning", "--owner", "team-burn", "--availability-target", "99.5", "--product-domain", "checkout",
                "--repository-url", "https://github.com/acme/burning", "--grafana-url", "https://grafana.acme.test");
            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root("Burning");
            var build = Dotnet.Run(root, new Dictionary<string, string> { ["CI"] = "true" }, "build", "-nologo");
            Assert.True(build.ExitCode == 0, build.ToString());

            var project = Path.Combine(root, "src", "Burning");
            using var service = RunningService.Start(Path.Combine(project, "bin", "Debug", "net10.0", "Burning.dll"), project, new Dictionary<string, string> { ["Operability__Shutter__Enabled"] = "true" });
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            var port = RunningService.FreePort();
            var data = Path.Combine(root, "prometheus-data");
            var config = Path.Combine(root, "prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - {Path.Combine(root, "deploy", "prometheus", "alerts.yml")}
                scrape_configs:
                  - job_name: burning
                    static_configs:
                      - targets: ["{service.BaseAddress.Authority}"]
                """);
            var start = new ProcessStartInfo(PrometheusPath) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{port}" })
            {
                start.ArgumentList.Add(argument);
            }

            using var prometheus = Process.Start(start)!;
            var log = new System.Text.StringBuilder();
            prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            prometheus.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
            prometheus.BeginErrorReadLine();
            prometheus.BeginOutputReadLine();
            try
            {
                using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
                JsonElement? alert = null;
                for (var attempt = 0; attempt < 120 && alert is null; attempt++)
                {
                    // Users keep arriving at the shuttered service: every request is a failure.
                    (await service.Client.GetAsync("")).Dispose();
                    await Task.Delay(1000);
                    try
                    {
                        using var alerts = JsonDocument.Parse(await api.GetStringAsync("api/v1/alerts"));
                        alert = alerts.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray()
                            .Where(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "ErrorBudgetBurnFast")
                            .Where(a => a.GetProperty("labels").GetProperty("burn_rate").GetString() == "8.4")
                            .Select(a => (JsonElement?)a.Clone())
                            .FirstOrDefault();
                    }
                    catch (HttpRequestException)
                    {
                        // Prometheus is still starting.
                    }
                }

                Assert.True(alert is not null, $"ErrorBudgetBurnFast never fired within two minutes. Prometheus said:\n{log}");
                var labels = alert!.Value.GetProperty("labels");
                Assert.Contains(alert.Value.GetProperty("state").GetString(), new[] { "pending", "firing" });
                Assert.Equal("page", labels.GetProperty("severity").GetString());
                Assert.Equal("burning", labels.GetProperty("service").GetString());
                Assert.Equal("team-burn", labels.GetProperty("team").GetString());
                Assert.Equal("checkout", labels.GetProperty("product_domain").GetString());
                Assert.Equal("team", labels.GetProperty("working_hours_on_call").GetString());
                Assert.Equal("domain", labels.GetProperty("out_of_hours_on_call").GetString());
                var annotations = alert.Value.GetProperty("annotations");
                Assert.Equal("https://github.com/acme/burning/blob/main/RUNBOOK.md#error-budget-burning", annotations.GetProperty("runbook_url").GetString());
                Assert.Equal("https://grafana.acme.test/d/burning/burning?viewPanel=2", annotations.GetProperty("dashboard_url").GetString());
            }
            finally
            {
                prometheus.Kill(entireProcessTree: true);
                prometheus.WaitForExit(10_000);
            }
        }
    }
}
