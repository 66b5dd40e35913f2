using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>The organisation policy: the playbook's defaults, a custom policy, and every selector reading it.</summary>
    public sealed class OrganisationPolicyTests
    {
        internal static string SampleText() =>
            File.ReadAllText(Path.Combine(SchemaTests.RepositoryRoot(), "samples", "organisation", OrganisationPolicy.FileName));

        internal static OrganisationPolicy Sample()
        {
            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(SampleText());
            Assert.Empty(result.Diagnostics);
            return result.Policy!;
        }

        [Theory]
        [InlineData("ecommerce-platform", 810000, 99.9)]
        [InlineData("appointments", 6000, 95.0)]
        [InlineData("bedroom", 200000, 99.0)]
        public void Playbook_WorkedExamples_SelectThePlaybooksTargets(string service, int exposure, double expected)
        {
            Assert.True((decimal)expected == OrganisationPolicy.Playbook.SelectTarget(exposure), service);
            Assert.Equal((decimal)expected, AvailabilitySelector.For(null).SelectTarget(exposure));
        }

        [Fact]
        public void Playbook_IsTheOneTableEverySelectorReads()
        {
            Assert.Same(OrganisationPolicy.Playbook.AvailabilitySelector, AvailabilitySelector.Default);
            foreach (FeatureDemand demand in Enum.GetValues<FeatureDemand>())
            {
                Assert.Equal(DeploymentFrequency.From(DeploymentSelector.For(demand)), OrganisationPolicy.Playbook.DeploymentFor(demand));
            }

            Assert.Equal(
                new[] { "95.0%: Team/None", "99.0%: Team/Domain", "99.5%: Team/Domain", "99.9%: Team/Team", "99.99%: Team/Team" },
                OrganisationPolicy.Playbook.OnCall.Select(r => r.ToString()));
        }

        [Fact]
        public void EmptyPolicy_IsValidAndHasThePlaybooksValues()
        {
            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse("{ \"$schema\": \"x\" }");

            Assert.Empty(result.Diagnostics);
            OrganisationPolicy policy = Assert.IsType<OrganisationPolicy>(result.Policy);
            Assert.Same(OrganisationPolicy.Playbook.AvailabilitySelector, policy.AvailabilitySelector);
            Assert.Same(OrganisationPolicy.Playbook.DemandBands, policy.DemandBands);
            Assert.Same(OrganisationPolicy.Playbook.OnCall, policy.OnCall);
            Assert.Equal("USD", policy.Currency);
            Assert.Empty(policy.Teams);
            Assert.Empty(policy.ProductDomains);
            Assert.Null(policy.StandbyCostPerWeek);
            Assert.Null(policy.BandsReviewDate);
        }

        [Theory]
        [InlineData(0, 99.0)]
        [InlineData(6000, 99.0)]      // appointments: 95.0 with the playbook's bands
        [InlineData(10000, 99.0)]
        [InlineData(10001, 99.5)]
        [InlineData(100000, 99.5)]
        [InlineData(200000, 99.99)]   // bedroom: 99.0 with the playbook's bands
        [InlineData(810000, 99.99)]   // ecommerce-platform: 99.9 with the playbook's bands
        [InlineData(5000000, 99.99)]  // above every band: the top band's
        public void CustomBands_SelectTheOrganisationsTargets(int exposure, double expected)
        {
            OrganisationPolicy policy = Sample();

            Assert.Equal((decimal)expected, policy.SelectTarget(exposure));
            Assert.Equal((decimal)expected, AvailabilitySelector.For(policy).SelectTarget(exposure));
        }

        [Fact]
        public void CustomPolicy_ReadsEveryField()
        {
            OrganisationPolicy policy = Sample();

            Assert.Equal("GBP", policy.Currency);
            Assert.Equal(new[] { (10000m, 99.0m), (100000m, 99.5m), (1000000m, 99.99m) }, policy.AvailabilitySelector.Bands.Select(b => (b.MaxExposurePerHour, b.AvailabilityTarget)));
            Assert.Equal(new[] { "fortnightly", "weekly", "3 per week", "daily" }, policy.DemandBands.Select(b => b.Deployment.ToString()));
            Assert.Equal(new[] { "checkout", "fulfilment", "reporting" }, policy.ProductDomains.Select(d => d.Id));
            Assert.Equal(new[] { DomainGrouping.CustomerJourney, DomainGrouping.CustomerJourney, DomainGrouping.TechnologyCapability }, policy.ProductDomains.Select(d => d.GroupedBy));
            Assert.Equal(new[] { "team-orders", "team-payments", "team-stock", "team-dispatch", "team-integration", "team-insights" }, policy.Teams.Select(t => t.Id));
            PolicyTeam orders = policy.FindTeam("TEAM-ORDERS")!;
            Assert.Equal(("Orders", "https://pager.example/orders", 5), (orders.Name, orders.OnCallContact, orders.OutOfHoursRota));
            Assert.Equal(new[] { "checkout" }, orders.ProductDomains);
            Assert.Equal(new SourcePosition(24, 13), orders.Position);
            Assert.NotNull(policy.FindProductDomain("Reporting"));
            Assert.Null(policy.FindTeam("team-unknown"));
            Assert.Equal(1200m, policy.StandbyCostPerWeek);
            Assert.Equal(new DateTime(2027, 3, 31), policy.BandsReviewDate);
        }

        [Theory]
        [InlineData(95.0, OnCallLevel.None, OnCallLevel.None)]
        [InlineData(99.0, OnCallLevel.Domain, OnCallLevel.Domain)]
        [InlineData(99.5, OnCallLevel.Domain, OnCallLevel.Team)]   // the sample raises 99.5 to a team schedule
        [InlineData(99.7, OnCallLevel.Domain, OnCallLevel.Team)]
        [InlineData(99.9, OnCallLevel.Team, OnCallLevel.Team)]
        public void OnCallFor_ReadsThePolicysTable(double target, OnCallLevel playbook, OnCallLevel custom)
        {
            Assert.Equal((OnCallLevel.Team, playbook), Availability.OnCallFor((decimal)target));
            Assert.Equal((OnCallLevel.Team, custom), Availability.OnCallFor((decimal)target, Sample()));
        }

        [Theory]
        [InlineData(FeatureDemand.Low, "monthly", "fortnightly")]
        [InlineData(FeatureDemand.Medium, "fortnightly", "weekly")]
        [InlineData(FeatureDemand.High, "weekly", "3 per week")]
        [InlineData(FeatureDemand.VeryHigh, "daily", "daily")]
        public void DeploymentFor_ReadsThePolicysDemandBands(FeatureDemand demand, string playbook, string custom)
        {
            Assert.Equal(playbook, DeploymentSelector.FrequencyFor(demand).ToString());
            Assert.Equal(custom, DeploymentSelector.FrequencyFor(demand, Sample()).ToString());
        }

        [Theory]
        [InlineData(810000, "0:10:05", "0:01:00")]
        [InlineData(6000, "8:24:00", "1:40:48")]
        public void TolerableUnavailability_FollowsThePolicysBands(int exposure, string playbook, string custom)
        {
            Assert.Equal(playbook, Availability.FormatForDisplay(OrganisationPolicy.Playbook.TolerableUnavailabilityPerWeek(exposure)));
            Assert.Equal(custom, Availability.FormatForDisplay(Sample().TolerableUnavailabilityPerWeek(exposure)));
        }

        [Theory]
        [InlineData("2027-03-31T00:00:00Z", false)]
        [InlineData("2027-03-31T23:59:59.999Z", false)]
        [InlineData("2027-04-01T05:00:00+10:00", false)] // 19:00 on the 31st in UTC
        [InlineData("2027-04-01T00:00:00Z", true)]
        [InlineData("2027-03-31T22:00:00-03:00", true)]  // 01:00 on the 1st in UTC
        [InlineData("2030-01-01T00:00:00Z", true)]
        public void IsReviewOverdue_OnlyOnceTheReviewDayIsOverInUtc(string now, bool overdue)
        {
            Assert.Equal(overdue, Sample().IsReviewOverdue(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
        }

        [Fact]
        public void IsReviewOverdue_WithoutAReviewDate_IsNeverOverdue()
        {
            Assert.False(OrganisationPolicy.Playbook.IsReviewOverdue(DateTimeOffset.MaxValue));
        }

        [Theory]
        [InlineData("monthly", 12 / 52.0)]
        [InlineData("fortnightly", 0.5)]
        [InlineData("weekly", 1)]
        [InlineData("daily", 5)]
        [InlineData("0.75 per week", 0.75)]
        [InlineData("3 per week", 3)]
        public void DeploymentFrequency_Parses(string text, double perWeek)
        {
            Assert.True(DeploymentFrequency.TryParse(text, out DeploymentFrequency frequency));
            Assert.Equal(perWeek, (double)frequency.PerWeek, 10);
        }

        [Theory]
        [InlineData("1 per week", "weekly")]
        [InlineData("0.50 per week", "fortnightly")]
        [InlineData("5 per week", "5 per week")]
        public void DeploymentFrequency_ExactWeeklyAndFortnightlyAreNamed(string text, string shown)
        {
            Assert.True(DeploymentFrequency.TryParse(text, out DeploymentFrequency frequency));
            Assert.Equal(shown, frequency.ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("Weekly")]
        [InlineData("0 per week")]
        [InlineData("-1 per week")]
        [InlineData(" 2 per week")]
        [InlineData("2 per  week")]
        [InlineData("per week")]
        [InlineData("1e3 per week")]
        [InlineData("2 per month")]
        public void DeploymentFrequency_RefusesOtherText(string text)
        {
            Assert.False(DeploymentFrequency.TryParse(text, out _));
        }

        [Fact]
        public void ManifestParse_WithAPolicy_DerivesTargetOnCallAndDeploymentFromIt()
        {
            const string text = "{ \"service\": \"a\", \"owner\": \"t\", \"availability\": { \"financialExposurePerHour\": 60000 }, \"deployment\": { \"featureDemand\": \"high\" } }";

            ServiceManifest withPolicy = ManifestParser.Parse(text, Sample()).Manifest!;
            ServiceManifest without = ManifestParser.Parse(text).Manifest!;

            Assert.Equal((99.5m, OnCallLevel.Team, "3 per week", (DeploymentTarget?)null), (withPolicy.AvailabilityTarget, withPolicy.OutOfHoursOnCall, withPolicy.DeploymentFrequency.ToString(), withPolicy.DeploymentTarget));
            Assert.Equal((99.0m, OnCallLevel.Domain, "weekly", (DeploymentTarget?)DeploymentTarget.Weekly), (without.AvailabilityTarget, without.OutOfHoursOnCall, without.DeploymentFrequency.ToString(), without.DeploymentTarget));
        }

        [Fact]
        public void ManifestParse_WithAPolicy_ReportsATargetTheOrganisationsBandsDisagreeWith()
        {
            const string text = "{ \"service\": \"a\", \"owner\": \"t\", \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 } }";

            Assert.Empty(ManifestParser.Parse(text).Diagnostics);
            ManifestDiagnostic mismatch = Assert.Single(ManifestParser.Parse(text, Sample()).Diagnostics);
            Assert.Equal(ManifestDiagnosticKind.AvailabilityMismatch, mismatch.Kind);
            Assert.Equal(new SourcePosition(1, 61), mismatch.Position);
            Assert.Equal("Property 'availability.target' is 99.9 but 'availability.financialExposurePerHour' 810000 selects 99.99 with the organisation's exposure bands; declare 99.99 or explain the difference", mismatch.Message);
        }

        [Fact]
        public void ManifestParse_DeclaredDeploymentTarget_IsItsFrequency()
        {
            ServiceManifest manifest = ManifestParser.Parse("{ \"service\": \"a\", \"owner\": \"t\", \"availability\": { \"target\": 99 }, \"deployment\": { \"target\": \"fortnightly\", \"featureDemand\": \"high\" } }", Sample()).Manifest!;

            Assert.Equal(DeploymentFrequency.Fortnightly, manifest.DeploymentFrequency);
        }
    }
}
