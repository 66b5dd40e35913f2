using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// 'dotnet operability measure' against a real Prometheus (Debian's, on 127.0.0.1) scraping a real scaffolded
    /// service every second: the tool must report the availability Prometheus holds.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class MeasureTests : IClassFixture<TemplateHive>
    {
        private const string PrometheusPath = "/usr/bin/prometheus";

        private readonly TemplateHive _hive;

        public MeasureTests(PackageFeedFixture feed, TemplateHive hive)
        {
            _ = feed;
            _hive = hive;
        }

        [Fact]
        public async Task Measure_RealPrometheusScrapingAScaffold_ReportsTheAvailabilityPrometheusHolds()
        {
            Assert.True(File.Exists(PrometheusPath), $"{PrometheusPath} is missing: install it with 'apt-get install -y --no-install-recommends prometheus'.");
            var created = _hive.New("Measured", "--owner", "team-orders", "--availability-target", "99.9", "--dependency", "payments");
            Assert.True(created.ExitCode == 0, created.ToString());
            string root = _hive.Root("Measured");
            string project = ScaffoldChecks.ProjectName(root);
            string projectDirectory = Path.Combine(root, "src", project);
            var build = Dotnet.Run(projectDirectory, null, "build", "-nologo");
            Assert.True(build.ExitCode == 0, build.ToString());
            using ScratchFolder tool = CliToolTests.InstallTool();

            // payments refuses connections and is not retried: every call through it answers 503 at once, a failure.
            var environment = new Dictionary<string, string>
            {
                ["Operability__Dependencies__payments__BaseAddress"] = $"http://127.0.0.1:{RunningService.FreePort()}/",
                ["Operability__Dependencies__payments__Retries"] = "0",
            };
            using var service = RunningService.Start(Path.Combine(projectDirectory, "bin", "Debug", "net10.0", project + ".dll"), projectDirectory, environment);
            await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            using var prometheus = PrometheusServer.Start(tool.Path, "measured", service.BaseAddress);
            await prometheus.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));

            // The three series are exported at 0 before any request: once Prometheus holds them, every request counts.
            await prometheus.WaitForAsync("operability_requests_total series", "count(operability_requests_total{job=\"measured\"})", v => v == 3, TimeSpan.FromSeconds(30));
            const int succeeded = 30, failed = 10;
            for (int i = 0; i < succeeded + failed; i++)
            {
                using var response = await service.Client.GetAsync(i % 4 == 3 ? "payments/status" : "");
                Assert.Equal(i % 4 == 3 ? 503 : 200, (int)response.StatusCode);
            }

            await prometheus.WaitForAsync("every request scraped", "sum(operability_requests_total{job=\"measured\"})", v => v == succeeded + failed, TimeSpan.FromSeconds(30));

            // What Prometheus holds, from its own API: the counters' current values (they started at 0).
            double success = 0, total = 0;
            foreach (var (labels, value) in await prometheus.InstantAsync("operability_requests_total{job=\"measured\"}"))
            {
                total += value;
                success += labels.GetValueOrDefault("outcome") == "success" ? value : 0;
            }

            double expected = success / total;
            Assert.Equal((double)succeeded / (succeeded + failed), expected, 12);

            var measure = CliToolTests.Tool(tool, "operability", "measure", Path.Combine(projectDirectory, "operability.json"), "--prometheus", prometheus.Url, "--window", "10m", "--step", "5s", "--format", "json");

            Assert.True(measure.ExitCode == 0, measure.ToString() + "\nprometheus:\n" + prometheus.Output);
            // stdout alone: a warning on stderr (it may quote a PromQL selector's braces) is not part of the result.
            using var document = JsonDocument.Parse(measure.StandardOutput);
            JsonElement measured = Assert.Single(document.RootElement.GetProperty("services").EnumerateArray());
            Assert.Equal("measured", measured.GetProperty("service").GetString());
            Assert.Equal(expected, measured.GetProperty("availability").GetDouble(), 9);
            // A quarter of the requests failed against an allowance of 0.1%: the budget is overspent 249 times over.
            Assert.Equal(1 - ((total - success) / total / 0.001), measured.GetProperty("errorBudget").GetProperty("remaining").GetDouble(), 6);
            // The failures are within the last 5 minutes, so availability is below target still.
            JsonElement[] periods = measured.GetProperty("periodsBelowTarget").EnumerateArray().ToArray();
            Assert.NotEmpty(periods);
            Assert.Equal(JsonValueKind.Null, periods[^1].GetProperty("end").ValueKind);
            Assert.Empty(measured.GetProperty("problems").EnumerateArray());
        }
    }

    /// <summary>Debian's prometheus on 127.0.0.1 and a free port, scraping one target every second, with throwaway storage.</summary>
    internal sealed class PrometheusServer : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };

        private PrometheusServer(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static PrometheusServer Start(string folder, string job, Uri target)
        {
            string directory = Path.Combine(folder, "prometheus");
            Directory.CreateDirectory(directory);
            string config = Path.Combine(directory, "prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: {job}
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["{target.Authority}"]
                """);
            string url = $"http://127.0.0.1:{RunningService.FreePort()}/";
            var start = new ProcessStartInfo("/usr/bin/prometheus")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = directory,
            };
            foreach (string argument in new[]
            {
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                "--web.listen-address=" + new Uri(url).Authority,
                "--log.level=warn",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = start };
            var server = new PrometheusServer(process, url);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return server;
        }

        public async Task WaitUntilReadyAsync(TimeSpan timeout)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                Assert.False(_process.HasExited, "prometheus exited:\n" + Output);
                try
                {
                    using var response = await _client.GetAsync(Url + "-/ready");
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"prometheus at {Url} was not ready within {timeout}.\n{Output}");
        }

        /// <summary>Polls an instant query until its single value satisfies <paramref name="done"/>, for at most <paramref name="timeout"/>.</summary>
        public async Task WaitForAsync(string what, string query, Func<double, bool> done, TimeSpan timeout)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            string last = "no answer";
            while (DateTime.UtcNow < deadline)
            {
                var result = await InstantAsync(query);
                if (result.Count == 1 && done(result[0].Value))
                {
                    return;
                }

                last = string.Join(", ", result.Select(r => r.Value.ToString(CultureInfo.InvariantCulture)));
                await Task.Delay(500);
            }

            throw new TimeoutException($"prometheus did not hold {what} ({query}) within {timeout}; last: [{last}].\n{Output}");
        }

        public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> InstantAsync(string query)
        {
            using var response = await _client.GetAsync(Url + "api/v1/query?query=" + Uri.EscapeDataString(query));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("success", document.RootElement.GetProperty("status").GetString());
            var list = new List<(Dictionary<string, string>, double)>();
            foreach (JsonElement item in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
                list.Add((labels, double.Parse(item.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)));
            }

            return list;
        }

        public void Dispose()
        {
            _client.Dispose();
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
