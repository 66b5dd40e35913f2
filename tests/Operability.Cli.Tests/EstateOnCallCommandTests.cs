using System.Linq;
using System.Text.Json;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class EstateOnCallCommandTests
    {
        private static JsonElement Schedule(CliResult result, string id) =>
            result.Json.GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

        private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

        [Fact]
        public void OnCall_SampleEstate_TeamSchedulesForHighTargets_DomainSchedulesForTheNinetyNineServices_AndTheLoneTeamDomain()
        {
            CliResult result = Cli.Run("estate", "on-call", Cli.SampleEstate, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("team", Schedule(result, "team-orders").GetProperty("kind").GetString());
            Assert.Equal("team", Schedule(result, "team-payments").GetProperty("kind").GetString());
            Assert.Equal("team", Schedule(result, "team-stock").GetProperty("kind").GetString());
            JsonElement fulfilment = Schedule(result, "fulfilment");
            Assert.Equal("domain", fulfilment.GetProperty("kind").GetString());
            Assert.Equal(new[] { "team-dispatch", "team-integration" }, Strings(fulfilment.GetProperty("teams")));
            Assert.Equal(new[] { "carrier-gateway", "dispatch" }, Strings(fulfilment.GetProperty("services")));
            Assert.Equal(5, result.Json.GetProperty("outOfHoursSchedules").GetInt32());
            Assert.Equal(6, result.Json.GetProperty("naiveSchedules").GetInt32());
            JsonElement reporting = Schedule(result, "reporting");
            Assert.Equal("domain", reporting.GetProperty("kind").GetString());
            Assert.Equal(new[] { "order-reports" }, Strings(reporting.GetProperty("services")));
            JsonElement lonely = Assert.Single(result.Json.GetProperty("domainsWithOneTeam").EnumerateArray());
            Assert.Equal("reporting", lonely.GetProperty("domain").GetString());
            Assert.Equal("team-insights", lonely.GetProperty("team").GetString());
            Assert.False(result.Json.TryGetProperty("standbyCostPerWeek", out _));
        }

        [Fact]
        public void OnCall_SiblingTeamsShareADomainSchedule_FewerSchedulesThanOnePerTeam_AndTheirCost()
        {
            using var estate = new TempEstate();
            estate.Write("policy.json", "{ \"standbyCostPerWeek\": 1000, \"currency\": \"GBP\" }");
            estate.Manifest("s/a", "a", "team-a", "99.0", ",\n  \"productDomain\": \"checkout\"");
            estate.Manifest("s/b", "b", "team-b", "99.5", ",\n  \"productDomain\": \"checkout\"");
            estate.Manifest("s/c", "c", "team-c", "99.9", ",\n  \"productDomain\": \"checkout\"");
            estate.Manifest("s/d", "d", "team-c", "99.0", ",\n  \"productDomain\": \"checkout\"");
            estate.Manifest("s/e", "e", "team-e", "95.0");

            CliResult result = Cli.Run("estate", "on-call", System.IO.Path.Combine(estate.Path, "s"), "--policy", System.IO.Path.Combine(estate.Path, "policy.json"), "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(new[] { "team-a", "team-b" }, Strings(Schedule(result, "checkout").GetProperty("teams")));
            Assert.Equal(new[] { "c", "d" }, Strings(Schedule(result, "team-c").GetProperty("services")));
            Assert.Equal(new[] { "e" }, Strings(result.Json.GetProperty("noOutOfHours")));
            Assert.Equal(2, result.Json.GetProperty("outOfHoursSchedules").GetInt32());
            Assert.Equal(3, result.Json.GetProperty("naiveSchedules").GetInt32());
            Assert.Equal(2000m, result.Json.GetProperty("standbyCostPerWeek").GetDecimal());
            Assert.Equal(3000m, result.Json.GetProperty("naiveStandbyCostPerWeek").GetDecimal());
            Assert.Equal(1000m, Schedule(result, "checkout").GetProperty("standbyCostPerWeek").GetDecimal());
            Assert.Empty(result.Json.GetProperty("domainsWithOneTeam").EnumerateArray());
        }

        [Fact]
        public void OnCall_SamplePolicy_TeamWithARotaUnderThree_IsShown()
        {
            CliResult result = Cli.Run("estate", "on-call", Cli.SampleEstate, "--policy", Cli.SamplePolicy);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("team 'team-insights' has 0 on its out-of-hours rota; a sustainable rota needs 3 or more", result.Output);
            Assert.Contains("standby cost a week: 6,000 GBP (one per team: 7,200 GBP)", result.Output);
        }

        [Fact]
        public void OnCall_ServiceWithoutOwner_IsSkippedWithAWarning_AndBadInputStillExitsThree()
        {
            using var estate = new TempEstate();
            estate.Write("a/operability.json", "{ \"service\": \"a\", \"availability\": { \"target\": 99.9 } }");
            estate.Write("b/operability.json", "[");
            estate.Manifest("c", "c", "team-c");

            CliResult result = Cli.Run("estate", "on-call", estate.Path, "--format", "markdown");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("warning: not placed on a schedule: no single owner", result.Error);
            Assert.Contains("| team-c | team | team-c | c |", result.Output);
        }
    }
}
