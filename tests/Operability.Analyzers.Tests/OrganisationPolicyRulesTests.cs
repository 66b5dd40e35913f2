using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.ServiceManifestAnalyzer>;

namespace Operability.Analyzers.Tests
{
    /// <summary>OPS306 against the organisation's bands, and OPS307–OPS312.</summary>
    public sealed class OrganisationPolicyRulesTests
    {
        private const string Manifest = "/0/operability.json";
        private const string PolicyPath = "/repo/operability.organisation.json";

        // Bands unlike the playbook's; three teams, two domains; a review date far in the future.
        private const string Policy = """
            {
              "currency": "GBP",
              "exposureBands": [
                { "maxFinancialExposurePerHour": 10000, "availability": 99.0 },
                { "maxFinancialExposurePerHour": 100000, "availability": 99.5 },
                { "maxFinancialExposurePerHour": 1000000, "availability": 99.99 }
              ],
              "productDomains": [
                { "id": "checkout", "groupedBy": "customer-journey" },
                { "id": "reporting", "groupedBy": "technology-capability" }
              ],
              "teams": [
                { "id": "team-orders", "productDomains": ["checkout"] },
                { "id": "team-payments", "productDomains": ["checkout"] },
                { "id": "team-insights", "productDomains": ["reporting"] }
              ],
              "bandsReviewDate": "2999-12-31"
            }
            """;

        private static Test Project(string manifest, string? policy = Policy, string policyPath = PolicyPath, bool tagged = true)
        {
            var test = new Test { TestCode = "var x = 1;\nSystem.Console.WriteLine(x);\n" };
            test.WithProperty("UsingMicrosoftNETSdkWeb", "true").WithProperty("OutputType", "Exe");
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.WithAdditionalFile("operability.json", manifest).WithAdditionalFile("RUNBOOK.md", "# Runbook\n");
            if (policy is not null)
            {
                test.TestState.AdditionalFiles.Add((policyPath, policy));
                if (tagged)
                {
                    test.TestState.AnalyzerConfigFiles.Add(("/policy.globalconfig", "is_global = true\n[" + policyPath + "]\nbuild_metadata.AdditionalFiles.OperabilityRole = Policy\n"));
                }
            }

            return test;
        }

        private static DiagnosticResult At(string id, DiagnosticSeverity severity, string path, int line, int column, int endColumn, string message) =>
            new DiagnosticResult(id, severity).WithSpan(path, line, column, line, endColumn).WithMessage(message);

        private static string Service(string owner = "team-orders", string availability = "\"target\": 99.99", string extra = "") =>
            "{\n  \"service\": \"orders\",\n  \"owner\": \"" + owner + "\",\n  \"productDomain\": \"checkout\",\n  \"availability\": { " + availability + " }" + extra + "\n}\n";

        [Fact]
        public async Task ManifestFollowingThePolicy_NoDiagnostic()
        {
            await Project(Service(availability: "\"target\": 99.99, \"financialExposurePerHour\": 810000")).VerifyAsync();
        }

