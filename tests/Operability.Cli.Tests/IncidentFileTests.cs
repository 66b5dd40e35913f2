using System.Linq;
using System.Text.Json;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class IncidentFileTests
    {
        private const string Orders = "{ \"service\": \"orders\", \"owner\": \"team-orders\", \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 } }";

        [Fact]
        public void File_ClassifiesEachIncidentAndTotalsPerServiceTeamAndEstate()
        {
            using var estate = new TempEstate();
            estate.Write("services/orders/operability.json", Orders);
            string file = estate.Write("incidents.json", """
                [
                  { "id": "INC-1", "manifest": "services/orders/operability.json", "duration": "00:20:00" },
                  { "id": "INC-2", "manifest": "services/orders/operability.json", "loss": 34020 },
                  { "service": "search", "team": "team-search", "financialExposurePerHour": 1000, "availabilityTarget": 95, "loss": 10 }
                ]
                """);

            CliResult result = Cli.Run("incident", "--file", file, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement json = result.Json;
            Assert.Equal(new[] { "high", "medium", "low" }, json.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("severity").GetString()));
            Assert.Equal("team-orders", json.GetProperty("incidents")[0].GetProperty("team").GetString());
            JsonElement orders = json.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "orders");
            Assert.Equal(2, orders.GetProperty("incidents").GetInt32());
            Assert.Equal(304020m, orders.GetProperty("loss").GetDecimal());
            Assert.Equal(1, orders.GetProperty("high").GetInt32());
            Assert.Equal(1, orders.GetProperty("medium").GetInt32());
            JsonElement search = json.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("team").GetString() == "team-search");
            Assert.Equal(10m, search.GetProperty("loss").GetDecimal());
            Assert.Equal(new[] { "search" }, search.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
            JsonElement total = json.GetProperty("estate");
            Assert.Equal(3, total.GetProperty("incidents").GetInt32());
            Assert.Equal(304030m, total.GetProperty("loss").GetDecimal());
            Assert.Equal(1, total.GetProperty("low").GetInt32());
        }

        [Fact]
        public void File_BadEntries_AreReportedWithTheirPositionAndTheRestStillProcessed()
        {
            using var estate = new TempEstate();
            string file = estate.Write("incidents.json", "[\n"
                + "  { \"service\": \"a\", \"financialExposurePerHour\": 1000, \"loss\": 5 },\n"
                + "  { \"service\": \"b\", \"financialExposurePerHour\": -1, \"loss\": 5 },\n"
                + "  { \"service\": \"c\", \"financialExposurePerHour\": 1000, \"duration\": \"ten minutes\" },\n"
                + "  { \"service\": \"d\", \"financialExposurePerHour\": 1000 },\n"
                + "  { \"service\": \"e\", \"financialExposurePerHour\": 1000, \"los\": 5 },\n"
                + "  7,\n"
                + "  { \"service\": \"f\", \"manifest\": \"missing/operability.json\", \"loss\": 1 },\n"
                + "  { \"service\": \"g\", \"financialExposurePerHour\": 1000, \"duration\": \"0:01:00\" }\n"
                + "]\n");

            CliResult result = Cli.Run("incident", "--file", file, "--format", "json");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(file + ":3:49: error: [1] 'financialExposurePerHour' must be a number from 0 to 10^15", result.Error);
            Assert.Contains(file + ":4:67: error: [2] 'duration' must be \"hh:mm:ss\" or \"d.hh:mm:ss\", zero or more, but was \"ten minutes\"", result.Error);
            Assert.Contains(file + ":5:3: error: [3] give exactly one of 'duration'", result.Error);
            Assert.Contains(file + ":6:55: error: [4] 'los' is not a property of an incident", result.Error);
            Assert.Contains(file + ":7:3: error: [5] an incident is an object but this is a number", result.Error);
            Assert.Contains(file + ":8:33: error: [6] ", result.Error);
            Assert.Contains("missing/operability.json cannot be read", result.Error);
            Assert.Equal(new[] { "a", "g" }, result.Json.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("service").GetString()));
            Assert.Equal(new[] { 0, 7 }, result.Json.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("index").GetInt32()));
            Assert.Equal(6, result.Json.GetProperty("problems").GetInt32());
        }

        [Fact]
        public void File_NotJson_IsUnreadableInputWithPosition()
        {
            using var estate = new TempEstate();
            string file = estate.Write("incidents.json", "[\n  { \"service\": }\n]");

            CliResult result = Cli.Run("incident", "--file", file);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(file + ":2:", result.Error);
        }

        [Fact]
        public void File_AnObjectInsteadOfAnArray_IsUnreadableInput()
        {
            using var estate = new TempEstate();
            string file = estate.Write("incidents.json", "{ \"service\": \"a\" }");

            CliResult result = Cli.Run("incident", "--file", file);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(file + ":1:1: error: an incidents file is a JSON array of incidents but this is an object", result.Error);
        }

        [Fact]
        public void File_WithFlagsOfOneIncident_IsAUsageError()
        {
            CliResult result = Cli.Run("incident", "--file", "incidents.json", "--loss", "5");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--file gives every incident its own values; leave out --loss", result.Error);
        }

        [Fact]
        public void File_Text_ShowsTotalsAndTheTeamlessGroup()
        {
            using var estate = new TempEstate();
            string file = estate.Write("incidents.json", "[ { \"service\": \"a\", \"financialExposurePerHour\": 1000, \"loss\": 5 } ]");

            CliResult result = Cli.Run("incident", "--file", file);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("  [0] a: 5 USD, low loss: minor, restore when possible, ticket in backlog", result.Output);
            Assert.Contains("(no team)", result.Output);
            Assert.Contains("1 incident(s), 5 USD (high 0, medium 0, low 1)", result.Output);
        }

        [Fact]
        public void File_ThePolicysIncidentThresholds_Classify()
        {
            using var estate = new TempEstate();
            string policy = estate.Write("operability.organisation.json", "{ \"incident\": { \"highLossShare\": 3 } }");
            string file = estate.Write("incidents.json", "[ { \"service\": \"orders\", \"financialExposurePerHour\": 810000, \"availabilityTarget\": 99.9, \"duration\": \"00:20:00\" } ]");

            CliResult withPolicy = Cli.Run("incident", "--file", file, "--policy", policy, "--format", "json");
            CliResult without = Cli.Run("incident", "--file", file, "--format", "json");

            Assert.Equal("medium", withPolicy.Json.GetProperty("incidents")[0].GetProperty("severity").GetString());
            Assert.Equal("high", without.Json.GetProperty("incidents")[0].GetProperty("severity").GetString());
        }

        [Fact]
        public void Incident_ThePolicysIncidentThresholds_ClassifyAndShowInThresholds()
        {
            using var estate = new TempEstate();
            string policy = estate.Write("operability.organisation.json", "{ \"incident\": { \"highLossShare\": 0.5, \"mediumLossShare\": 0.1 } }");

            CliResult result = Cli.Run("incident", "--financial-exposure", "810000", "--availability-target", "99.9", "--loss", "70000", "--policy", policy, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("high", result.Json.GetProperty("severity").GetString());
            Assert.Equal(68040m, result.Json.GetProperty("highLossFrom").GetDecimal());
            Assert.Equal(13608m, result.Json.GetProperty("mediumLossFrom").GetDecimal());
        }
    }
}
