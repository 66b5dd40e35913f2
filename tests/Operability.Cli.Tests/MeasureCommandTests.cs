using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Operability.Manifest;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary><c>measure</c> against a real HTTP server on 127.0.0.1 answering as Prometheus (or a broken one) does.</summary>
    public sealed class MeasureCommandTests
    {
        private const string DailyDeployments = ",\n  \"deployment\": { \"target\": \"daily\" }";

        private static (int, string) Canned(PrometheusRequest request, string vector, string matrix) =>
            request.Path.EndsWith("/api/v1/query_range", StringComparison.Ordinal) ? (200, matrix) : (200, vector);

        [Fact]
        public void Measure_CountsFromPrometheus_GiveAvailabilityAndErrorBudgetLeft()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders", "99.9");
            using var prometheus = new FakePrometheus(r => Canned(r, FakePrometheus.Vector(("success", "990"), ("failure", "10")), FakePrometheus.Matrix()));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement orders = Assert.Single(result.Json.GetProperty("services").EnumerateArray());
            Assert.Equal("orders", orders.GetProperty("service").GetString());
            Assert.Equal(0.99, orders.GetProperty("availability").GetDouble(), 12);
            Assert.Equal(1000, orders.GetProperty("requests").GetDouble());
            Assert.Equal(10, orders.GetProperty("failedRequests").GetDouble());
            // 10 failures against 1000 × 0.1% allowed: the budget is overspent ten times over.
            Assert.Equal(-9, orders.GetProperty("errorBudget").GetProperty("remaining").GetDouble(), 9);
            Assert.Equal(JsonValueKind.Array, orders.GetProperty("periodsBelowTarget").ValueKind);
            Assert.Equal(JsonValueKind.Null, orders.GetProperty("deployments").ValueKind);
            Assert.Equal(prometheus.Url, result.Json.GetProperty("prometheus").GetString());

            PrometheusRequest window = prometheus.Requests.First(q => q.Path == "/api/v1/query");
            Assert.Equal("sum by (outcome) (increase(operability_requests_total{job=\"orders\"}[604800s]))", window.Form["query"]);
            Assert.Equal(result.Json.GetProperty("at").GetString(), DateTimeOffset.FromUnixTimeSeconds(long.Parse(window.Form["time"], CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            Assert.Equal("10s", window.Form["timeout"]);
            PrometheusRequest range = Assert.Single(prometheus.Requests, q => q.Path == "/api/v1/query_range");
            Assert.Equal("sum(rate(operability_requests_total{job=\"orders\",outcome=\"failure\"}[300s])) / sum(rate(operability_requests_total{job=\"orders\"}[300s]))", range.Form["query"]);
            Assert.Equal("60", range.Form["step"]);
        }

        [Fact]
        public void Measure_RatioSeries_GivesPeriodsBelowTargetAndMeanTimeToRestore()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders", "99.9");
            const long t = 1_764_600_000;
            string matrix = FakePrometheus.Matrix((t, "0"), (t + 60, "0.5"), (t + 120, "0.002"), (t + 180, "0"), (t + 240, "NaN"), (t + 300, "0.01"), (t + 360, "0.01"));
            using var prometheus = new FakePrometheus(r => Canned(r, FakePrometheus.Vector(("success", "1000"), ("failure", "0")), matrix));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement orders = Assert.Single(result.Json.GetProperty("services").EnumerateArray());
            JsonElement[] periods = orders.GetProperty("periodsBelowTarget").EnumerateArray().ToArray();
            Assert.Equal(2, periods.Length);
            Assert.Equal("2025-12-01T14:41:00Z", periods[0].GetProperty("start").GetString());
            Assert.Equal("2025-12-01T14:43:00Z", periods[0].GetProperty("end").GetString());
            Assert.Equal("0:02:00", periods[0].GetProperty("timeToRestore").GetString());
            Assert.Equal(JsonValueKind.Null, periods[1].GetProperty("end").ValueKind);
            Assert.Equal("0:02:00", orders.GetProperty("meanTimeToRestore").GetString());
        }

        [Fact]
        public void PeriodsBelowTarget_AGapInTheSeries_EndsThePeriodOneStepAfterItsLastSample()
        {
            var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
            var ratios = new List<(DateTimeOffset, double)> { (at, 0.5), (at.AddMinutes(1), 0.5), (at.AddMinutes(10), 0) };

            IReadOnlyList<BelowTargetPeriod> periods = TrailingMeasures.PeriodsBelowTarget(ratios, TimeSpan.FromMinutes(1), _ => 99.0m);

            BelowTargetPeriod period = Assert.Single(periods);
            Assert.Equal(TimeSpan.FromMinutes(2), period.TimeToRestore);
        }

        [Fact]
        public void Measure_PrometheusAnswersHtml_NamesTheUrl_AsksOnce_AndStillReportsEveryService()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-orders", "99.9");
            estate.Manifest("b", "payments", "team-payments", "99.0");
            using var prometheus = new FakePrometheus(_ => (200, "<html><body>Sign in to continue</body></html>"));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--format", "json");

            Assert.Equal(5, result.ExitCode);
            Assert.Contains("Prometheus at " + prometheus.Url + "api/v1/query answered HTTP 200 with something that is not its API's JSON: <html>", result.Error);
            Assert.Single(prometheus.Requests);
            string[] services = result.Json.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()!).ToArray();
            Assert.Equal(new[] { "orders", "payments" }, services);
            Assert.Contains("payments: not asked: Prometheus at", result.Error);
        }

        [Fact]
        public void Measure_PrometheusAnswersAnErrorStatus_ReportsIt_AndGoesOnWithTheOtherServices()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-orders", "99.9");
            estate.Manifest("b", "payments", "team-payments", "99.0");
            using var prometheus = new FakePrometheus(r => r.Form["query"].Contains("\"orders\"", StringComparison.Ordinal)
                ? (422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples\"}")
                : Canned(r, FakePrometheus.Vector(("success", "99"), ("failure", "1")), FakePrometheus.Matrix()));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--format", "json");

            Assert.Equal(5, result.ExitCode);
            Assert.Contains("orders: Prometheus at " + prometheus.Url + "api/v1/query answered HTTP 422 with an error (execution): query processing would load too many samples", result.Error);
            JsonElement payments = result.Json.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "payments");
            Assert.Equal(0.99, payments.GetProperty("availability").GetDouble(), 12);
        }

        [Fact]
        public void Measure_PrometheusDoesNotAnswerInTime_TimesOutOnce_WithTheUrl()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-orders", "99.9");
            estate.Manifest("b", "payments", "team-payments", "99.0");
            using var prometheus = new FakePrometheus(_ => (200, FakePrometheus.Vector())) { Delay = TimeSpan.FromSeconds(30) };

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--prometheus-timeout", "1s");

            Assert.Equal(5, result.ExitCode);
            Assert.Contains("Prometheus at " + prometheus.Url + "api/v1/query did not answer within 1 s (--prometheus-timeout)", result.Error);
            Assert.Single(prometheus.Requests);
            Assert.Contains("orders (", result.Output);
            Assert.Contains("payments (", result.Output);
        }

        [Fact]
        public void Measure_NothingListening_IsExitCode5_WithTheUrl()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-orders", "99.9");

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", "http://127.0.0.1:1/");

            Assert.Equal(5, result.ExitCode);
            Assert.Contains("Prometheus at http://127.0.0.1:1/api/v1/query cannot be reached", result.Error);
        }

        [Fact]
        public void Measure_Deployments_FrequencyAndLeadTimeAgainstTheTarget_BadLinesReportedWithTheirNumbers()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders", "99.9", DailyDeployments);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            string Line(string commit, TimeSpan ago, TimeSpan lead) =>
                "{\"service\":\"orders\",\"commit\":\"" + commit + "\",\"committedAt\":\"" + Rfc3339.Format(now - ago - lead) + "\",\"deployedAt\":\"" + Rfc3339.Format(now - ago) + "\"}";
            string file = estate.Write("deployments.jsonl", string.Join("\n", new[]
            {
                Line("a1", TimeSpan.FromDays(1), TimeSpan.FromHours(1)),
                "not json at all",
                Line("a2", TimeSpan.FromDays(2), TimeSpan.FromHours(2)),
                "{\"service\":\"orders\",\"commit\":\"a3\",\"committedAt\":\"2026-12-01T09:00:00Z\"}",
                "{\"service\":\"orders\",\"commit\":\"a4\",\"committedAt\":\"yesterday\",\"deployedAt\":\"2026-12-01T09:00:00Z\"}",
                "{\"service\":\"orders\",\"commit\":\"a5\",\"committedAt\":\"2026-12-01T10:00:00Z\",\"deployedAt\":\"2026-12-01T09:00:00Z\"}",
                string.Empty,
                Line("a6", TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
                Line("old", TimeSpan.FromDays(30), TimeSpan.FromHours(1)),
                "{\"service\":\"unknown\",\"commit\":\"b1\",\"committedAt\":\"2026-12-01T09:00:00Z\",\"deployedAt\":\"2026-12-01T10:00:00Z\"}",
            }) + "\n");

            CliResult result = Cli.Run("measure", estate.Path, "--deployments", file, "--format", "json");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(file + ":2: error: line left out: not JSON", result.Error);
            Assert.Contains(file + ":4: error: line left out: \"deployedAt\" is missing", result.Error);
            Assert.Contains(file + ":5: error: line left out: \"committedAt\" must be an RFC 3339 instant such as 2026-12-01T09:30:00Z but was 'yesterday'", result.Error);
            Assert.Contains(file + ":6: error: line left out: deployedAt 2026-12-01T09:00:00Z is before committedAt 2026-12-01T10:00:00Z", result.Error);
            Assert.DoesNotContain(file + ":7:", result.Error);
            Assert.Contains("1 deployment(s) of 'unknown' (first on line 10) match no manifest", result.Error);
            JsonElement deployments = Assert.Single(result.Json.GetProperty("services").EnumerateArray()).GetProperty("deployments");
            Assert.Equal(3, deployments.GetProperty("count").GetInt32());
            Assert.Equal(3m, deployments.GetProperty("perWeek").GetDecimal());
            Assert.Equal("daily", deployments.GetProperty("target").GetString());
            Assert.Equal(5m, deployments.GetProperty("targetPerWeek").GetDecimal());
            Assert.False(deployments.GetProperty("meetsTarget").GetBoolean());
            Assert.Equal("2:00:00", deployments.GetProperty("medianLeadTime").GetString());
            Assert.Equal("3:00:00", deployments.GetProperty("meanLeadTime").GetString());
            Assert.Equal(JsonValueKind.Null, Assert.Single(result.Json.GetProperty("services").EnumerateArray()).GetProperty("availability").ValueKind);
        }

        [Fact]
        public void Measure_DeploymentsFileMissing_IsExitCode3_WithItsPath()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders");

            CliResult result = Cli.Run("measure", estate.Path, "--deployments", System.IO.Path.Combine(estate.Path, "none.jsonl"));

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("none.jsonl: error: the deployments file cannot be read", result.Error);
        }

        [Theory]
        [InlineData("--window", "7 days")]
        [InlineData("--window", "0s")]
        [InlineData("--prometheus-timeout", "-1s")]
        [InlineData("--service-label", "service name")]
        [InlineData("--prometheus", "ftp://prometheus")]
        public void Measure_BadOption_IsAUsageError_NamingIt(string option, string value)
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders");

            CliResult result = Cli.Run("measure", estate.Path, "--deployments", "x.jsonl", option, value);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(option + " must be", result.Error);
        }

        [Fact]
        public void Measure_NeitherSource_IsAUsageError()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders");

            CliResult result = Cli.Run("measure", estate.Path);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("give --prometheus", result.Error);
        }

        [Fact]
        public void Measure_ServiceLabelAndWindow_AreUsedInTheQueries()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders", "99.9");
            using var prometheus = new FakePrometheus(r => Canned(r, FakePrometheus.Vector(), FakePrometheus.Matrix()));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--service-label", "service", "--window", "1h30m", "--step", "15s", "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(prometheus.Requests, q => q.Form["query"] == "sum by (outcome) (increase(operability_requests_total{service=\"orders\"}[5400s]))");
            Assert.Equal("15", prometheus.Requests.Single(q => q.Path == "/api/v1/query_range").Form["step"]);
            Assert.Contains("Prometheus holds no operability_requests_total{service=\"orders\"} series", result.Error);
            Assert.Equal(JsonValueKind.Null, Assert.Single(result.Json.GetProperty("services").EnumerateArray()).GetProperty("availability").ValueKind);
        }

        [Fact]
        public void Measure_Markdown_IsATableRowPerService()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders", "99.9");
            using var prometheus = new FakePrometheus(r => Canned(r, FakePrometheus.Vector(("success", "999"), ("failure", "1")), FakePrometheus.Matrix()));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url, "--format", "markdown");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("| orders | 99.9% | 99.9% | 0 period(s) below target | 0% |", result.Output);
        }

        [Fact]
        public void Help_ShowsExamples_WithPrometheusAndDeployments()
        {
            CliResult result = Cli.Run("measure", "--help");

            Assert.Equal(0, result.ExitCode);
            string help = result.Output.Replace("\r", string.Empty).Replace("\n    ", "\n  ");
            Assert.Contains("Example:\n  dotnet operability measure services/ --prometheus http://prometheus:9090\n", help);
            Assert.Contains("--deployments deployments.jsonl", help);
            Assert.Contains("--prometheus-timeout", help);
        }

        [Fact]
        public void Measure_Text_ShowsTheRowsOfTheSourcesGiven()
        {
            using var estate = new TempEstate();
            estate.Manifest("orders", "orders", "team-orders", "99.9", DailyDeployments);
            using var prometheus = new FakePrometheus(r => Canned(r, FakePrometheus.Vector(("success", "999"), ("failure", "1")), FakePrometheus.Matrix()));

            CliResult fromPrometheus = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url);
            CliResult fromDeployments = Cli.Run("measure", estate.Path, "--deployments", estate.Write("deployments.jsonl", string.Empty));

            Assert.True(fromPrometheus.ExitCode == 0, fromPrometheus.ToString());
            Assert.Contains("availability over 7d            99.9% (1,000 requests, 1 failed)", fromPrometheus.Output);
            Assert.Contains("error budget left this week     0% (since ", fromPrometheus.Output);
            Assert.DoesNotContain("lead time", fromPrometheus.Output);
            Assert.True(fromDeployments.ExitCode == 0, fromDeployments.ToString());
            Assert.Contains("deployments over 7d             0 (0 a week; target daily, 5 a week: not met)", fromDeployments.Output);
            Assert.DoesNotContain("availability over", fromDeployments.Output);
        }

        [Fact]
        public void Measure_UrlWithUserInfo_NeverShowsThePassword()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-orders", "99.9");

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", "http://reader:s3cret@127.0.0.1:1/", "--format", "json");

            Assert.Equal(5, result.ExitCode);
            Assert.Contains("Prometheus at http://127.0.0.1:1/api/v1/query cannot be reached", result.Error);
            Assert.DoesNotContain("s3cret", result.Error + result.Output);
        }

        [Fact]
        public void Measure_UrlWithUserInfo_IsSentAsBasicAuthentication()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-orders", "99.9");
            using var prometheus = new FakePrometheus(r => r.Authorization == "Basic " + System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("reader:s3cret"))
                ? Canned(r, FakePrometheus.Vector(("success", "1")), FakePrometheus.Matrix())
                : (401, "{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"who are you\"}"));

            CliResult result = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url.Replace("http://", "http://reader:s3cret@"), "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(prometheus.Url, result.Json.GetProperty("prometheus").GetString());
        }

        [Fact]
        public void Measure_OnATerminal_ShowsProgressEveryTenServices_AndClearsIt()
        {
            using var estate = new TempEstate();
            for (int i = 0; i < 10; i++)
            {
                estate.Manifest("s" + i, "service-" + i, "team-a", "99.9");
            }

            using var prometheus = new FakePrometheus(r => Canned(r, FakePrometheus.Vector(("success", "1")), FakePrometheus.Matrix()));

            CliResult onTerminal = Cli.Run(showProgress: true, "measure", estate.Path, "--prometheus", prometheus.Url);
            CliResult redirected = Cli.Run("measure", estate.Path, "--prometheus", prometheus.Url);

            Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
            Assert.Contains("\rmeasured 10 service(s)…", onTerminal.Error);
            Assert.EndsWith("\r", onTerminal.Error);
            Assert.Empty(redirected.Error);
        }
    }
}
