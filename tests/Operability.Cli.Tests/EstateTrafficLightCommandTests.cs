using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class EstateTrafficLightCommandTests
    {
        /// <summary>
        /// Five services, one of each case: green (daily), amber (the policy's "0.75 per week" for medium demand, the
        /// target below 99.9% breaks the tie), red for a foundational system, red with the low-targets warning sign,
        /// and one with no deployment target (not judged).
        /// </summary>
        internal static TempEstate SmallEstate(out string policy)
        {
            var estate = new TempEstate();
            policy = estate.Write("policy.json", """
                {
                  "featureDemandBands": [
                    { "featureDemand": "low", "deployment": "monthly" },
                    { "featureDemand": "medium", "deployment": "0.75 per week" },
                    { "featureDemand": "high", "deployment": "weekly" },
                    { "featureDemand": "very-high", "deployment": "daily" }
                  ]
                }
                """);
            estate.Manifest("s/a-shop", "shop", "team-a", "99.9", ",\n  \"productDomain\": \"retail\",\n  \"deployment\": { \"target\": \"daily\" }");
            estate.Manifest("s/b-pricing", "pricing", "team-a", "99.5", ",\n  \"productDomain\": \"retail\",\n  \"deployment\": { \"featureDemand\": \"medium\" }");
            estate.Manifest("s/c-ledger", "ledger", "team-b", "99.0", ",\n  \"foundational\": true,\n  \"deployment\": { \"target\": \"fortnightly\" }");
            estate.Manifest("s/d-archive", "archive", "team-b", "95.0", ",\n  \"deployment\": { \"target\": \"monthly\" }");
            estate.Manifest("s/e-legacy", "legacy", "team-c", "95.0");
            return estate;
        }

        [Fact]
        public void TrafficLight_SmallEstate_Text_IsEveryServiceWithItsLightModelAndReason_ThenTheTotals()
        {
            using TempEstate estate = SmallEstate(out string policy);

            CliResult result = Cli.Run("estate", "traffic-light", Path.Combine(estate.Path, "s"), "--policy", policy);

            Assert.True(result.ExitCode == 0, result.ToString());
            string legacy = Path.Combine(estate.Path, "s", "e-legacy", "operability.json");
            Assert.Equal(
                "green  shop     99.9%   daily          You Build It You Run It  Deploying daily is weekly or more often: green. Deploying weekly or more often needs the team that builds the service to run it.\n"
                + "amber  pricing  99.5%   0.75 per week  Ops Run It               Deploying 0.75 per week is between fortnightly and weekly: amber, and the availability target breaks the tie. Deploying between fortnightly and weekly with a target below 99.9% can be supported by an operations team.\n"
                + "red    ledger   99%     fortnightly    Ops Run It               Deploying fortnightly is fortnightly or less often: red. A foundational system with a target below 99.99% can be run by an operations team.\n"
                + "red    archive  95%     monthly        Ops Run It               Deploying monthly is fortnightly or less often: red. Deploying monthly can be supported by an operations team. Warning sign: A low availability target with monthly deployments is a warning sign: check the right thing is being built.\n"
                + "not judged: " + legacy + ": no deployment target (deployment.target, or deployment.featureDemand)\n"
                + "\n"
                + "green 1, amber 1, red 2, not judged 1 (5 service(s))\n",
                result.Output.Replace("\r\n", "\n"));
            Assert.Contains(legacy + ": warning: not on the traffic light: no deployment target", result.Error);
        }

        [Fact]
        public void TrafficLight_SmallEstate_Markdown_IsTheTotalsAndATable()
        {
            using TempEstate estate = SmallEstate(out string policy);

            CliResult result = Cli.Run("estate", "traffic-light", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "markdown");

            Assert.True(result.ExitCode == 0, result.ToString());
            string legacy = Path.Combine(estate.Path, "s", "e-legacy", "operability.json");
            Assert.Equal(
                "## Traffic light\n\n"
                + "green 1, amber 1, red 2, not judged 1 (5 service(s))\n\n"
                + "| light | service | owner | target | deployment | operating model | why |\n"
                + "|---|---|---|---|---|---|---|\n"
                + "| green | shop | team-a | 99.9% | daily | You Build It You Run It | Deploying daily is weekly or more often: green. Deploying weekly or more often needs the team that builds the service to run it. |\n"
                + "| amber | pricing | team-a | 99.5% | 0.75 per week | Ops Run It | Deploying 0.75 per week is between fortnightly and weekly: amber, and the availability target breaks the tie. Deploying between fortnightly and weekly with a target below 99.9% can be supported by an operations team. |\n"
                + "| red | ledger | team-b | 99% | fortnightly | Ops Run It | Deploying fortnightly is fortnightly or less often: red. A foundational system with a target below 99.99% can be run by an operations team. |\n"
                + "| red | archive | team-b | 95% | monthly | Ops Run It | Deploying monthly is fortnightly or less often: red. Deploying monthly can be supported by an operations team. Warning sign: A low availability target with monthly deployments is a warning sign: check the right thing is being built. |\n"
                + "\n"
                + "- not judged: `" + legacy + "`: no deployment target (deployment.target, or deployment.featureDemand)\n",
                result.Output.Replace("\r\n", "\n"));
        }

        [Fact]
        public void TrafficLight_Markdown_ServiceAndOwnerStayText_InAPageThatRendersHtml()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "<b>shop</b> | & more", "team<a>", "99.9", ",\n  \"deployment\": { \"target\": \"weekly\" }");

            CliResult result = Cli.Run("estate", "traffic-light", estate.Path, "--format", "markdown");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("| green | &lt;b&gt;shop&lt;/b&gt; \\| &amp; more | team&lt;a&gt; | 99.9% | weekly |", result.Output);
        }

        [Fact]
        public void TrafficLight_Json_HasTheDocumentedShape()
        {
            using TempEstate estate = SmallEstate(out string policy);

            CliResult result = Cli.Run("estate", "traffic-light", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement json = result.Json;
            Assert.Equal(new[] { "services", "totals", "notJudged" }, json.EnumerateObject().Select(p => p.Name));
            JsonElement totals = json.GetProperty("totals");
            Assert.Equal(new[] { "green", "amber", "red", "notJudged" }, totals.EnumerateObject().Select(p => p.Name));
            Assert.Equal(new[] { 1, 1, 2, 1 }, totals.EnumerateObject().Select(p => p.Value.GetInt32()));
            Assert.Equal(new[] { "shop", "pricing", "ledger", "archive" }, json.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()));

            JsonElement pricing = json.GetProperty("services")[1];
            Assert.Equal(
                new[] { "service", "owner", "productDomain", "source", "availabilityTarget", "deploymentTarget", "foundational", "trafficLight", "trafficLightReason", "operatingModel", "operatingModelReason", "warningSign" },
                pricing.EnumerateObject().Select(p => p.Name));
            Assert.Equal("team-a", pricing.GetProperty("owner").GetString());
            Assert.Equal("retail", pricing.GetProperty("productDomain").GetString());
            Assert.Equal(Path.Combine(estate.Path, "s", "b-pricing", "operability.json"), pricing.GetProperty("source").GetString());
            Assert.Equal(99.5m, pricing.GetProperty("availabilityTarget").GetDecimal());
            Assert.Equal("0.75 per week", pricing.GetProperty("deploymentTarget").GetString());
            Assert.False(pricing.GetProperty("foundational").GetBoolean());
            Assert.Equal("amber", pricing.GetProperty("trafficLight").GetString());
            Assert.Equal("ops-run-it", pricing.GetProperty("operatingModel").GetString());
            Assert.Equal(JsonValueKind.Null, pricing.GetProperty("warningSign").ValueKind);

            JsonElement ledger = json.GetProperty("services")[2];
            Assert.True(ledger.GetProperty("foundational").GetBoolean());
            Assert.Equal(JsonValueKind.Null, ledger.GetProperty("productDomain").ValueKind);
            Assert.Equal("you-build-it-you-run-it", json.GetProperty("services")[0].GetProperty("operatingModel").GetString());
            Assert.StartsWith("A low availability target", json.GetProperty("services")[3].GetProperty("warningSign").GetString());

            JsonElement notJudged = Assert.Single(json.GetProperty("notJudged").EnumerateArray());
            Assert.Equal(Path.Combine(estate.Path, "s", "e-legacy", "operability.json"), notJudged.GetProperty("source").GetString());
            Assert.Equal("no deployment target (deployment.target, or deployment.featureDemand)", notJudged.GetProperty("reason").GetString());
        }

        [Fact]
        public void TrafficLight_PlaybookDefaults_WithoutPolicy_ReadFeatureDemandAsThePlaybooksBands()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "reports", "team-a", "99.5", ",\n  \"deployment\": { \"featureDemand\": \"medium\" }");

            CliResult result = Cli.Run("estate", "traffic-light", estate.Path, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement reports = Assert.Single(result.Json.GetProperty("services").EnumerateArray());
            Assert.Equal("fortnightly", reports.GetProperty("deploymentTarget").GetString());
            Assert.Equal("red", reports.GetProperty("trafficLight").GetString());
        }

        [Fact]
        public void TrafficLight_MalformedAndMissingInputs_AreReportedWithTheirPaths_TheRestIsStillLit_AndExitIsThree()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "shop", "team-a", "99.9", ",\n  \"deployment\": { \"target\": \"weekly\" }");
            string broken = estate.Write("b/operability.json", "{\n  \"service\": \"half\",\n  \"owner\": [\n");
            string missing = Path.Combine(estate.Path, "nowhere");

            CliResult result = Cli.Run("estate", "traffic-light", estate.Path, missing, "--format", "json");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(broken + ":", result.Error);
            Assert.Contains(": error: ", result.Error);
            Assert.Contains(missing + ": error: no such file or folder", result.Error);
            JsonElement shop = Assert.Single(result.Json.GetProperty("services").EnumerateArray());
            Assert.Equal("green", shop.GetProperty("trafficLight").GetString());
        }

        [Fact]
        public void TrafficLight_FolderWithNoManifests_ExitsFour_AndStillWritesTheTotals()
        {
            using var estate = new TempEstate();
            Directory.CreateDirectory(Path.Combine(estate.Path, "empty"));

            CliResult result = Cli.Run("estate", "traffic-light", Path.Combine(estate.Path, "empty"));

            Assert.Equal(4, result.ExitCode);
            Assert.Contains("no operability.json under this folder", result.Error);
            Assert.Equal("\ngreen 0, amber 0, red 0, not judged 0 (0 service(s))\n", result.Output.Replace("\r\n", "\n"));
        }

        [Fact]
        public void TrafficLight_MalformedPolicy_ExitsThree_AndJudgesNothing()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "shop", "team-a", "99.9", ",\n  \"deployment\": { \"target\": \"weekly\" }");
            string policy = estate.Write("policy.json", "{ \"featureDemandBands\": 3 }");

            CliResult result = Cli.Run("estate", "traffic-light", Path.Combine(estate.Path, "a"), "--policy", policy);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(policy + ":", result.Error);
            Assert.Contains("the organisation policy is malformed", result.Error);
            Assert.Equal(string.Empty, result.Output);
        }

        [Theory]
        [InlineData("--format", "sarif")]
        [InlineData("--colour")]
        public void TrafficLight_BadArguments_AreUsageErrors(params string[] arguments)
        {
            using var estate = new TempEstate();

            CliResult result = Cli.Run(["estate", "traffic-light", estate.Path, .. arguments]);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("dotnet operability estate traffic-light --help", result.Error);
        }

        [Theory]
        [InlineData("traffic-light")]
        [InlineData("report")]
        public void Help_TrafficLightAndReport_ShowAnExample(string command)
        {
            CliResult result = Cli.Run("estate", command, "--help");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Example:\n  dotnet operability estate " + command + " services/", result.Output.Replace("\r", string.Empty).Replace("\n    ", "\n  "));
        }
    }
}
