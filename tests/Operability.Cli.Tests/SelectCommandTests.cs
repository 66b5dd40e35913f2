using System.Text.Json;
using CsCheck;
using Operability.Manifest;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class SelectCommandTests
    {
        [Fact]
        public void Select_ExposureAndDemand_PrintsEveryValueWithItsReason()
        {
            CliResult result = Cli.Run("select", "--financial-exposure", "810000", "--feature-demand", "very-high", "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement json = result.Json;
            Assert.Equal(99.9m, json.GetProperty("availabilityTarget").GetDecimal());
            Assert.Contains("above every band", json.GetProperty("availabilityTargetReason").GetString());
            Assert.Equal("0:10:05", json.GetProperty("tolerableUnavailabilityPerWeek").GetString());
            Assert.Equal("team", json.GetProperty("onCall").GetProperty("workingHours").GetString());
            Assert.Equal("team", json.GetProperty("onCall").GetProperty("outOfHours").GetString());
            Assert.Equal("daily", json.GetProperty("deploymentTarget").GetString());
            Assert.Equal("green", json.GetProperty("trafficLight").GetString());
            Assert.Equal("you-build-it-you-run-it", json.GetProperty("operatingModel").GetString());
            Assert.Empty(result.Error);
        }

        [Fact]
        public void Select_Text_NamesTheBandThatChoseTheTarget()
        {
            CliResult result = Cli.Run("select", "--financial-exposure", "6000", "--deployment-target", "monthly");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("in the band up to 7,000 of the playbook's defaults, which selects 95%", result.Output);
            Assert.Contains("Ops Run It", result.Output);
            Assert.Contains("warning sign", result.Output);
        }

        [Fact]
        public void Select_Foundational_IsOpsRunIt_WithItsRule()
        {
            CliResult result = Cli.Run("select", "--availability-target", "99.9", "--deployment-target", "daily", "--foundational", "--format", "json");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("ops-run-it", result.Json.GetProperty("operatingModel").GetString());
            Assert.Equal("green", result.Json.GetProperty("trafficLight").GetString());
            Assert.Contains("foundational", result.Json.GetProperty("operatingModelReason").GetString());
            Assert.True(result.Json.GetProperty("foundational").GetBoolean());
        }

        [Fact]
        public void Select_WithPolicy_UsesItsBands()
        {
            CliResult result = Cli.Run("select", "--financial-exposure", "810000", "--feature-demand", "high", "--policy", Cli.SamplePolicy, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(99.99m, result.Json.GetProperty("availabilityTarget").GetDecimal());
            Assert.Equal("3 per week", result.Json.GetProperty("deploymentTarget").GetString());
            Assert.Equal("GBP", result.Json.GetProperty("currency").GetString());
        }

        [Fact]
        public void Select_TargetDisagreesWithExposure_IsAUsageError()
        {
            CliResult result = Cli.Run("select", "--financial-exposure", "810000", "--availability-target", "99.0", "--feature-demand", "low");

            Assert.Equal(2, result.ExitCode);
            Assert.Empty(result.Output);
            Assert.Contains("--availability-target 99 disagrees with --financial-exposure 810000", result.Error);
        }

        [Fact]
        public void Select_TargetAgreesWithExposure_IsAccepted()
        {
            CliResult result = Cli.Run("select", "--financial-exposure", "810000", "--availability-target", "99.9", "--feature-demand", "low");

            Assert.True(result.ExitCode == 0, result.ToString());
        }

        [Fact]
        public void Select_DeploymentDisagreesWithDemand_IsAUsageError()
        {
            CliResult result = Cli.Run("select", "--availability-target", "99.9", "--feature-demand", "low", "--deployment-target", "daily");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--deployment-target daily disagrees with --feature-demand low", result.Error);
        }

        [Theory]
        [InlineData("--financial-exposure", "-1", "cannot be negative")]
        [InlineData("--financial-exposure", "lots", "must be a number")]
        [InlineData("--availability-target", "100", "strictly between 0 and 100")]
        [InlineData("--feature-demand", "huge", "must be one of low, medium, high, very-high")]
        [InlineData("--deployment-target", "hourly", "must be monthly, fortnightly, weekly, daily")]
        public void Select_BadValue_IsAUsageErrorNamingTheOption(string option, string value, string message)
        {
            CliResult result = Cli.Run("select", option, value);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Error);
            Assert.Contains("dotnet operability select --help", result.Error);
        }

        [Fact]
        public void Select_NeitherTargetNorExposure_IsAUsageError()
        {
            CliResult result = Cli.Run("select", "--feature-demand", "low");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("give --financial-exposure", result.Error);
        }

        [Fact]
        public void Select_MalformedPolicy_IsUnreadableInput_WithPathAndPosition()
        {
            using var estate = new TempEstate();
            string policy = estate.Write("policy.json", "{\n  \"currency\": 12\n}");

            CliResult result = Cli.Run("select", "--financial-exposure", "1", "--feature-demand", "low", "--policy", policy);

            Assert.Equal(3, result.ExitCode);
            Assert.Contains(policy + ":2:15: error:", result.Error);
        }

        [Fact]
        public void Select_MissingPolicy_IsUnreadableInput()
        {
            CliResult result = Cli.Run("select", "--financial-exposure", "1", "--feature-demand", "low", "--policy", "/no/such/policy.json");

            Assert.Equal(3, result.ExitCode);
            Assert.Contains("/no/such/policy.json: error: the organisation policy cannot be read", result.Error);
        }

        [Fact]
        public void Select_Markdown_IsATable()
        {
            CliResult result = Cli.Run("select", "--availability-target", "99.5", "--feature-demand", "medium", "--format", "markdown");

            Assert.Equal(0, result.ExitCode);
            Assert.StartsWith("| | value | why |", result.Output);
            Assert.Contains("| on call out of hours | domain |", result.Output);
        }

        [Fact]
        public void Select_AnyExposure_GivesThePolicysTarget()
        {
            Gen.Long[0, 1_000_000_000_000_000].Sample(exposure =>
            {
                CliResult result = Cli.Run("select", "--financial-exposure", exposure.ToString(System.Globalization.CultureInfo.InvariantCulture), "--feature-demand", "high", "--format", "json");
                return result.ExitCode == 0 && result.Json.GetProperty("availabilityTarget").GetDecimal() == OrganisationPolicy.Playbook.SelectTarget(exposure);
            }, iter: 200);
        }

        [Theory]
        [InlineData("select")]
        [InlineData("estate", "check")]
        [InlineData("estate", "on-call")]
        [InlineData("incident")]
        [InlineData("estate")]
        public void Help_EveryCommand_ShowsAnExample(params string[] command)
        {
            CliResult result = Cli.Run([.. command, "--help"]);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Example:\n  dotnet operability " + string.Join(' ', command), result.Output.Replace("\r", string.Empty).Replace("\n    ", "\n  "));
        }

        [Fact]
        public void NoCommand_IsAUsageError()
        {
            CliResult result = Cli.Run();

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Run 'dotnet operability --help'", result.Error);
        }
    }
}
