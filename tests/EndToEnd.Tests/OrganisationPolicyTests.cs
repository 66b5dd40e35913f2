using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The organisation policy as a build finds it, with the packed package: the nearest operability.organisation.json
    /// above the project, or OperabilityOrganisationPolicy set once in a Directory.Build.props; obeyed (OPS306 with the
    /// organisation's bands, OPS308 against its teams); malformed → OPS307 at its line and column; none → the playbook's.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class OrganisationPolicyTests
    {
        private const string Project = "services/shop/Shop.Api.csproj";

        private const string Policy = """
            {
              "currency": "GBP",
              "exposureBands": [
                { "maxFinancialExposurePerHour": 10000, "availability": 99.0 },
                { "maxFinancialExposurePerHour": 100000, "availability": 99.5 },
                { "maxFinancialExposurePerHour": 1000000, "availability": 99.99 }
              ],
              "productDomains": [ { "id": "checkout", "groupedBy": "customer-journey" } ],
              "teams": [ { "id": "team-orders", "productDomains": ["checkout"] } ],
              "bandsReviewDate": "2999-12-31"
            }
            """;

        // 810,000 an hour: 99.9 with the playbook's bands, 99.99 with the policy's. The owner is not a listed team.
        private const string Manifest = """
            {
              "service": "shop",
              "owner": "team-shop",
              "productDomain": "checkout",
              "availability": { "target": 99.9, "financialExposurePerHour": 810000 },
              "runbook": "RUNBOOK.md"
            }
            """;

        private static readonly Dictionary<string, string> LocalBuild = new();
        private static readonly Dictionary<string, string> CiBuild = new() { ["CI"] = "true" };

        private readonly PackageFeedFixture _feed;

        public OrganisationPolicyTests(PackageFeedFixture feed) => _feed = feed;

        [Fact]
        public void PolicyInAFolderAboveTheProject_IsFoundAndObeyed()
        {
            using var folder = new ScratchFolder("policy-lookup");
            folder.Write("operability.organisation.json", Policy);
            WriteService(folder);

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            AssertLine(result, "operability.json(3,12): warning OPS308: Owner 'team-shop' is not a team the organisation policy lists (team-orders)");
            Assert.Contains(
                "OPS306 note Property 'availability.target' is 99.9 but 'availability.financialExposurePerHour' 810000 GBP selects 99.99 with the organisation's exposure bands (the band up to 1000000 GBP an hour); declare 99.99 or explain the difference",
                SarifResults(folder));
            Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void PolicyNamedByThePropertyInDirectoryBuildProps_IsUsed_AndWinsOverTheLookup()
        {
            using var folder = new ScratchFolder("policy-property");
            folder.Write("policies/acme.json", Policy);
            // A different policy the lookup would find: the property wins.
            folder.Write("operability.organisation.json", "{ \"teams\": [ { \"id\": \"team-shop\" } ] }");
            folder.Write("Directory.Build.props", """
                <Project>
                  <PropertyGroup>
                    <OperabilityOrganisationPolicy>$(MSBuildThisFileDirectory)policies/acme.json</OperabilityOrganisationPolicy>
                  </PropertyGroup>
                </Project>
                """);
            WriteService(folder);

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode != 0, result.ToString());
            AssertLine(result, "operability.json(3,12): error OPS308: Owner 'team-shop' is not a team the organisation policy lists (team-orders)");
        }

        [Fact]
        public void MalformedPolicy_IsOps307AtItsLineAndColumn_AndThePlaybookIsNotUsedInstead()
        {
            using var folder = new ScratchFolder("policy-malformed");
            folder.Write("operability.organisation.json", "{\n  \"exposureBands\": [\n    { \"maxFinancialExposurePerHour\": 10000, \"availability\": 99.0 },\n    { \"maxFinancialExposurePerHour\": 10000, \"availability\": 99.5 }\n  ]\n}\n");
            WriteService(folder, Manifest.Replace("99.9,", "95.0,", StringComparison.Ordinal));

            var local = Build(folder, LocalBuild);

            Assert.True(local.ExitCode == 0, local.ToString());
            AssertLine(local, "operability.organisation.json(4,38): warning OPS307: Organisation policy: Band 'exposureBands[1]' overlaps the band before it");
            // The playbook's bands would report 95.0 against 810000 (OPS306): with a broken policy nothing is compared.
            Assert.Equal(new[] { "OPS307 warning" }, SarifResults(folder).Select(r => string.Join(' ', r.Split(' ').Take(2))).Distinct());
            Assert.DoesNotContain("AD0001", local.Output, StringComparison.Ordinal);

            var ci = Build(folder, CiBuild);

            Assert.True(ci.ExitCode != 0, ci.ToString());
            AssertLine(ci, "operability.organisation.json(4,38): error OPS307");
        }

        [Fact]
        public void PropertyNamingAMissingFile_IsOps307NamingThePath()
        {
            using var folder = new ScratchFolder("policy-missing");
            WriteService(folder, extraProperties: "<OperabilityOrganisationPolicy>../../policies/missing.json</OperabilityOrganisationPolicy>");

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            AssertLine(result, "warning OPS307: Organisation policy: the file '" + Path.Combine(folder.Path, "policies", "missing.json") + "' named by OperabilityOrganisationPolicy does not exist");
        }

        [Fact]
        public void NoPolicy_OrLookupTurnedOff_ThePlaybooksBandsApply()
        {
            using var folder = new ScratchFolder("policy-none");
            WriteService(folder, Manifest.Replace("99.9,", "99.99,", StringComparison.Ordinal));
            var playbook = new[]
            {
                "OPS306 note Property 'availability.target' is 99.99 but 'availability.financialExposurePerHour' 810000 selects 99.9 with the default exposure bands; declare 99.9 or explain the difference",
            };

            var none = Build(folder, LocalBuild);

            Assert.True(none.ExitCode == 0, none.ToString());
            Assert.Equal(playbook, SarifResults(folder));

            // The policy above would select 99.99 and reject the owner; with the lookup off it is not read.
            folder.Write("operability.organisation.json", Policy);
            var optedOut = Build(folder, LocalBuild, "-p:OperabilityOrganisationPolicyLookup=false");

            Assert.True(optedOut.ExitCode == 0, optedOut.ToString());
            Assert.Equal(playbook, SarifResults(folder));
        }

        private void WriteService(ScratchFolder folder, string manifest = Manifest, string extraProperties = "")
        {
            folder.Write(Project, $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <ErrorLog>ops.sarif,version=2.1</ErrorLog>
                    <!-- The shop has health checks but no shutter: only the policy's rules are under test here. -->
                    <NoWarn>$(NoWarn);OPS402</NoWarn>
                    {extraProperties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Operability.Analyzers" Version="{_feed.AnalyzersVersion}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("services/shop/Program.cs", "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddHealthChecks();\nvar app = builder.Build();\napp.MapHealthChecks(\"/health\");\napp.MapGet(\"/\", () => \"hello\");\napp.Run();\n");
            folder.Write("services/shop/operability.json", manifest);
            folder.Write("services/shop/RUNBOOK.md", "# shop runbook\n");
        }

        private static void AssertLine(ProcessResult result, string expected) =>
            Assert.True(result.Lines.Any(line => line.Contains(expected, StringComparison.Ordinal)), $"expected a line containing: {expected}\n{result}");

        // The compiler's SARIF log has every OPS diagnostic with its final level (info is "note") and message.
        private static List<string> SarifResults(ScratchFolder folder)
        {
            using var log = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "services", "shop", "ops.sarif")));
            return log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Select(result => result.GetProperty("ruleId").GetString() + " " + result.GetProperty("level").GetString() + " " + result.GetProperty("message").GetProperty("text").GetString())
                .Where(line => line.StartsWith("OPS", StringComparison.Ordinal))
                .ToList();
        }

        private static ProcessResult Build(ScratchFolder folder, Dictionary<string, string> environment, params string[] extra)
        {
            var arguments = new List<string> { "build", Project, "-nologo", "--no-incremental" };
            arguments.AddRange(extra);
            return Dotnet.Run(folder.Path, environment, arguments.ToArray());
        }
    }
}