        [Fact]
        public async Task Ops306_WithPolicy_UsesTheOrganisationsBandAndCurrency()
        {
            await Project(Service(availability: "\"target\": 99.9, \"financialExposurePerHour\": 810000"))
                .Expect(At(RuleIds.AvailabilityTargetDisagreesWithExposure, DiagnosticSeverity.Info, Manifest, 5, 31, 35,
                    "Property 'availability.target' is 99.9 but 'availability.financialExposurePerHour' 810000 GBP selects 99.99 with the organisation's exposure bands (the band up to 1000000 GBP an hour); declare 99.99 or explain the difference"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops306_TargetThePlaybookWouldReport_IsSilentWhenThePolicyAgrees()
        {
            // 6,000 an hour: the playbook selects 95.0, the organisation 99.0.
            await Project(Service(availability: "\"target\": 99.0, \"financialExposurePerHour\": 6000")).VerifyAsync();
        }

        [Fact]
        public async Task Ops306_WithoutPolicy_UsesThePlaybooksBands()
        {
            await Project(Service(availability: "\"target\": 99.0, \"financialExposurePerHour\": 6000"), policy: null)
                .Expect(At(RuleIds.AvailabilityTargetDisagreesWithExposure, DiagnosticSeverity.Info, Manifest, 5, 31, 35,
                    "Property 'availability.target' is 99.0 but 'availability.financialExposurePerHour' 6000 selects 95.0 with the default exposure bands; declare 95.0 or explain the difference"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops306_AboveEveryBand_SaysTheTopBandApplies()
        {
            await Project(Service(availability: "\"target\": 99.9, \"financialExposurePerHour\": 5000000"))
                .Expect(At(RuleIds.AvailabilityTargetDisagreesWithExposure, DiagnosticSeverity.Info, Manifest, 5, 31, 35,
                    "Property 'availability.target' is 99.9 but 'availability.financialExposurePerHour' 5000000 GBP selects 99.99 with the organisation's exposure bands (above every band, so the top band's (up to 1000000 GBP)); declare 99.99 or explain the difference"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops307_OverlappingBands_ReportedAtTheValueInThePolicy_AndPolicyRulesSilent()
        {
            const string policy = "{\n  \"exposureBands\": [\n    { \"maxFinancialExposurePerHour\": 10000, \"availability\": 99.0 },\n    { \"maxFinancialExposurePerHour\": 10000, \"availability\": 99.5 }\n  ],\n  \"teams\": [ { \"id\": \"team-a\" } ]\n}\n";
            // The playbook would report OPS306 here (810000 → 99.9); the owner is not team-a: both stay silent.
            await Project(Service(availability: "\"target\": 95.0, \"financialExposurePerHour\": 810000"), policy)
                .Expect(At(RuleIds.MalformedPolicy, DiagnosticSeverity.Warning, PolicyPath, 4, 38, 43,
                    "Organisation policy: Band 'exposureBands[1]' overlaps the band before it (same maximum 10000 at 3:38): list bands by strictly ascending maxFinancialExposurePerHour; the rules that read the policy (OPS306, OPS308-OPS312) are not checked until it is fixed"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops307_NotJson_ReportedAtTheTokenWithoutAnalyzerException()
        {
            await Project(Service(), "{\n  \"currency\": \"GBP\"\n  \"teams\": []\n}\n")
                .Expect(new DiagnosticResult(RuleIds.MalformedPolicy, DiagnosticSeverity.Warning).WithSpan(PolicyPath, 3, 3, 3, 10))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops307_UntaggedFileNamedLikeThePolicy_IsReadToo()
        {
            await Project(Service(), "{ \"currency\": 5 }", tagged: false)
                .Expect(new DiagnosticResult(RuleIds.MalformedPolicy, DiagnosticSeverity.Warning).WithSpan(PolicyPath, 1, 15, 1, 16))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops307_PolicyNamedByTheBuildButMissing_ReportedWithoutLocation()
        {
            await Project(Service(availability: "\"target\": 95.0, \"financialExposurePerHour\": 810000"), policy: null)
                .WithProperty("OperabilityOrganisationPolicyNotFound", "/repo/missing.json")
                .Expect(new DiagnosticResult(RuleIds.MalformedPolicy, DiagnosticSeverity.Warning)
                    .WithMessage("Organisation policy: the file '/repo/missing.json' named by OperabilityOrganisationPolicy does not exist; the rules that read the policy (OPS306, OPS308-OPS312) are not checked until it is fixed"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops307_PolicyFileThatCannotBeRead_ReportedWithoutLocation_AndPolicyRulesSilent()
        {
            var compilation = CSharpCompilation.Create(
                "Service",
                new[] { CSharpSyntaxTree.ParseText("public static class Greeter { }") },
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var files = ImmutableArray.Create<AdditionalText>(
                new Unreadable("/0/operability.json", Service(availability: "\"target\": 95.0, \"financialExposurePerHour\": 810000")),
                new Unreadable(PolicyPath, null));
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new ServiceManifestAnalyzer());

            var diagnostics = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync();

            // The runbook is not among the files (OPS305); the playbook's OPS306 (95.0 against 810000) stays silent.
            var reported = diagnostics.Where(d => d.Id != RuleIds.MissingRunbook).ToList();
            Assert.Equal(RuleIds.MalformedPolicy, Assert.Single(reported).Id);
            Assert.Equal(Location.None, reported[0].Location);
            Assert.StartsWith("Organisation policy: the file '" + PolicyPath + "' could not be read;", reported[0].GetMessage(CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
        }

        private sealed class Unreadable : AdditionalText
        {
            private readonly string? _text;

            public Unreadable(string path, string? text)
            {
                Path = path;
                _text = text;
            }

            public override string Path { get; }

            public override SourceText? GetText(CancellationToken cancellationToken = default) => _text is null ? null : SourceText.From(_text);
        }

        [Fact]
        public async Task Ops307_RotaUnderThreePeople_IsNotReported()
        {
            await Project(Service(), "{ \"teams\": [ { \"id\": \"team-orders\", \"outOfHoursRota\": 2 } ] }").VerifyAsync();
        }

        [Fact]
        public async Task Ops307_InCi_IsAnError()
        {
            await Project(Service(), "{ \"currency\": 5 }")
                .WithProperty("OperabilityCiErrors", "OPS307")
                .Expect(new DiagnosticResult(RuleIds.MalformedPolicy, DiagnosticSeverity.Error).WithSpan(PolicyPath, 1, 15, 1, 16))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops308_OwnerNotAListedTeam_ReportedAtTheOwnerValue()
        {
            await Project(Service(owner: "team-ordrs"))
                .Expect(At(RuleIds.OwnerNotAPolicyTeam, DiagnosticSeverity.Warning, Manifest, 3, 12, 24,
                    "Owner 'team-ordrs' is not a team the organisation policy lists (team-orders, team-payments, team-insights); name one of them, or add the team to the policy"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops308_OwnerInOtherCase_IsTheListedTeam()
        {
            await Project(Service(owner: "Team-Orders")).VerifyAsync();
        }

        [Fact]
        public async Task Ops308_PolicyWithoutTeams_AcceptsAnyOwner()
        {
            await Project(Service(owner: "team-anyone"), "{ \"currency\": \"GBP\" }").VerifyAsync();
        }

        [Fact]
        public async Task Ops308_ManyTeams_ListsTheFirstFive()
        {
            const string policy = "{ \"teams\": [ { \"id\": \"a\" }, { \"id\": \"b\" }, { \"id\": \"c\" }, { \"id\": \"d\" }, { \"id\": \"e\" }, { \"id\": \"f\" }, { \"id\": \"g\" } ] }";
            await Project(Service(owner: "z"), policy)
                .Expect(At(RuleIds.OwnerNotAPolicyTeam, DiagnosticSeverity.Warning, Manifest, 3, 12, 15,
                    "Owner 'z' is not a team the organisation policy lists (a, b, c, d, e, and 2 more); name one of them, or add the team to the policy"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops309_DomainScheduleWithoutProductDomain_ReportedAtTheTarget()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"availability\": { \"target\": 99.0 }\n}\n";
            await Project(manifest)
                .Expect(At(RuleIds.ProductDomainMissingOrUnknown, DiagnosticSeverity.Warning, Manifest, 4, 31, 35,
                    "Out-of-hours on-call is \"domain\", a schedule shared by the teams of one product domain, but the manifest names no 'productDomain'; name the domain (the policy lists checkout, reporting)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops309_UnknownProductDomain_ReportedAtTheDomainValue()
        {
            var manifest = Service(availability: "\"target\": 99.5").Replace("\"checkout\"", "\"chekout\"");
            await Project(manifest)
                .Expect(At(RuleIds.ProductDomainMissingOrUnknown, DiagnosticSeverity.Warning, Manifest, 4, 20, 29,
                    "Product domain 'chekout' is not one the organisation policy lists, so no domain schedule covers this service out of hours; name a listed domain (checkout, reporting) or add it to the policy"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops309_TeamScheduleWithUnknownDomain_NoDiagnostic()
        {
            // 99.99 calls for a team schedule: the domain is not needed for on-call.
            await Project(Service().Replace("\"checkout\"", "\"chekout\"")).VerifyAsync();
        }

        [Fact]
        public async Task Ops309_WithoutPolicy_NotChecked()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"availability\": { \"target\": 99.0 }\n}\n";
            await Project(manifest, policy: null).VerifyAsync();
        }

        [Fact]
        public async Task Ops310_HigherOnCallThanTheTargetCallsFor_IsACost()
        {
            await Project(Service(availability: "\"target\": 99.0", extra: ",\n  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"team\" }"))
                .Expect(At(RuleIds.OnCallDiffersFromTarget, DiagnosticSeverity.Warning, Manifest, 6, 53, 59,
                    "Property 'onCall.outOfHours' is \"team\" but a 99.0% target calls for \"domain\" with the organisation's on-call table: more cover than the target needs is a cost (standby for a schedule the target does not call for); declare \"domain\", or raise the target if the cover is needed"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops310_LowerOnCallThanTheTargetCallsFor_IsARisk_WithThePlaybooksTable()
        {
            await Project(Service(availability: "\"target\": 99.9", extra: ",\n  \"onCall\": { \"outOfHours\": \"none\" }"), policy: null)
                .Expect(At(RuleIds.OnCallDiffersFromTarget, DiagnosticSeverity.Warning, Manifest, 6, 29, 35,
                    "Property 'onCall.outOfHours' is \"none\" but a 99.9% target calls for \"team\" with the default on-call table: less cover than the target needs is a risk (callouts wait while the error budget burns); declare \"team\", or lower the target if the exposure allows it"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops310_DeclaredAsTheTargetCallsFor_NoDiagnostic()
        {
            await Project(Service(availability: "\"target\": 99.0", extra: ",\n  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"domain\" }")).VerifyAsync();
        }

        [Fact]
        public async Task Ops310_UnknownWord_IsOps303Only()
        {
            await Project(Service(extra: ",\n  \"onCall\": { \"outOfHours\": \"sometimes\" }"))
                .Expect(new DiagnosticResult(RuleIds.MalformedManifest, DiagnosticSeverity.Warning).WithSpan(Manifest, 6, 29, 6, 40))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops311_LowTargetWithMonthlyDeployments_IsTheWarningSign()
        {
            await Project(Service(availability: "\"target\": 95.0", extra: ",\n  \"deployment\": { \"target\": \"monthly\" },\n  \"onCall\": { \"outOfHours\": \"none\" }"), policy: null)
                .Expect(At(RuleIds.LowTargetsWarningSign, DiagnosticSeverity.Info, Manifest, 5, 31, 35,
                    "Availability target 95.0 with deployments monthly: A low availability target with monthly deployments is a warning sign: check the right thing is being built."))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops311_LowTargetWithWeeklyDeployments_NoDiagnostic()
        {
            await Project(Service(availability: "\"target\": 95.0", extra: ",\n  \"deployment\": { \"target\": \"weekly\" }"), policy: null).VerifyAsync();
        }

        [Fact]
        public async Task Ops312_ReviewDatePassed_ReportedAtTheDateInThePolicy()
        {
            await Project(Service(), "{\n  \"bandsReviewDate\": \"2000-01-31\"\n}\n")
                .Expect(At(RuleIds.PolicyReviewOverdue, DiagnosticSeverity.Info, PolicyPath, 2, 22, 34,
                    "The organisation's bands were due for review on 2000-01-31; review the exposure and feature-demand bands against this quarter's forecasts and incident losses, then set the next 'bandsReviewDate'"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Ops312_ReviewDateInTheFuture_NoDiagnostic()
        {
            await Project(Service(), "{ \"bandsReviewDate\": \"2999-12-31\" }").VerifyAsync();
        }

        [Fact]
        public async Task PolicyWithoutManifest_IsNotRead()
        {
            var test = new Test { TestCode = "public static class Greeter { }" };
            test.WithProperty("OutputType", "Library");
            test.TestState.AdditionalFiles.Add((PolicyPath, "not json"));
            await test.VerifyAsync();
        }
    }
}
