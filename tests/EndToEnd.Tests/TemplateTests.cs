using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Operability.Manifest;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The packed template pack installed into a private hive, then 'dotnet new operable-service' as a team runs it
    /// at inception. Three scaffolds are built in CI mode, tested and run on 127.0.0.1 (with and without the
    /// shutter); the rest of the matrix is instantiated and checked file by file; wrong parameters are refused
    /// with clear messages.
    /// </summary>
    public sealed class TemplateHive : IDisposable
    {
        public TemplateHive()
        {
            Folder = new ScratchFolder("template");
            Hive = Path.Combine(Folder.Path, "hive");
            OperabilityVersion = Repository.PackageVersion("Operability.AspNetCore");
            var templates = Path.Combine(Repository.Packages, $"Operability.Templates.{Repository.PackageVersion("Operability.Templates")}.nupkg");
            var install = Dotnet.Run(Folder.Path, null, "new", "install", templates, "--debug:custom-hive", Hive);
            if (install.ExitCode != 0 || !install.Output.Contains("operable-service", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Installing {templates} into a private hive failed.\n{install}");
            }
        }

        internal ScratchFolder Folder { get; }

        public string Hive { get; }

        /// <summary>The version of the packed Operability packages, which the template must reference.</summary>
        public string OperabilityVersion { get; }

        /// <summary>'dotnet new operable-service -n NAME -o NAME …' in the scratch folder; the scaffold is in Root(NAME).</summary>
        internal ProcessResult New(string name, params string[] arguments) =>
            Dotnet.Run(Folder.Path, null, new[] { "new", "operable-service", "-n", name, "-o", name, "--debug:custom-hive", Hive, "--no-update-check" }.Concat(arguments).ToArray());

        public string Root(string name) => Path.Combine(Folder.Path, name);

        public void Dispose() => Folder.Dispose();
    }

    [Collection(ConsumerBuilds.Name)]
    public sealed class TemplateTests : IClassFixture<TemplateHive>
    {
        private static readonly Dictionary<string, string> CiBuild = new() { ["CI"] = "true" };

        private readonly TemplateHive _hive;

        public TemplateTests(PackageFeedFixture feed, TemplateHive hive)
        {
            _ = feed;
            _hive = hive;
        }

        [Fact]
        public void Help_ListsEveryParameter()
        {
            var help = Dotnet.Run(_hive.Folder.Path, null, "new", "operable-service", "-h", "--debug:custom-hive", _hive.Hive);

            Assert.True(help.ExitCode == 0, help.ToString());
            foreach (var option in new[] { "--owner", "--on-call-contact", "--chat-channel", "--product-domain", "--availability-target", "--financial-exposure", "--feature-demand", "--deployment-target", "--database", "--dependency", "--repository-url", "--grafana-url", "--skip-restore", "--framework" })
            {
                Assert.Contains(option, help.Output, StringComparison.Ordinal);
            }

            Assert.Contains("0:10:05", help.Output, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Minimal_BuildsCleanInCi_TestsPass_RunsAndShutters()
        {
            // Only the required parameters. The name has a hyphen, which C# names cannot have: files keep the name,
            // the code's namespaces say inventory_api.
            var created = _hive.New("inventory-api", "--owner", "team-inventory");

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Contains("provisional 99.0% target", created.Output, StringComparison.Ordinal);
            var root = _hive.Root("inventory-api");
            ScaffoldChecks.Check(root, new ScaffoldExpectation("inventory-api", 99.0m, DeploymentTarget.Weekly, "team-inventory"), _hive.OperabilityVersion);
            Assert.Equal("inventory-api", ScaffoldChecks.ProjectName(root));
            Assert.Contains("namespace inventory_api.Tests;", File.ReadAllText(Path.Combine(root, "tests", "inventory-api.Tests", "HealthTests.cs")), StringComparison.Ordinal);

            await BuildTestAndRun(root, "inventory-api");
        }

        [Fact]
        public async Task Exposure6000_Is95_WithNoOutOfHoursOnCall_BuildsTestsAndRuns()
        {
            var created = _hive.New("Appointments", "--owner", "team-appointments", "--financial-exposure", "6000", "--feature-demand", "high", "--skip-restore");

            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root("Appointments");
            Assert.False(Directory.Exists(Path.Combine(root, "src", "Appointments", "obj")), "--skip-restore skips the restore.");
            ScaffoldChecks.Check(root, new ScaffoldExpectation("appointments", 95.0m, DeploymentTarget.Weekly, "team-appointments", Exposure: 6000m, Demand: FeatureDemand.High), _hive.OperabilityVersion);
            var runbook = File.ReadAllText(Path.Combine(root, "RUNBOOK.md"));
            Assert.Contains("| 95.0% | 8:24:00 |", runbook, StringComparison.Ordinal);
            Assert.Contains("Out of hours: nobody is on call for appointments", runbook, StringComparison.Ordinal);
            Assert.DoesNotContain("severity: page", File.ReadAllText(Path.Combine(root, "deploy", "prometheus", "alerts.yml")), StringComparison.Ordinal);

            await BuildTestAndRun(root, "appointments");
        }

        [Fact]
        public async Task Exposure810000_WithTwoDatabasesAndTwoDependencies_Is999_BuildsTestsAndRuns()
        {
            var created = _hive.New(
                "Ecommerce", "--owner", "team-ecommerce", "--financial-exposure", "810000", "--feature-demand", "very-high",
                "--database=orders-db,audit-db", "--dependency=payments, stock", "--chat-channel", "#team-ecommerce",
                "--on-call-contact", "https://oncall.example.com/team-ecommerce", "--product-domain", "checkout");

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Contains("Restore succeeded", created.Output, StringComparison.Ordinal);
            var root = _hive.Root("Ecommerce");
            ScaffoldChecks.Check(root, new ScaffoldExpectation("ecommerce", 99.9m, DeploymentTarget.Daily, "team-ecommerce", Exposure: 810000m, Database: "orders-db", Dependency: "payments", Demand: FeatureDemand.VeryHigh, OtherDatabases: new[] { "audit-db" }, OtherDependencies: new[] { "stock" }), _hive.OperabilityVersion);
            var runbook = File.ReadAllText(Path.Combine(root, "RUNBOOK.md"));
            Assert.Contains("| 99.9% | 0:10:05 |", runbook, StringComparison.Ordinal);
            Assert.Contains("#team-ecommerce", runbook, StringComparison.Ordinal);
            Assert.Contains("https://oncall.example.com/team-ecommerce", runbook, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(root, "src", "Ecommerce", "Dependencies", "PaymentsClient.cs")));
            Assert.True(File.Exists(Path.Combine(root, "tests", "Ecommerce.Tests", "PaymentsTests.cs")));
            Assert.Equal(new[] { "PaymentsClient.cs" }, Directory.GetFiles(Path.Combine(root, "src", "Ecommerce", "Dependencies")).Select(Path.GetFileName));
            Assert.Contains("It owns **orders-db**, **audit-db**", runbook, StringComparison.Ordinal);
            Assert.Contains("It calls **payments**, **stock** over HTTP.", runbook, StringComparison.Ordinal);
            Assert.Contains("(8.4 * 0.001)", File.ReadAllText(Path.Combine(root, "deploy", "prometheus", "alerts.yml")), StringComparison.Ordinal);

            // The databases it owns must accept connections for the service to be ready.
            using var database = new FakeDatabaseListener();
            await BuildTestAndRun(root, "ecommerce", new Dictionary<string, string>
            {
                ["ConnectionStrings__orders-db"] = $"Host=127.0.0.1;Port={database.Port};Database=orders-db",
                ["ConnectionStrings__audit-db"] = $"Host=127.0.0.1;Port={database.Port};Database=audit-db",
            });
        }

        /// <summary>Instantiated and checked file by file: each band, each deployment target, every target choice.</summary>
        private static readonly Dictionary<string, (string[] Arguments, ScaffoldExpectation Expected)> Matrix = new()
        {
            ["Bedroom"] = (new[] { "--financial-exposure", "200000", "--feature-demand", "very-high" }, new("bedroom", 99.0m, DeploymentTarget.Daily, "team-x", Exposure: 200000m, Demand: FeatureDemand.VeryHigh)),
            ["Monthly"] = (new[] { "--availability-target", "99.0", "--deployment-target", "monthly" }, new("monthly", 99.0m, DeploymentTarget.Monthly, "team-x")),
            ["Fortnightly"] = (new[] { "--availability-target", "99.9", "--deployment-target", "fortnightly", "--dependency", "catalog-api" }, new("fortnightly", 99.9m, DeploymentTarget.Fortnightly, "team-x", Dependency: "catalog-api")),
            ["Weekly"] = (new[] { "--availability-target", "99.5", "--deployment-target", "weekly", "--database", "weekly-db" }, new("weekly", 99.5m, DeploymentTarget.Weekly, "team-x", Database: "weekly-db")),
            ["Daily"] = (new[] { "--availability-target", "99.99", "--deployment-target", "daily" }, new("daily", 99.99m, DeploymentTarget.Daily, "team-x")),
            ["LowDemand"] = (new[] { "--financial-exposure", "7000", "--feature-demand", "low" }, new("low-demand", 95.0m, DeploymentTarget.Monthly, "team-x", Exposure: 7000m, Demand: FeatureDemand.Low)),
            ["Agreeing"] = (new[] { "--availability-target", "99.9", "--financial-exposure", "810000", "--feature-demand", "medium", "--deployment-target", "fortnightly" }, new("agreeing", 99.9m, DeploymentTarget.Fortnightly, "team-x", Exposure: 810000m, Demand: FeatureDemand.Medium)),
            ["Shop.Catalog"] = (new[] { "--financial-exposure", "250001" }, new("shop-catalog", 99.9m, DeploymentTarget.Weekly, "team-x", Exposure: 250001m)),
        };

        public static TheoryData<string> FileMatrix() => new(Matrix.Keys);

        [Theory]
        [MemberData(nameof(FileMatrix))]
        public void Matrix_FilesFollowTheParameters(string name)
        {
            var (arguments, expected) = Matrix[name];
            var created = _hive.New(name, new[] { "--owner", "team-x", "--skip-restore" }.Concat(arguments).ToArray());

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.DoesNotContain("ERROR", created.Output, StringComparison.Ordinal);
            ScaffoldChecks.Check(_hive.Root(name), expected, _hive.OperabilityVersion);
            var decision = OperatingModelSelector.Select(expected.Deployment, expected.Target, foundational: false);
            Assert.Equal(decision.Model == OperatingModel.OpsRunIt, created.Output.Contains("the operating model is Ops Run It", StringComparison.Ordinal));
        }

        private const string PromtoolPath = "/usr/bin/promtool";

        public static TheoryData<string> TargetChoices() => new("95.0", "99.0", "99.5", "99.9", "99.99");

        /// <summary>
        /// The generated rules and their generated unit tests, run by Debian's promtool as the scaffold's CI runs them:
        /// for every target, a burst of failures fires the fast-burn alerts (pages, or tickets where nobody is on call
        /// out of hours), a slow burn opens tickets and never pages, a service within its budget is silent.
        /// </summary>
        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void AlertRules_PassTheirPromtoolTests(string target)
        {
            var name = "Rules" + target.Replace(".", string.Empty, StringComparison.Ordinal);
            var created = _hive.New(name, "--owner", "team-x", "--availability-target", target, "--skip-restore");
            Assert.True(created.ExitCode == 0, created.ToString());
            var rules = Path.Combine(_hive.Root(name), "deploy", "prometheus");
            var (_, outOfHours) = Availability.OnCallFor(decimal.Parse(target, System.Globalization.CultureInfo.InvariantCulture));

            var check = Promtool(rules, "check", "rules", "alerts.yml");
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Contains("SUCCESS: 11 rules found", check.Output, StringComparison.Ordinal);
            var test = Promtool(rules, "test", "rules", "alerts.test.yml");
            Assert.True(test.ExitCode == 0, test.ToString());
            Assert.Contains("SUCCESS", test.Output, StringComparison.Ordinal);

            // The tests expect what the on-call level allows: a 95.0% service (nobody on call out of hours) never pages.
            var expectations = File.ReadAllText(Path.Combine(rules, "alerts.test.yml"));
            var severities = Regex.Matches(expectations, @"severity: (\w+)").Select(m => m.Groups[1].Value).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(outOfHours == OnCallLevel.None ? new[] { "ticket" } : new[] { "page", "ticket" }, severities);
        }

        /// <summary>The promtool tests can fail: the SRE workbook's 30-day factors (14.4, 6, 3, 1) do not pass them.</summary>
        [Fact]
        public void AlertRuleTests_RejectTheWorkbooksMonthlyFactors()
        {
            var created = _hive.New("MonthlyFactors", "--owner", "team-x", "--availability-target", "99.9", "--skip-restore");
            Assert.True(created.ExitCode == 0, created.ToString());
            var rules = Path.Combine(_hive.Root("MonthlyFactors"), "deploy", "prometheus");
            var alerts = Path.Combine(rules, "alerts.yml");
            var text = File.ReadAllText(alerts);
            foreach (var (weekly, monthly) in new[] { ("8.4", "14.4"), ("2.8", "6"), ("1.4", "3"), ("1.167", "1") })
            {
                Assert.Contains($"({weekly} * 0.001)", text, StringComparison.Ordinal);
                text = text.Replace($"({weekly} * 0.001)", $"({monthly} * 0.001)", StringComparison.Ordinal);
            }

            File.WriteAllText(alerts, text);
            var test = Promtool(rules, "test", "rules", "alerts.test.yml");

            Assert.True(test.ExitCode != 0, test.ToString());
            Assert.Contains("FAILED", test.Output, StringComparison.Ordinal);
            Assert.Contains("alertname: ErrorBudgetBurnFast", test.Output, StringComparison.Ordinal);
            Assert.Contains("alertname: ErrorBudgetBurnSlow", test.Output, StringComparison.Ordinal);
        }

        /// <summary>Debian's promtool (package prometheus), run in <paramref name="directory"/>, bounded in time.</summary>
        private static ProcessResult Promtool(string directory, params string[] arguments) =>
            DebianTool.Run(PromtoolPath, "prometheus", directory, arguments);

        public static TheoryData<string, string[], string, string?> WrongParameters() => new()
        {
            { "Conflict", new[] { "--availability-target", "99.0", "--financial-exposure", "810000" }, "ERROR: --availability-target disagrees with --financial-exposure, which selects 99.9%.",
                "error TEMPLATE006: --availability-target 99.0 disagrees with --financial-exposure 810000, which selects 99.9" },
            { "DemandConflict", new[] { "--feature-demand", "low", "--deployment-target", "daily" }, "ERROR: --deployment-target disagrees with --feature-demand low, which selects monthly.",
                "error TEMPLATE007: --deployment-target daily disagrees with --feature-demand low, which selects monthly" },
            { "Negative", new[] { "--financial-exposure", "-5" }, "ERROR: --financial-exposure cannot be negative.", "error TEMPLATE004" },
            { "NotANumber", new[] { "--financial-exposure", "lots" }, "ERROR: --financial-exposure must be a whole number of currency units", null },
            { "BadDatabase", new[] { "--database", "orders db" }, "ERROR: --database must be a name such as orders-db", null },
            { "RepeatedDependency", new[] { "--dependency=payments,stock,Payments" }, "ERROR: --dependency must be a name such as payments, or a comma-separated list of distinct names",
                "error TEMPLATE009: --dependency must be a name such as payments, or a comma-separated list" },
            { "BadDatabaseList", new[] { "--database=orders-db,,audit-db" }, "ERROR: --database must be a name such as orders-db", null },
            { "BadRepositoryUrl", new[] { "--repository-url", "github.com/acme orders" }, "ERROR: --repository-url and --grafana-url must be absolute http(s) URLs",
                "error TEMPLATE010: --repository-url and --grafana-url must be absolute http(s) URLs" },
        };

        [Theory]
        [MemberData(nameof(WrongParameters))]
        public void WrongParameters_ArePrinted_NothingIsRestored_AndTheBuildStopsWithTheSameMessage(string name, string[] arguments, string message, string? buildError)
        {
            var created = _hive.New(name, new[] { "--owner", "team-x" }.Concat(arguments).ToArray());

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Contains(message, created.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Restore succeeded", created.Output, StringComparison.Ordinal);
            var root = _hive.Root(name);
            Assert.Contains("InitialTargets=\"ReportTemplateParameterErrors\"", File.ReadAllText(Path.Combine(root, "Directory.Build.props")), StringComparison.Ordinal);
            if (buildError is not null)
            {
                var build = Dotnet.Run(root, null, "build", "-nologo");

                Assert.True(build.ExitCode != 0, build.ToString());
                Assert.Contains(buildError, build.Output, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void InvalidName_IsRefused()
        {
            var created = _hive.New("class", "--owner", "team-x");

            Assert.True(created.ExitCode == 0, created.ToString());
            Assert.Contains("ERROR: the service name (-n|--name) is not usable.", created.Output, StringComparison.Ordinal);
            var build = Dotnet.Run(_hive.Root("class"), null, "build", "-nologo");
            Assert.True(build.ExitCode != 0, build.ToString());
            Assert.Contains("error TEMPLATE001", build.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void UnknownChoice_IsTheEnginesError()
        {
            var created = _hive.New("UnknownChoice", "--owner", "team-x", "--availability-target", "42");

            Assert.True(created.ExitCode != 0, created.ToString());
            Assert.Contains("'42' is not a valid value for --availability-target", created.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(_hive.Root("UnknownChoice")));
        }

        [Fact]
        public void MissingOwner_IsTheEnginesError()
        {
            var created = _hive.New("NoOwner");

            Assert.True(created.ExitCode != 0, created.ToString());
            Assert.Contains("Missing mandatory option(s) for the template", created.Output, StringComparison.Ordinal);
            Assert.Contains("'--owner'", created.Output, StringComparison.Ordinal);
            Assert.Empty(Directory.Exists(_hive.Root("NoOwner")) ? Directory.GetFileSystemEntries(_hive.Root("NoOwner")) : Array.Empty<string>());
        }

        /// <summary>dotnet build in CI mode (zero warnings, zero errors), dotnet test, then the service on 127.0.0.1, open and shuttered.</summary>
        private static async Task BuildTestAndRun(string root, string serviceName, IReadOnlyDictionary<string, string>? environment = null)
        {
            var build = Dotnet.Run(root, CiBuild, "build", "-nologo");
            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.Matches(new Regex(@"^\s*0 Warning\(s\)", RegexOptions.Multiline), build.Output);
            Assert.Matches(new Regex(@"^\s*0 Error\(s\)", RegexOptions.Multiline), build.Output);
            Assert.DoesNotMatch(new Regex(@": (warning|error) [A-Z]+\d+"), build.Output);

            // The CI build writes one SARIF 2.1 log, the service project's, exactly where ci.yml uploads it from.
            var sarifDirectory = Path.Combine(root, "artifacts", "sarif");
            var sarifLogs = Directory.Exists(sarifDirectory) ? Directory.GetFiles(sarifDirectory) : Array.Empty<string>();
            var serviceProject = ScaffoldChecks.ProjectName(root);
            Assert.Equal(new[] { Path.GetFullPath(Path.Combine(root, ScaffoldChecks.SarifPath(serviceProject))) }, sarifLogs.Select(Path.GetFullPath));
            using (var sarif = System.Text.Json.JsonDocument.Parse(File.ReadAllText(sarifLogs[0])))
            {
                Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
            }

            var test = Dotnet.Run(root, null, "test", "--no-build", "-nologo");
            Assert.True(test.ExitCode == 0, test.ToString());
            Assert.Matches(new Regex(@"Passed!\s+- Failed:\s+0, Passed:\s+[1-9]"), test.Output);

            var project = ScaffoldChecks.ProjectName(root);
            var projectDirectory = Path.Combine(root, "src", project);
            var assembly = Path.Combine(projectDirectory, "bin", "Debug", "net10.0", project + ".dll");

            // In Production the report is opened deliberately (the shuttered run below shows it closed by default).
            var opened = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["Operability__Endpoints__AnonymousReport"] = "true" };
            using (var service = RunningService.Start(assembly, projectDirectory, opened))
            {
                await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
                using var home = await service.Client.GetAsync("");
                Assert.Equal(HttpStatusCode.OK, home.StatusCode);
                var operability = await service.Client.GetStringAsync("operability");
                Assert.Contains($"\"service\": \"{serviceName}\"", operability, StringComparison.Ordinal);
                await AssertMetricAsync(service, "success");
                await AssertDashboardSeriesExistAsync(service, root);
            }

            var shutter = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["Operability__Shutter__Enabled"] = "true" };
            using (var service = RunningService.Start(assembly, projectDirectory, shutter))
            {
                await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

                using var api = new HttpRequestMessage(HttpMethod.Get, "");
                api.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var apiResponse = await service.Client.SendAsync(api);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, apiResponse.StatusCode);
                Assert.NotNull(apiResponse.Headers.RetryAfter);
                Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType?.MediaType);

                using var browser = new HttpRequestMessage(HttpMethod.Get, "");
                browser.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
                using var page = await service.Client.SendAsync(browser);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
                Assert.NotNull(page.Headers.RetryAfter);
                Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

                using var live = await service.Client.GetAsync("health/live");
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                using var closedReport = await service.Client.GetAsync("operability");
                Assert.Equal(HttpStatusCode.Forbidden, closedReport.StatusCode);
                Assert.DoesNotContain(serviceName, await closedReport.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                await AssertMetricAsync(service, "failure");
            }
        }

        /// <summary>
        /// Every metric the dashboard's panels query is one the running service exports (the dependency counters
        /// only once a call timed out or was refused, the circuit state only for a service with dependencies).
        /// </summary>
        private static async Task AssertDashboardSeriesExistAsync(RunningService service, string root)
        {
            using var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "deploy", "grafana", "dashboard.json")));
            var hasDependencies = File.ReadAllText(Path.Combine(root, "src", ScaffoldChecks.ProjectName(root), "operability.json")).Contains("\"dependencies\"", StringComparison.Ordinal);
            var names = TemplateDashboardTests.Panels(dashboard).Values
                .SelectMany(p => p.Expressions)
                .SelectMany(e => Regex.Matches(e, @"\b([a-z_]+)\{").Select(m => m.Groups[1].Value))
                .Distinct()
                .Where(n => n is not ("operability_dependency_timeouts_total" or "operability_dependency_rejections_total"))
                .Where(n => hasDependencies || n != "operability_circuit_state")
                .ToList();
            Assert.Contains("http_server_request_duration_seconds_bucket", names);
            var metrics = await service.Client.GetStringAsync("metrics");
            Assert.All(names, n => Assert.Matches(new Regex("^" + n + "\\{", RegexOptions.Multiline), metrics));
        }

        /// <summary>/metrics shows operability_requests_total with the outcome, as the alert rules read it.</summary>
        private static async Task AssertMetricAsync(RunningService service, string outcome)
        {
            var pattern = new Regex("^operability_requests_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} [1-9]", RegexOptions.Multiline);
            var metrics = string.Empty;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                metrics = await service.Client.GetStringAsync("metrics");
                if (pattern.IsMatch(metrics))
                {
                    return;
                }

                await Task.Delay(250);
            }

            Assert.Fail($"/metrics has no operability_requests_total with outcome=\"{outcome}\":\n{metrics}");
        }
    }
}
