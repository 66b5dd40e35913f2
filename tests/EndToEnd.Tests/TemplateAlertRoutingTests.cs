using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Operability.Manifest;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The scaffold's Alertmanager routing (deploy/alertmanager/alertmanager.yml), checked by Debian's amtool: it is a
    /// valid configuration, and every generated alert, with the labels the rules give it, reaches the receivers its
    /// on-call level names — the team's schedule, the product domain's shared one out of hours, or the team's
    /// tickets when nobody is on call out of hours.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class TemplateAlertRoutingTests : IClassFixture<TemplateHive>
    {
        private const string AmtoolPath = "/usr/bin/amtool";

        private readonly TemplateHive _hive;

        public TemplateAlertRoutingTests(PackageFeedFixture feed, TemplateHive hive)
        {
            _ = feed;
            _hive = hive;
        }

        public static TheoryData<string, string?> Targets() => new()
        {
            { "95.0", "checkout" },
            { "99.0", "checkout" },
            { "99.5", null },
            { "99.9", "checkout" },
            { "99.99", null },
        };

        [Theory]
        [MemberData(nameof(Targets))]
        public void AlertRouting_IsValid_AndEachAlertReachesTheScheduleItsOnCallLevelNames(string target, string? domain)
        {
            var name = "Routing" + target.Replace(".", string.Empty, StringComparison.Ordinal);
            var arguments = new List<string> { "--owner", "team-x", "--availability-target", target, "--skip-restore" };
            if (domain is not null)
            {
                arguments.AddRange(new[] { "--product-domain", domain });
            }

            var created = _hive.New(name, arguments.ToArray());
            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root(name);
            var routing = Path.Combine(root, "deploy", "alertmanager");
            var (workingHours, outOfHours) = Availability.OnCallFor(decimal.Parse(target, CultureInfo.InvariantCulture));

            var check = DebianTool.Run(AmtoolPath, "prometheus-alertmanager", routing, "check-config", "alertmanager.yml");
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Contains("SUCCESS", check.Output, StringComparison.Ordinal);

            var alerts = Alerts(Path.Combine(root, "deploy", "prometheus", "alerts.yml"));
            Assert.Equal(4, alerts.Count);
            foreach (var labels in alerts)
            {
                Assert.Equal("team-x", labels["team"]);
                Assert.Equal(domain ?? "unassigned", labels["product_domain"]);
                Assert.Equal(Level(workingHours), labels["working_hours_on_call"]);
                Assert.Equal(Level(outOfHours), labels["out_of_hours_on_call"]);

                var expected = labels["severity"] == "ticket" ? "team-x-tickets"
                    : outOfHours == OnCallLevel.Domain ? $"team-x-schedule,{domain ?? "unassigned"}-domain-schedule"
                    : "team-x-schedule";
                var route = DebianTool.Run(
                    AmtoolPath,
                    "prometheus-alertmanager",
                    routing,
                    new[] { "config", "routes", "test", "--config.file=alertmanager.yml" }.Concat(labels.Select(l => $"{l.Key}={l.Value}")).ToArray());
                Assert.True(route.ExitCode == 0, route.ToString());
                Assert.Equal(expected, route.Lines.First(l => !l.StartsWith("Warning:", StringComparison.Ordinal) && l.Length > 0));
            }

            // Nobody on call out of hours: no alert reaches a schedule, at any hour.
            Assert.Equal(outOfHours == OnCallLevel.None, alerts.All(a => a["severity"] == "ticket"));
        }

        private static string Level(OnCallLevel level) => level.ToString().ToLowerInvariant();

        /// <summary>The labels (or, with <paramref name="section"/> "annotations", the annotations) of every alert rule in <paramref name="path"/>.</summary>
        internal static List<Dictionary<string, string>> Alerts(string path, string section = "labels")
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(path)));
            return ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"]).Children
                .Cast<YamlMappingNode>()
                .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>())
                .Where(r => r.Children.ContainsKey("alert"))
                .Select(r => ((YamlMappingNode)r[section]).Children.ToDictionary(l => ((YamlScalarNode)l.Key).Value!, l => ((YamlScalarNode)l.Value).Value!))
                .ToList();
        }
    }
}
