using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The scaffold's Grafana dashboard (deploy/grafana/dashboard.json) and the links its alerts and runbook carry:
    /// every panel's PromQL parses (Debian's promtool checks it as a rule expression), selects the service's own
    /// job, covers any number of dependencies with one panel, and every link is absolute and lands on a panel or a
    /// runbook section that exists.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class TemplateDashboardTests : IClassFixture<TemplateHive>
    {
        private const string PromtoolPath = "/usr/bin/promtool";

        private readonly TemplateHive _hive;

        public TemplateDashboardTests(PackageFeedFixture feed, TemplateHive hive)
        {
            _ = feed;
            _hive = hive;
        }

        public static TheoryData<string, string, string[]> Scaffolds() => new()
        {
            { "DashMinimal", "dash-minimal", new[] { "--availability-target", "95.0" } },
            { "Dash.Orders", "dash-orders", new[] { "--availability-target", "99.9", "--dependency", "payments", "--database", "orders-db", "--product-domain", "checkout" } },
        };

        [Theory]
        [MemberData(nameof(Scaffolds))]
        public void Dashboard_EveryPanelsQueryParses_SelectsTheServicesJob_AndCoversEveryDependencyInOnePanel(string name, string service, string[] arguments)
        {
            var created = _hive.New(name, new[] { "--owner", "team-x", "--skip-restore" }.Concat(arguments).ToArray());
            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root(name);
            using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "deploy", "grafana", "dashboard.json")));
            var panels = Panels(dashboard);

            Assert.Equal(service, dashboard.RootElement.GetProperty("uid").GetString());
            Assert.Equal(service, dashboard.RootElement.GetProperty("title").GetString());
            var target = arguments[Array.IndexOf(arguments, "--availability-target") + 1];
            Assert.Contains($"{target}%", dashboard.RootElement.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Contains($"{target}%", panels[2].Description, StringComparison.Ordinal);
            Assert.Equal(panels.Count, panels.Keys.Distinct().Count());
            foreach (var title in new[] { "Request rate", "Failure ratio against the target", "Latency p50 and p99", "Error budget left this week", "Circuit state per dependency", "Timeouts per dependency", "Shutter" })
            {
                Assert.Contains(panels.Values, p => p.Title == title);
            }

            // One panel per concern, one series per dependency: no query names a dependency.
            Assert.Contains("max by (dependency) (operability_circuit_state{", Single(panels, "Circuit state per dependency"), StringComparison.Ordinal);
            Assert.Contains("sum by (dependency, timeout) (rate(operability_dependency_timeouts_total{", Single(panels, "Timeouts per dependency"), StringComparison.Ordinal);
            Assert.Contains(panels.Values.Single(p => p.Title == "Latency p50 and p99").Expressions, e => e.StartsWith("histogram_quantile(0.99, ", StringComparison.Ordinal));
            var expressions = panels.Values.SelectMany(p => p.Expressions).ToList();
            Assert.All(expressions, e => Assert.Contains($"job=\"{service}\"", e, StringComparison.Ordinal));
            Assert.DoesNotContain(expressions, e => e.Contains("payments", StringComparison.Ordinal));

            // promtool parses each expression as the expression of a recording rule.
            var rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
            for (var i = 0; i < expressions.Count; i++)
            {
                rules.Append("      - record: dashboard:query").Append(i).Append('\n')
                    .Append("        expr: ").Append(JsonSerializer.Serialize(expressions[i])).Append('\n');
            }

            var file = Path.Combine(root, "dashboard-queries.yml");
            File.WriteAllText(file, rules.ToString());
            var check = DebianTool.Run(PromtoolPath, "prometheus", root, "check", "rules", file);
            Assert.True(check.ExitCode == 0, check + "\n" + rules);
            Assert.Contains($"SUCCESS: {expressions.Count} rules found", check.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void AlertsAndRunbook_LinkTheRunbookSectionAndTheDashboardPanels_ByAbsoluteUrl()
        {
            var created = _hive.New("Linked", "--owner", "team-x", "--skip-restore", "--availability-target", "99.9",
                "--repository-url", "https://github.com/acme/linked/", "--grafana-url", "https://grafana.acme.test");
            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root("Linked");
            using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "deploy", "grafana", "dashboard.json")));
            var panels = Panels(dashboard);
            var runbook = File.ReadAllText(Path.Combine(root, "RUNBOOK.md"));
            var sections = Regex.Matches(runbook, "^#+ (.+)$", RegexOptions.Multiline).Select(m => Slug(m.Groups[1].Value)).ToHashSet();

            var annotations = TemplateAlertRoutingTests.Alerts(Path.Combine(root, "deploy", "prometheus", "alerts.yml"), "annotations");
            Assert.Equal(4, annotations.Count);
            foreach (var alert in annotations)
            {
                var runbookUrl = alert["runbook_url"];
                Assert.StartsWith("https://github.com/acme/linked/blob/main/RUNBOOK.md#", runbookUrl, StringComparison.Ordinal);
                Assert.Contains(runbookUrl.Split('#')[1], sections);
                AssertPanelLink(alert["dashboard_url"], panels);
            }

            var links = Regex.Matches(runbook, @"\((https://grafana\.acme\.test/[^)]*)\)").Select(m => m.Groups[1].Value).ToList();
            Assert.True(links.Count >= panels.Count, "The runbook's Dashboards section links every panel.");
            foreach (var link in links.Where(l => l.Contains("viewPanel", StringComparison.Ordinal)))
            {
                AssertPanelLink(link, panels);
            }

            Assert.All(panels.Keys, id => Assert.Contains(links, l => l.EndsWith($"viewPanel={id}", StringComparison.Ordinal)));
            Assert.Contains("https://github.com/acme/linked/blob/main/RUNBOOK.md", dashboard.RootElement.GetProperty("links")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
            var targets = File.ReadAllText(Path.Combine(root, "Directory.Build.targets"));
            Assert.Contains("<_OperabilityRepositoryUrl>https://github.com/acme/linked</_OperabilityRepositoryUrl>", targets, StringComparison.Ordinal);
            Assert.Contains("<_OperabilityGrafanaUrl>https://grafana.acme.test</_OperabilityGrafanaUrl>", targets, StringComparison.Ordinal);
        }

        [Fact]
        public void WithoutUrls_PlaceholdersAreWritten_AndTheBuildWarnsAboutThem_ButNotInCiNorInDesignTimeBuilds()
        {
            var created = _hive.New("Unlinked", "--owner", "team-x", "--skip-restore");
            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root("Unlinked");
            Assert.Contains("https://repository.example.invalid/set-repository-url/blob/main/RUNBOOK.md#error-budget-burning", File.ReadAllText(Path.Combine(root, "deploy", "prometheus", "alerts.yml")), StringComparison.Ordinal);
            var project = Path.Combine(root, "src", "Unlinked", "Unlinked.csproj");

            // The check alone (no restore is needed to evaluate it): a warning while coding, a message in CI.
            var local = Dotnet.Run(root, null, "msbuild", project, "-t:ReportLinkPlaceholders", "-nologo");
            Assert.Contains("warning TEMPLATE100: The alerts and the dashboard link placeholders", local.Output, StringComparison.Ordinal);
            var ci = Dotnet.Run(root, new Dictionary<string, string> { ["CI"] = "true" }, "msbuild", project, "-t:ReportLinkPlaceholders", "-nologo");
            Assert.True(ci.ExitCode == 0, ci.ToString());
            Assert.DoesNotContain("warning TEMPLATE100", ci.Output, StringComparison.Ordinal);
            Assert.Contains("note TEMPLATE100", ci.Output, StringComparison.Ordinal);
            // An IDE's design-time build loads the project: nothing is logged there that a project system could take
            // for a failed load (Roslyn's MSBuild workspace reports it as a failure).
            var designTime = Dotnet.Run(root, null, "msbuild", project, "-t:ReportLinkPlaceholders", "-p:DesignTimeBuild=true", "-nologo");
            Assert.True(designTime.ExitCode == 0, designTime.ToString());
            Assert.DoesNotContain("TEMPLATE100", designTime.Output, StringComparison.Ordinal);
        }

        private static void AssertPanelLink(string url, IReadOnlyDictionary<int, Panel> panels)
        {
            var match = Regex.Match(url, @"^https://grafana\.acme\.test/d/linked/linked\?viewPanel=(\d+)$");
            Assert.True(match.Success, $"'{url}' is not an absolute link to a panel of the linked dashboard.");
            Assert.True(panels.ContainsKey(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), $"'{url}' names no panel of the dashboard.");
        }

        /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
        private static string Slug(string heading) =>
            Regex.Replace(heading.Trim().ToLowerInvariant(), @"[^a-z0-9 _-]", string.Empty).Replace(' ', '-');

        private static string Single(IReadOnlyDictionary<int, Panel> panels, string title) =>
            Assert.Single(panels.Values.Single(p => p.Title == title).Expressions);

        internal sealed record Panel(string Title, string Description, IReadOnlyList<string> Expressions);

        internal static IReadOnlyDictionary<int, Panel> Panels(JsonDocument dashboard) =>
            dashboard.RootElement.GetProperty("panels").EnumerateArray().ToDictionary(
                p => p.GetProperty("id").GetInt32(),
                p => new Panel(
                    p.GetProperty("title").GetString()!,
                    p.GetProperty("description").GetString()!,
                    p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!).ToList()));
    }
}
