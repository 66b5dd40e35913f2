using System.IO;
using System.Linq;
using System.Text;
using Operability.Manifest;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary><c>select --write</c>: the selection written into a new or an existing operability.json.</summary>
    public sealed class SelectWriteTests
    {
        private static readonly string[] Orders = { "select", "--financial-exposure", "810000", "--feature-demand", "very-high" };

        private static CliResult Select(string path, params string[] more) => Cli.Run(Orders.Concat(new[] { "--write", path }).Concat(more).ToArray());

        [Fact]
        public void Write_NoFile_CreatesAManifestThatValidates()
        {
            using var estate = new TempEstate();
            string path = Path.Combine(estate.Path, "operability.json");

            CliResult result = Select(path, "--service", "orders", "--owner", "team-orders");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("created " + path, result.Error);
            Assert.Equal(
                "{\n"
                + "  \"$schema\": \"https://raw.githubusercontent.com/operability/operability/main/schemas/operability.schema.json\",\n"
                + "  \"service\": \"orders\",\n"
                + "  \"owner\": \"team-orders\",\n"
                + "  \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 },\n"
                + "  \"deployment\": { \"featureDemand\": \"very-high\", \"target\": \"daily\" },\n"
                + "  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"team\" }\n"
                + "}\n",
                File.ReadAllText(path));
            ManifestParseResult parsed = ManifestParser.Parse(File.ReadAllText(path));
            Assert.Empty(parsed.Diagnostics);
            Assert.Equal(99.9m, parsed.Manifest!.AvailabilityTarget);
            Assert.Equal(DeploymentTarget.Daily, parsed.Manifest.DeploymentTarget);
            Assert.Equal(OnCallLevel.Team, parsed.Manifest.OutOfHoursOnCall);
        }

        [Fact]
        public void Write_NoFile_WithoutServiceAndOwner_IsAUsageError_AndCreatesNothing()
        {
            using var estate = new TempEstate();
            string path = Path.Combine(estate.Path, "operability.json");

            CliResult result = Select(path);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("give --service and --owner", result.Error);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Write_ExistingFile_ChangesOnlyTheSelectedValues_KeepingCommentsOrderAndFormatting()
        {
            using var estate = new TempEstate();
            string path = estate.Write("operability.json",
                "{\n"
                + "  // The orders service.\n"
                + "  \"service\": \"orders\",\n"
                + "  \"owner\":   \"team-orders\",\n"
                + "  \"availability\": { \"target\": 99.0, \"financialExposurePerHour\": 200000 },\n"
                + "  \"databases\": [ { \"name\": \"orders-db\" } ],\n"
                + "  \"runbook\": \"RUNBOOK.md\" // kept\n"
                + "}\n");

            CliResult result = Select(path);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("updated " + path, result.Error);
            Assert.Equal(
                "{\n"
                + "  // The orders service.\n"
                + "  \"service\": \"orders\",\n"
                + "  \"owner\":   \"team-orders\",\n"
                + "  \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 },\n"
                + "  \"databases\": [ { \"name\": \"orders-db\" } ],\n"
                + "  \"runbook\": \"RUNBOOK.md\", // kept\n"
                + "  \"deployment\": { \"featureDemand\": \"very-high\", \"target\": \"daily\" },\n"
                + "  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"team\" }\n"
                + "}\n",
                File.ReadAllText(path));
            Assert.Empty(ManifestParser.Parse(File.ReadAllText(path)).Diagnostics);
        }

        [Fact]
        public void Write_ExistingFileWithCrlfAndBom_KeepsThem_AndEditsNestedObjectsInTheirStyle()
        {
            using var estate = new TempEstate();
            string path = Path.Combine(estate.Path, "operability.json");
            string before = "{\r\n  \"service\": \"orders\",\r\n  \"owner\": \"team-orders\",\r\n  \"availability\": {\r\n    \"target\": \"99.0%\"\r\n  },\r\n"
                + "  \"deployment\": {},\r\n  \"onCall\": {\r\n  },\r\n  \"foundational\": true\r\n}\r\n";
            File.WriteAllBytes(path, Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(before)).ToArray());

            CliResult result = Cli.Run("select", "--availability-target", "99.9", "--deployment-target", "weekly", "--write", path);

            Assert.True(result.ExitCode == 0, result.ToString());
            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes.Take(3).ToArray());
            Assert.Equal(
                "{\r\n  \"service\": \"orders\",\r\n  \"owner\": \"team-orders\",\r\n  \"availability\": {\r\n    \"target\": 99.9\r\n  },\r\n"
                + "  \"deployment\": { \"target\": \"weekly\" },\r\n  \"onCall\": {\r\n    \"workingHours\": \"team\",\r\n    \"outOfHours\": \"team\"\r\n  },\r\n  \"foundational\": false\r\n}\r\n",
                Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
            ManifestParseResult parsed = ManifestParser.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
            Assert.Empty(parsed.Diagnostics);
            Assert.False(parsed.Manifest!.Foundational);
        }

        [Fact]
        public void Write_MalformedFile_IsRefusedAtItsLineAndColumn_AndLeftAsItWas()
        {
            using var estate = new TempEstate();
            string text = "{\n  \"service\": \"orders\",\n  \"owner\": \n}\n";
            string path = estate.Write("operability.json", text);

            CliResult result = Select(path);

            Assert.Equal(3, result.ExitCode);
            Assert.Matches(@"operability\.json:4:1: error: .* The manifest is malformed; nothing was written\.", result.Error);
            Assert.Equal(text, File.ReadAllText(path));
        }

        [Fact]
        public void Write_PropertyDeclaredTwice_IsRefused_NamingBothPlaces()
        {
            using var estate = new TempEstate();
            string text = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"onCall\": {},\n  \"onCall\": {}\n}\n";
            string path = estate.Write("operability.json", text);

            CliResult result = Select(path);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("operability.json:5:3: error: \"onCall\" is declared twice (also at 4:3); nothing was written.", result.Error);
            Assert.Equal(text, File.ReadAllText(path));
        }

        [Fact]
        public void Write_PerWeekFrequencyWithoutFeatureDemand_IsAUsageError()
        {
            using var estate = new TempEstate();
            string path = estate.Manifest("x", "orders", "team-orders");

            CliResult result = Cli.Run("select", "--availability-target", "99.9", "--deployment-target", "3 per week", "--write", path);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("give --feature-demand", result.Error);
        }

        [Fact]
        public void ServiceWithoutWrite_IsAUsageError()
        {
            CliResult result = Cli.Run(Orders.Concat(new[] { "--owner", "team-orders" }).ToArray());

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("give --write", result.Error);
        }

        [Fact]
        public void SelectHelp_ShowsTheWriteExample()
        {
            CliResult result = Cli.Run("select", "--help");

            Assert.Contains("dotnet operability select --financial-exposure 810000 --feature-demand very-high --write src/Orders/operability.json", result.Output.Replace("\r", string.Empty));
        }

        [Fact]
        public void Write_PathIsAFolder_IsReported_AndLeavesNoTemporaryFile()
        {
            using var estate = new TempEstate();
            string folder = System.IO.Path.Combine(estate.Path, "operability.json");
            Directory.CreateDirectory(folder);

            CliResult result = Select(folder, "--service", "orders", "--owner", "team-orders");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(folder + ": error: the manifest cannot be written", result.Error);
            Assert.Equal(new[] { folder }, Directory.GetFileSystemEntries(estate.Path));
        }
    }
}
