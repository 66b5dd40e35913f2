using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class IncidentCommandTests
    {
        [Fact]
        public void Incident_TwentyMinutesOfTheEcommercePlatform_IsAMajorIncident()
        {
            CliResult result = Cli.Run("incident", "--financial-exposure", "810000", "--availability-target", "99.9", "--duration", "00:20:00", "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(270000m, result.Json.GetProperty("loss").GetDecimal());
            Assert.Equal("high", result.Json.GetProperty("severity").GetString());
            Assert.Equal("major", result.Json.GetProperty("type").GetString());
            Assert.Equal("restore availability immediately", result.Json.GetProperty("response").GetString());
            Assert.Equal(136080m, result.Json.GetProperty("projectedLoss").GetDecimal());
            Assert.Equal(-133920m, result.Json.GetProperty("protectedAmount").GetDecimal());
        }

        [Fact]
        public void Incident_ClosedWithActualLoss_ReportsProtectionEffectiveness()
        {
            CliResult result = Cli.Run("incident", "--financial-exposure", "810000", "--availability-target", "99.9", "--loss", "34020", "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(102060m, result.Json.GetProperty("protectedAmount").GetDecimal());
            Assert.Equal(0.75m, result.Json.GetProperty("effectiveness").GetDecimal());
            Assert.Equal("medium", result.Json.GetProperty("severity").GetString());
            Assert.Equal("restore by next working day", result.Json.GetProperty("response").GetString());
        }

        [Fact]
        public void Incident_WithoutTarget_ThePolicysBandsSelectIt()
        {
            CliResult result = Cli.Run("incident", "--financial-exposure", "810000", "--loss", "10", "--policy", Cli.SamplePolicy, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(99.99m, result.Json.GetProperty("availabilityTarget").GetDecimal());
            Assert.Equal("GBP", result.Json.GetProperty("currency").GetString());
            Assert.Equal("low", result.Json.GetProperty("severity").GetString());
        }

        [Fact]
        public void Incident_FromManifest_ReadsExposureAndTarget()
        {
            using var estate = new TempEstate();
            string manifest = estate.Write("a/operability.json", "{ \"service\": \"a\", \"owner\": \"team-a\", \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 } }");

            CliResult result = Cli.Run("incident", "--manifest", manifest, "--duration", "0:01:00");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("13,500 USD (0:01:00 at 810,000 USD an hour)", result.Output);
            Assert.Contains("low loss: minor incident", result.Output);
            Assert.Contains("restore when possible, ticket in backlog", result.Output);
        }

        [Fact]
        public void Incident_MalformedManifest_IsUnreadableInputWithPosition()
        {
            using var estate = new TempEstate();
            string manifest = estate.Write("operability.json", "{\n  \"service\": }");

            CliResult result = Cli.Run("incident", "--manifest", manifest, "--loss", "1");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(manifest + ":2:", result.Error);
        }

        [Theory]
        [InlineData("--duration", "00:10:00", "--loss", "5")]
        [InlineData("--availability-target", "99.9")]
        public void Incident_DurationAndLossTogetherOrNeither_IsAUsageError(params string[] extra)
        {
            CliResult result = Cli.Run(["incident", "--financial-exposure", "1000", .. extra]);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("exactly one of --duration", result.Error);
        }

        [Theory]
        [InlineData("--duration", "ten minutes", "--duration must be hh:mm:ss")]
        [InlineData("--duration", "-00:10:00", "--duration must be hh:mm:ss")]
        [InlineData("--loss", "-5", "--loss cannot be negative")]
        [InlineData("--financial-exposure", "-5", "--financial-exposure cannot be negative")]
        public void Incident_BadValue_IsAUsageError(string option, string value, string message)
        {
            CliResult result = Cli.Run("incident", "--availability-target", "99.0", option, value);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Error);
        }

        [Fact]
        public void Incident_ManifestAndExposureTogether_IsAUsageError()
        {
            CliResult result = Cli.Run("incident", "--manifest", "operability.json", "--financial-exposure", "1", "--loss", "1");

            Assert.Equal(2, result.ExitCode);
        }
    }
}
