using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The packed dotnet-operability tool, installed from the local feed as a local tool (a tool manifest in a scratch
    /// folder) and run as 'dotnet operability' against the sample estate. In the consumer-builds collection so a stale
    /// copy of the tool in the private package cache is cleared before the first install.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed partial class CliToolTests
    {
        public CliToolTests(PackageFeedFixture feed) => _ = feed;

        /// <summary>
        /// Runs dotnet with a home of the folder's own: the local-tool resolver cache lives under the CLI home and
        /// remembers the package path of a tool version, so an earlier run's private package cache (another clone, a
        /// deleted folder) would otherwise be used for the same version and not be found.
        /// </summary>
        internal static ProcessResult Tool(ScratchFolder folder, params string[] arguments) =>
            Dotnet.Run(folder.Path, new System.Collections.Generic.Dictionary<string, string> { ["DOTNET_CLI_HOME"] = Path.Combine(folder.Path, ".dotnet-home") }, arguments);

        internal static ScratchFolder InstallTool()
        {
            var folder = new ScratchFolder("cli-tool");
            string version = Repository.PackageVersion("Operability.Cli");
            var manifest = Tool(folder, "new", "tool-manifest");
            Assert.True(manifest.ExitCode == 0, manifest.ToString());
            var install = Tool(folder, "tool", "install", "Operability.Cli", "--version", version);
            Assert.True(install.ExitCode == 0, install.ToString());
            return folder;
        }

        [Fact]
        public void LocalTool_OnTheSampleEstate_ChecksPlansOnCallAndExplainsASelection()
        {
            using var folder = InstallTool();
            string estate = Path.Combine(Repository.Root, "samples", "estate");
            string policy = Path.Combine(Repository.Root, "samples", "organisation", "operability.organisation.json");

            var check = Tool(folder, "operability", "estate", "check", estate, "--format", "json");
            Assert.True(check.ExitCode == 0, check.ToString());
            using (var json = JsonDocument.Parse(check.Output))
            {
                Assert.Equal(6, json.RootElement.GetProperty("manifests").GetInt32());
                Assert.Equal(0, json.RootElement.GetProperty("errors").GetInt32());
            }

            // orders' 99.99 is what the organisation's bands select for 810,000 an hour; the playbook's would select 99.9.
            var withoutPolicy = Tool(folder, "operability", "estate", "check", estate);
            Assert.Contains(Path.Combine(estate, "orders", "operability.json") + ":9:31: warning availability-mismatch:", withoutPolicy.Output);
            var withPolicy = Tool(folder, "operability", "estate", "check", estate, "--policy", policy);
            Assert.True(withPolicy.ExitCode == 0, withPolicy.ToString());
            Assert.DoesNotContain("availability-mismatch", withPolicy.Output);

            var onCall = Tool(folder, "operability", "estate", "on-call", estate, "--policy", policy);
            Assert.True(onCall.ExitCode == 0, onCall.ToString());
            Assert.Contains("standby cost a week: 6,000 GBP (one per team: 7,200 GBP)", onCall.Output);
            Assert.Contains("team 'team-insights' has 0 on its out-of-hours rota", onCall.Output);

            var select = Tool(folder, "tool", "run", "dotnet-operability", "select", "--financial-exposure", "810000", "--feature-demand", "very-high");
            Assert.True(select.ExitCode == 0, select.ToString());
            Assert.Contains(select.Lines, line => line.StartsWith("operating model") && line.Contains("You Build It You Run It"));
        }

        [Fact]
        public void LocalTool_OnTheSampleEstate_PutsEveryServiceOnTheTrafficLight_AndWritesTheReportPage()
        {
            using var folder = InstallTool();
            string estate = Path.Combine(Repository.Root, "samples", "estate");
            string policy = Path.Combine(Repository.Root, "samples", "organisation", "operability.organisation.json");

            var lights = Tool(folder, "operability", "estate", "traffic-light", estate, "--policy", policy, "--format", "json");
            Assert.True(lights.ExitCode == 0, lights.ToString());
            string json = lights.StandardOutput;
            using (var document = JsonDocument.Parse(json))
            {
                JsonElement[] services = document.RootElement.GetProperty("services").EnumerateArray().ToArray();
                JsonElement orders = services.Single(s => s.GetProperty("service").GetString() == "orders");
                Assert.Equal("green", orders.GetProperty("trafficLight").GetString());
                Assert.Equal("you-build-it-you-run-it", orders.GetProperty("operatingModel").GetString());
                JsonElement totals = document.RootElement.GetProperty("totals");
                int lit = totals.GetProperty("green").GetInt32() + totals.GetProperty("amber").GetInt32() + totals.GetProperty("red").GetInt32();
                Assert.Equal(services.Length, lit);
                Assert.All(services, s => Assert.Contains(s.GetProperty("trafficLight").GetString(), new[] { "green", "amber", "red" }));
            }

            // The report includes estate check, so it exits as estate check does on the same estate.
            var check = Tool(folder, "operability", "estate", "check", estate, "--policy", policy);
            string page = Path.Combine(folder.Path, "estate.html");
            var report = Tool(folder, "operability", "estate", "report", estate, "--policy", policy, "--format", "html", "--output", page);
            Assert.True(report.ExitCode == check.ExitCode, report.ToString());
            string html = File.ReadAllText(page);
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(html, "<table>").Count);
            Assert.Contains("<svg id=\"targets-chart\"", html);
            Assert.Contains("<td>orders</td>", html);
            Assert.DoesNotContain("<script", html);

            var markdown = Tool(folder, "operability", "estate", "report", estate, "--policy", policy);
            Assert.Contains("# Estate report", markdown.Output);
            Assert.Contains("## Traffic light", markdown.Output);

            var help = Tool(folder, "operability", "estate", "traffic-light", "--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("dotnet operability estate traffic-light services/", help.Output);
        }

        [Fact]
        public void LocalTool_BrokenManifestAndUsageErrors_HaveTheirExitCodes_AndSarifLocatesFindings()
        {
            using var folder = InstallTool();
            folder.Write("estate/a/operability.json", "{ \"service\": \"a\", \"owner\": \"team-a\", \"availability\": { \"target\": 99.9 }, \"databases\": [ { \"name\": \"db\" } ] }");
            folder.Write("estate/b/operability.json", "{ \"service\": \"b\", \"owner\": \"team-b\", \"availability\": { \"target\": 99.0 }, \"databases\": [ { \"name\": \"db\" } ] }");
            folder.Write("estate/c/operability.json", "{ \"service\": ");

            var sarif = Tool(folder, "operability", "estate", "check", "estate", "--format", "sarif");

            Assert.True(sarif.ExitCode == 3, sarif.ToString());
            string json = sarif.Output.Substring(sarif.Output.IndexOf('{'), sarif.Output.LastIndexOf('}') - sarif.Output.IndexOf('{') + 1);
            using var document = JsonDocument.Parse(json);
            JsonElement run = Assert.Single(document.RootElement.GetProperty("runs").EnumerateArray());
            var uris = run.GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString())
                .OrderBy(u => u)
                .ToArray();
            Assert.Equal(new[] { "estate/b/operability.json", "estate/c/operability.json" }, uris);

            var usage = Tool(folder, "operability", "select", "--financial-exposure", "-3");
            Assert.True(usage.ExitCode == 2, usage.ToString());
            Assert.Contains("--financial-exposure cannot be negative", usage.Output);
        }
    }
}
