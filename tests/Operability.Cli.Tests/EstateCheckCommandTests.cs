using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class EstateCheckCommandTests
    {
        private static string[] Rules(CliResult result) =>
            result.Json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()!).ToArray();

        [Fact]
        public void Check_SampleEstate_HasNoErrors()
        {
            CliResult result = Cli.Run("estate", "check", Cli.SampleEstate, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(6, result.Json.GetProperty("manifests").GetInt32());
            Assert.Equal(0, result.Json.GetProperty("errors").GetInt32());
        }

        [Fact]
        public void Check_SampleEstateWithTheProposedService_ReportsStockDbClaimedTwice_AtTheProposal()
        {
            string proposed = Path.Combine(Cli.RepositoryRoot, "samples", "estate-proposed");

            CliResult result = Cli.Run("estate", "check", Cli.SampleEstate, proposed, "--policy", Cli.SamplePolicy, "--format", "json");

            Assert.Equal(1, result.ExitCode);
            Assert.Equal(7, result.Json.GetProperty("manifests").GetInt32());
            JsonElement finding = Assert.Single(result.Json.GetProperty("findings").EnumerateArray());
            Assert.Equal("database-claimed-twice", finding.GetProperty("rule").GetString());
            Assert.Equal(Path.Combine(proposed, "stock-audit", "operability.json"), finding.GetProperty("path").GetString());
            Assert.Equal(11, finding.GetProperty("line").GetInt32());
            Assert.Contains("'stock-db' is claimed by service 'stock-audit'", finding.GetProperty("message").GetString());
            Assert.Contains("by service 'stock'", finding.GetProperty("message").GetString());
        }

        [Fact]
        public void Check_SampleEstate_JudgesTargetsByThePolicysBands_NotThePlaybooks()
        {
            // orders declares 99.99 for 810,000 an hour: the sample organisation's bands select it, the playbook's select 99.9.
            string orders = Path.Combine(Cli.SampleEstate, "orders", "operability.json") + ":9:31: warning availability-mismatch:";

            CliResult withPolicy = Cli.Run("estate", "check", Cli.SampleEstate, "--policy", Cli.SamplePolicy);
            CliResult withoutPolicy = Cli.Run("estate", "check", Cli.SampleEstate);

            Assert.True(withPolicy.ExitCode == 0, withPolicy.ToString());
            Assert.DoesNotContain("availability-mismatch", withPolicy.Output);
            Assert.True(withoutPolicy.ExitCode == 0, withoutPolicy.ToString());
            Assert.Contains(orders, withoutPolicy.Output);
            Assert.Contains("selects 99.9 with the default exposure bands", withoutPolicy.Output);
        }

        [Fact]
        public void Check_SeveralOwners_IsAnErrorAtTheOwner()
        {
            using var estate = new TempEstate();
            string path = estate.Write("a/operability.json", "{\n  \"service\": \"a\",\n  \"owner\": [\"team-a\", \"team-b\"],\n  \"availability\": { \"target\": 99.0 }\n}");

            CliResult result = Cli.Run("estate", "check", estate.Path);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(path + ":3:12: error owner:", result.Output);
        }

        [Fact]
        public void Check_OwnerThePolicyDoesNotList_IsAnError()
        {
            using var estate = new TempEstate();
            string path = estate.Manifest("a", "a", "team-unknown");

            CliResult result = Cli.Run("estate", "check", estate.Path, "--policy", Cli.SamplePolicy, "--format", "json");

            Assert.Equal(1, result.ExitCode);
            JsonElement finding = result.Json.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "unknown-owner");
            Assert.Equal(path, finding.GetProperty("path").GetString());
            Assert.Equal(3, finding.GetProperty("line").GetInt32());
            Assert.Contains("team-orders, team-payments, team-stock, team-dispatch, team-integration, team-insights", finding.GetProperty("message").GetString());
        }

        [Fact]
        public void Check_OwnerWithoutPolicyTeams_IsAccepted()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-unknown");

            Assert.Equal(0, Cli.Run("estate", "check", estate.Path).ExitCode);
        }

        [Fact]
        public void Check_DatabaseClaimedByTwoServices_IsAnErrorAtTheSecondClaim()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-a", extra: ",\n  \"databases\": [ { \"name\": \"shared-db\" } ]");
            string second = estate.Manifest("b", "b", "team-b", extra: ",\n  \"databases\": [ { \"name\": \"shared-db\" } ]");

            CliResult result = Cli.Run("estate", "check", estate.Path);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(second + ":5:28: error database-claimed-twice: Database 'shared-db' is claimed by service 'b'", result.Output);
        }

        [Fact]
        public void Check_DuplicateServiceName_IsAnError()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-a");
            string second = estate.Manifest("b", "orders", "team-a");

            CliResult result = Cli.Run("estate", "check", estate.Path);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(second + ":2:14: error duplicate-service: Service 'orders' is declared in", result.Output);
        }

        [Fact]
        public void Check_MalformedJson_IsUnreadableInput_AndTheRestIsStillChecked()
        {
            using var estate = new TempEstate();
            string broken = estate.Write("a/operability.json", "{\n  \"service\": \"a\",,\n}");
            string owners = estate.Write("b/operability.json", "{ \"service\": \"b\", \"availability\": { \"target\": 99.0 } }");

            CliResult result = Cli.Run("estate", "check", estate.Path, "--format", "json");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(broken + ":2:", result.Error);
            string[] rules = Rules(result);
            Assert.Contains("manifest-syntax", rules);
            Assert.Contains("owner", rules);
            Assert.Contains(owners, result.Output);
        }

        [Fact]
        public void Check_InvalidValue_FailsValidationAtItsPosition()
        {
            using var estate = new TempEstate();
            string path = estate.Manifest("a", "a", "team-a", target: "\"often\"");

            CliResult result = Cli.Run("estate", "check", estate.Path);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(path + ":4:31: error manifest-invalid:", result.Output);
        }

        [Fact]
        public void Check_FolderWithNoManifests_HasItsOwnExitCode()
        {
            using var estate = new TempEstate();
            estate.Write("readme.txt", "nothing here");

            CliResult result = Cli.Run("estate", "check", estate.Path);

            Assert.Equal(4, result.ExitCode);
            Assert.Contains(estate.Path + ": error: no operability.json under this folder", result.Error);
        }

        [Fact]
        public void Check_MissingPath_IsUnreadable_AndOtherPathsAreStillChecked()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-a");

            CliResult result = Cli.Run("estate", "check", "/no/such/folder", estate.Path, "--format", "json");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("/no/such/folder: error: no such file or folder", result.Error);
            Assert.Equal(1, result.Json.GetProperty("manifests").GetInt32());
        }

        [Fact]
        public void Check_SkipsBuildOutputDependenciesAndGit()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-a");
            foreach (string skipped in new[] { "a/bin/Release", "a/obj", "node_modules/x", ".git/y" })
            {
                estate.Manifest(skipped, "a", "team-a");
            }

            CliResult result = Cli.Run("estate", "check", estate.Path, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(1, result.Json.GetProperty("manifests").GetInt32());
        }

        [Fact]
        public void Check_ExportedCatalogue_ChecksEveryEntryAtItsPositionInTheFile()
        {
            using var estate = new TempEstate();
            string catalogue = estate.Write("estate.json", "{ \"services\": [\n  { \"service\": \"a\", \"owner\": \"team-a\", \"availability\": { \"target\": 99.0 } },\n  { \"service\": \"a\", \"owner\": \"team-b\", \"availability\": { \"target\": 99.0 } }\n] }");

            CliResult result = Cli.Run("estate", "check", catalogue);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(catalogue + ":3:16: error duplicate-service:", result.Output);
            Assert.Contains("2 manifest(s) from 1 file(s)", result.Output);
        }

        [Fact]
        public void Check_Markdown_IsASummaryAndATableOfFindings()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders", "team-a");
            estate.Manifest("b", "orders", "team-a");

            CliResult result = Cli.Run("estate", "check", estate.Path, "--format", "markdown");

            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith("## Estate check\n\n1 error(s), 0 warning(s) in 2 manifest(s) from 2 file(s)\n", result.Output.Replace("\r", string.Empty));
            Assert.Contains("| error | duplicate-service | `", result.Output);
        }

        [Fact]
        public void Check_LongScanOnATerminal_ShowsProgressOnStderr_AndClearsIt()
        {
            using var estate = new TempEstate();
            for (int i = 0; i < 200; i++)
            {
                estate.Manifest("s" + i, "s" + i, "team-a");
            }

            CliResult quiet = Cli.Run("estate", "check", estate.Path, "--format", "json");
            CliResult terminal = Cli.Run(showProgress: true, "estate", "check", estate.Path, "--format", "json");

            Assert.Equal(0, terminal.ExitCode);
            Assert.Empty(quiet.Error);
            Assert.Contains("\rread 100 manifest file(s)…", terminal.Error);
            Assert.Contains("\rread 200 manifest file(s)…", terminal.Error);
            Assert.EndsWith("\r", terminal.Error);
            Assert.Equal(200, terminal.Json.GetProperty("manifests").GetInt32());
        }

        [Fact]
        public void Check_UnknownOption_IsAUsageError()
        {
            CliResult result = Cli.Run("estate", "check", "--bogus", Cli.SampleEstate);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Unknown option '--bogus'", result.Error);
        }

        [Fact]
        public void Check_Sarif_IsOneRunWithRulesAndLocatedResults()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-a", extra: ",\n  \"databases\": [ { \"name\": \"shared-db\" } ]");
            estate.Manifest("b", "b", "team-b", extra: ",\n  \"databases\": [ { \"name\": \"shared-db\" } ]");
            estate.Write("c/operability.json", "{ not json");

            CliResult result = Cli.Run("estate", "check", estate.Path, "--format", "sarif");

            Assert.Equal(3, result.ExitCode);
            JsonElement sarif = result.Json;
            Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
            Assert.Contains("sarif-2.1.0", sarif.GetProperty("$schema").GetString());
            JsonElement run = Assert.Single(sarif.GetProperty("runs").EnumerateArray());
            JsonElement driver = run.GetProperty("tool").GetProperty("driver");
            Assert.Equal("dotnet-operability", driver.GetProperty("name").GetString());
            JsonElement[] rules = driver.GetProperty("rules").EnumerateArray().ToArray();
            Assert.All(rules, rule =>
            {
                Assert.False(string.IsNullOrEmpty(rule.GetProperty("id").GetString()));
                Assert.False(string.IsNullOrEmpty(rule.GetProperty("help").GetProperty("text").GetString()));
                Assert.StartsWith("https://", rule.GetProperty("helpUri").GetString());
                Assert.Contains(rule.GetProperty("defaultConfiguration").GetProperty("level").GetString(), new[] { "error", "warning" });
            });
            JsonElement[] results = run.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(new[] { "database-claimed-twice", "manifest-syntax" }, results.Select(r => r.GetProperty("ruleId").GetString()).OrderBy(x => x).ToArray());
            Assert.All(results, r =>
            {
                Assert.Equal(r.GetProperty("ruleId").GetString(), rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
                Assert.False(string.IsNullOrEmpty(r.GetProperty("message").GetProperty("text").GetString()));
                JsonElement physical = Assert.Single(r.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
                string uri = physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
                Assert.EndsWith("/operability.json", uri);
                Assert.True(physical.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
                Assert.True(physical.GetProperty("region").GetProperty("startColumn").GetInt32() >= 1);
            });
        }
    }
}
