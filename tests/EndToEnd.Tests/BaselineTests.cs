using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// Adopting the analyzers on existing code with a baseline, as a team would: the packed analyzers in a consumer web
    /// project with today's violations, the packed tool writing operability.baseline.json from the build's SARIF log,
    /// and the real 'dotnet build' in CI mode suppressing exactly those, failing on a new one and reporting an entry
    /// whose violation was fixed.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class BaselineTests
    {
        private static readonly Dictionary<string, string> CiBuild = new() { ["CI"] = "true" };
        private static readonly Dictionary<string, string> LocalBuild = new();

        private readonly PackageFeedFixture _feed;

        public BaselineTests(PackageFeedFixture feed) => _feed = feed;

        private const string Fetch = "    public static Task<string> Fetch(string url) => new HttpClient().GetStringAsync(url);\n";
        private const string FetchFixed = "    public static Task<string> Fetch(string url) => new HttpClient { Timeout = TimeSpan.FromSeconds(5) }.GetStringAsync(url);\n";
        private const string Extra = "    public static Task<string> Extra(string url)\n    {\n        var extra = new HttpClient();\n        return extra.GetStringAsync(url);\n    }\n\n";

        private static string Clients(string fetch, string extra = "") =>
            "namespace Shop.Api;\n\npublic static class Clients\n{\n" + extra + fetch + "\n"
            + "    public static async Task<string> Both(string url)\n    {\n        var first = new HttpClient();\n        return await first.GetStringAsync(url);\n    }\n}\n";

        [Fact]
        public void Baseline_SuppressesTodaysViolationsInCi_FailsOnANewOne_AndReportsAFixedOne()
        {
            using var folder = CliToolTests.InstallTool();
            WriteProject(folder);

            // 1. Today's code fails CI: two clients without a timeout, and a runbook the manifest names but nobody wrote.
            var before = Build(folder, CiBuild);
            Assert.True(before.ExitCode != 0, before.ToString());
            Assert.Equal(new[] { "OPS101 error", "OPS101 error", "OPS305 error" }, Results(folder).Select(r => r.Rule + " " + r.Level).OrderBy(x => x, StringComparer.Ordinal));

            // 2. The tool writes those to the baseline from the failed build's log.
            var write = CliToolTests.Tool(folder, "operability", "baseline", "write", "ops.sarif");
            Assert.True(write.ExitCode == 0, write.ToString());
            Assert.Contains("Wrote 3 entries to " + Path.Combine(folder.Path, "operability.baseline.json") + " (0 kept, 3 added, 0 removed).", write.Output, StringComparison.Ordinal);
            using (var baseline = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "operability.baseline.json"))))
            {
                Assert.Equal(
                    new[] { "OPS101 Clients.cs Shop.Api.Clients.Both(string) new HttpClient()", "OPS101 Clients.cs Shop.Api.Clients.Fetch(string) new HttpClient()", "OPS305 operability.json  \"RUNBOOK.md\"" },
                    baseline.RootElement.GetProperty("entries").EnumerateArray()
                        .Select(e => e.GetProperty("rule").GetString() + " " + e.GetProperty("file").GetString() + " " + e.GetProperty("member").GetString() + " " + e.GetProperty("expression").GetString()));
            }

            // 3. The same code now passes CI; SARIF shows each violation suppressed by the baseline, with the justification.
            var after = Build(folder, CiBuild);
            Assert.True(after.ExitCode == 0, after.ToString());
            Assert.DoesNotContain(" OPS", after.Output, StringComparison.Ordinal);
            var suppressed = Results(folder);
            Assert.Equal(6, suppressed.Count);
            Assert.All(suppressed, r => Assert.NotNull(r.Suppression));
            foreach (var (rule, suppression) in suppressed.Where(r => r.Rule != "OPS901").Select(r => (r.Rule, r.Suppression!)))
            {
                Assert.Contains("Suppression Id: OPSB" + rule.Substring(3) + ", Suppression Justification: Listed in the project's operability baseline (operability.baseline.json)", suppression, StringComparison.Ordinal);
            }

            // 4. A new violation above the old ones (which move down two lines and still match) fails CI on its own line.
            folder.Write("Clients.cs", Clients(Fetch, Extra));
            var added = Build(folder, CiBuild);
            Assert.True(added.ExitCode != 0, added.ToString());
            var errors = added.Lines.Where(line => line.Contains(" error OPS", StringComparison.Ordinal)).Distinct().ToList();
            var error = Assert.Single(errors);
            Assert.Contains("Clients.cs(7,21): error OPS101: 'extra' is created without a Timeout", error, StringComparison.Ordinal);

            // 5. Fixing an old violation leaves its entry matching nothing: reported at the entry, so the baseline shrinks.
            folder.Write("Clients.cs", Clients(FetchFixed));
            var fixedOne = Build(folder, LocalBuild);
            Assert.True(fixedOne.ExitCode == 0, fixedOne.ToString());
            var unmatched = fixedOne.Lines.Where(line => line.Contains("OPS901", StringComparison.Ordinal)).Distinct().ToList();
            Assert.Contains(
                "operability.baseline.json(12,5): warning OPS901: Baseline entry OPS101 in 'Clients.cs', Shop.Api.Clients.Fetch(string): 'new HttpClient()' matches no diagnostic any more; remove it from operability.baseline.json",
                Assert.Single(unmatched),
                StringComparison.Ordinal);
            Assert.True(Build(folder, CiBuild).ExitCode != 0, "in CI an entry to remove fails the build");

            // 6. Rewriting the baseline drops the entry and keeps the others; CI passes again.
            var rewrite = CliToolTests.Tool(folder, "operability", "baseline", "write", "ops.sarif");
            Assert.True(rewrite.ExitCode == 0, rewrite.ToString());
            Assert.Contains("(2 kept, 0 added, 1 removed)", rewrite.Output, StringComparison.Ordinal);
            var clean = Build(folder, CiBuild);
            Assert.True(clean.ExitCode == 0, clean.ToString());
        }

        [Fact]
        public void Baseline_WithOptOutProperty_IsNotHandedToTheAnalyzers()
        {
            using var folder = new ScratchFolder("baseline-opt-out");
            WriteProject(folder, "<OperabilityBaseline>false</OperabilityBaseline>");
            folder.Write("operability.baseline.json", """
                {
                  "version": 1,
                  "entries": [
                    { "rule": "OPS305", "file": "operability.json", "member": "", "expression": "\"RUNBOOK.md\"", "occurrence": 0, "justification": "written next sprint" }
                  ]
                }
                """);

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("operability.json(7,14): error OPS305", StringComparison.Ordinal));
        }

        private void WriteProject(ScratchFolder folder, string extraProperties = "")
        {
            folder.Write("Shop.Api.csproj", AnalyzerPackageTests.WebProjectFile(_feed.AnalyzersVersion, "<ErrorLog>ops.sarif,version=2.1</ErrorLog>" + extraProperties));
            // The runbook the manifest names is not written: OPS305, reported inside operability.json.
            folder.Write("operability.json", """
                {
                  "service": "shop-api",
                  "owner": "team-shop",
                  "contacts": { "onCall": "https://oncall.example/shop", "chat": "#team-shop" },
                  "availability": { "target": 99.9, "financialExposurePerHour": 810000 },
                  "deployment": { "featureDemand": "very-high" },
                  "runbook": "RUNBOOK.md"
                }
                """);
            folder.Write("Program.cs", "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddHealthChecks();\nvar app = builder.Build();\napp.MapHealthChecks(\"/health\");\napp.MapGet(\"/\", () => Shop.Api.Clients.Fetch(\"http://127.0.0.1:9/\"));\napp.Run();\n");
            folder.Write("Clients.cs", Clients(Fetch));
        }

        private static ProcessResult Build(ScratchFolder folder, Dictionary<string, string> environment) =>
            Dotnet.Run(folder.Path, environment, "build", "-nologo");

        private static List<(string Rule, string Level, string? Suppression)> Results(ScratchFolder folder)
        {
            using var log = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "ops.sarif")));
            return log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("OPS", StringComparison.Ordinal))
                .Select(r => (
                    r.GetProperty("ruleId").GetString()!,
                    r.GetProperty("level").GetString()!,
                    r.TryGetProperty("suppressions", out var s) ? s[0].GetProperty("properties").GetProperty("suppressionType").GetString() : null))
                .ToList();
        }
    }
}
