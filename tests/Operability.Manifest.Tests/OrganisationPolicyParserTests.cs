using System;
using System.Linq;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>Malformed and contradictory policies: a diagnostic at line:column, never an exception, and no policy.</summary>
    public sealed class OrganisationPolicyParserTests
    {
        private const string Band7000 = "{\"maxFinancialExposurePerHour\":7000,\"availability\":95.0}";

        /// <summary>Policy text on one line; the expected diagnostic starts at the first occurrence of <c>at</c> after <c>after</c>.</summary>
        [Theory]
        [InlineData("{\"exposureBands\":[" + Band7000 + ",{\"maxFinancialExposurePerHour\":7000,\"availability\":99.0}]}", "},{", "7000", ManifestDiagnosticKind.Policy, "exposureBands[1].maxFinancialExposurePerHour", "overlaps the band before it")]
        [InlineData("{\"exposureBands\":[" + Band7000 + ",{\"maxFinancialExposurePerHour\":5000,\"availability\":99.0}]}", "", "5000", ManifestDiagnosticKind.Policy, "exposureBands[1].maxFinancialExposurePerHour", "is out of order")]
        [InlineData("{\"exposureBands\":[{\"maxFinancialExposurePerHour\":10,\"availability\":99.9},{\"maxFinancialExposurePerHour\":20,\"availability\":99.0}]}", "", "99.0", ManifestDiagnosticKind.Policy, "exposureBands[1].availability", "strictly higher availability level")]
        [InlineData("{\"exposureBands\":[{\"maxFinancialExposurePerHour\":10,\"availability\":98}]}", "", "98", ManifestDiagnosticKind.Policy, "exposureBands[0].availability", "not a known availability level; accepted: 95.0, 99.0, 99.5, 99.9, 99.99")]
        [InlineData("{\"exposureBands\":[{\"maxFinancialExposurePerHour\":10,\"availability\":\"99.9\"}]}", "", "\"99.9\"", ManifestDiagnosticKind.Structure, "exposureBands[0].availability", "not a known availability level")]
        [InlineData("{\"exposureBands\":[{\"maxFinancialExposurePerHour\":7000}]}", "", "{\"max", ManifestDiagnosticKind.Policy, "exposureBands[0].availability", "a band with no availability level")]
        [InlineData("{\"exposureBands\":[{\"availability\":99.0}]}", "", "{\"avail", ManifestDiagnosticKind.Policy, "exposureBands[0].maxFinancialExposurePerHour", "is missing")]
        [InlineData("{\"exposureBands\":[{\"maxFinancialExposurePerHour\":-1,\"availability\":99.0}]}", "", "-1", ManifestDiagnosticKind.Structure, "exposureBands[0].maxFinancialExposurePerHour", "must be a number from 0")]
        [InlineData("{\"exposureBands\":[]}", "", "[]", ManifestDiagnosticKind.Policy, "exposureBands", "is empty")]
        [InlineData("{\"exposureBands\":{}}", "", "{}", ManifestDiagnosticKind.Structure, "exposureBands", "must be an array")]
        [InlineData("{\"exposureBands\":[7]}", "", "7", ManifestDiagnosticKind.Structure, "exposureBands[0]", "must be an object")]
        [InlineData("{\"featureDemandBands\":[{\"featureDemand\":\"low\",\"deployment\":\"monthly\"}]}", "", "[", ManifestDiagnosticKind.Policy, "featureDemandBands", "no band for \"medium\", \"high\", \"very-high\"")]
        [InlineData("{\"featureDemandBands\":[{\"featureDemand\":\"low\",\"deployment\":\"weekly\"},{\"featureDemand\":\"medium\",\"deployment\":\"monthly\"},{\"featureDemand\":\"high\",\"deployment\":\"weekly\"},{\"featureDemand\":\"very-high\",\"deployment\":\"daily\"}]}", "", "\"monthly\"", ManifestDiagnosticKind.Policy, "featureDemandBands[1].deployment", "less often than \"low\" (weekly)")]
        [InlineData("{\"featureDemandBands\":[{\"featureDemand\":\"low\"}]}", "[", "{\"f", ManifestDiagnosticKind.Policy, "featureDemandBands[0].deployment", "a band with no deployment frequency")]
        [InlineData("{\"featureDemandBands\":[{\"featureDemand\":\"low\",\"deployment\":\"sometimes\"}]}", "", "\"sometimes\"", ManifestDiagnosticKind.Structure, "featureDemandBands[0].deployment", "\"N per week\"")]
        [InlineData("{\"featureDemandBands\":[{\"featureDemand\":\"low\",\"deployment\":\"daily\"},{\"featureDemand\":\"low\",\"deployment\":\"daily\"}]}", "},{", "\"low\"", ManifestDiagnosticKind.Policy, "featureDemandBands[1].featureDemand", "already has a band at 'featureDemandBands[0]'")]
        [InlineData("{\"featureDemandBands\":[{\"featureDemand\":\"extreme\",\"deployment\":\"daily\"}]}", "", "\"extreme\"", ManifestDiagnosticKind.Structure, "featureDemandBands[0].featureDemand", "not a known feature demand")]
        [InlineData("{\"onCall\":[{\"availability\":99.9,\"workingHours\":\"team\",\"outOfHours\":\"none\"}]}", "", "99.9", ManifestDiagnosticKind.Policy, "onCall[0]", "On call at 99.9% (team/none) is less than at 99.5% (team/domain)")]
        [InlineData("{\"onCall\":[{\"availability\":99.0,\"workingHours\":\"everyone\",\"outOfHours\":\"none\"}]}", "", "\"everyone\"", ManifestDiagnosticKind.Structure, "onCall[0].workingHours", "not a known on-call level")]
        [InlineData("{\"onCall\":[{\"workingHours\":\"team\",\"outOfHours\":\"none\"}]}", "", "{\"w", ManifestDiagnosticKind.Policy, "onCall[0].availability", "an on-call row with no availability level")]
        [InlineData("{\"productDomains\":[{\"id\":\"checkout\"},{\"id\":\"Checkout\"}]}", "", "\"Checkout\"", ManifestDiagnosticKind.Policy, "productDomains[1].id", "Product domain \"Checkout\" at 'productDomains[1].id' is already declared at 'productDomains[0].id'")]
        [InlineData("{\"productDomains\":[{\"id\":\"checkout\",\"groupedBy\":\"geography\"}]}", "", "\"geography\"", ManifestDiagnosticKind.Structure, "productDomains[0].groupedBy", "accepted: \"customer-journey\", \"technology-capability\"")]
        [InlineData("{\"teams\":[{\"id\":\"team-a\"},{\"id\":\"TEAM-A\"}]}", "", "\"TEAM-A\"", ManifestDiagnosticKind.Policy, "teams[1].id", "Team \"TEAM-A\" at 'teams[1].id' is already declared at 'teams[0].id'")]
        [InlineData("{\"productDomains\":[{\"id\":\"checkout\"}],\"teams\":[{\"id\":\"team-a\",\"productDomains\":[\"checkout\",\"nowhere\"]}]}", "", "\"nowhere\"", ManifestDiagnosticKind.Policy, "teams[0].productDomains[1]", "names product domain \"nowhere\", which 'productDomains' does not list; known: \"checkout\"")]
        [InlineData("{\"teams\":[{\"id\":\"team-a\",\"productDomains\":[\"checkout\"]}]}", "", "\"checkout\"", ManifestDiagnosticKind.Policy, "teams[0].productDomains[0]", "the policy lists no product domains")]
        [InlineData("{\"teams\":[{\"name\":\"A\"}]}", "", "{\"n", ManifestDiagnosticKind.Structure, "teams[0].id", "is missing")]
        [InlineData("{\"teams\":[{\"id\":\"team-a\",\"outOfHoursRota\":2.5}]}", "", "2.5", ManifestDiagnosticKind.Structure, "teams[0].outOfHoursRota", "whole number of people")]
        [InlineData("{\"bandsReviewDate\":\"2027-02-30\"}", "", "\"2027", ManifestDiagnosticKind.Structure, "bandsReviewDate", "not a date; write it as \"yyyy-MM-dd\"")]
        [InlineData("{\"bandsReviewDate\":\"31/03/2027\"}", "", "\"31", ManifestDiagnosticKind.Structure, "bandsReviewDate", "not a date")]
        [InlineData("{\"standbyCostPerWeek\":-1}", "", "-1", ManifestDiagnosticKind.Structure, "standbyCostPerWeek", "must be a number from 0")]
        [InlineData("{\"currency\":\"\"}", "", "\"\"", ManifestDiagnosticKind.Structure, "currency", "non-blank string")]
        [InlineData("{\"exposurebands\":[]}", "", "\"exposurebands\"", ManifestDiagnosticKind.Structure, "exposurebands", "is not part of an organisation policy")]
        [InlineData("{\"teams\":[{\"id\":\"a\",\"rota\":3}]}", "", "\"rota\"", ManifestDiagnosticKind.Structure, "teams[0].rota", "accepted here: id, name, productDomains, onCallContact, outOfHoursRota")]
        [InlineData("{\"currency\":\"GBP\",\"currency\":\"EUR\"}", ",", "\"currency\"", ManifestDiagnosticKind.Structure, "currency", "declared twice")]
        [InlineData("[]", "", "[", ManifestDiagnosticKind.Structure, "", "must be a JSON object")]
        [InlineData("{\"currency\":\"GBP\"", "", "", ManifestDiagnosticKind.Syntax, "", "")]
        public void Parse_MalformedOrContradictory_IsAPositionedDiagnosticAndNoPolicy(string text, string after, string at, ManifestDiagnosticKind kind, string path, string message)
        {
            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);

            int offset = at.Length == 0 ? text.Length : text.IndexOf(at, text.IndexOf(after, StringComparison.Ordinal) + after.Length, StringComparison.Ordinal);
            Assert.True(offset >= 0, "the test's marker is not in the text");
            ManifestDiagnostic diagnostic = Assert.Single(result.Diagnostics, d => d.Kind == kind);
            Assert.Equal((path, new SourcePosition(1, offset + 1)), (diagnostic.Path, diagnostic.Position));
            Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
            Assert.False(result.IsValid);
            Assert.Null(result.Policy);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void Parse_RotaUnderThreePeople_IsAWarningAndThePolicyStaysUsable(int people)
        {
            string text = OrganisationPolicyTests.SampleText().Replace("\"outOfHoursRota\": 4", "\"outOfHoursRota\": " + people, StringComparison.Ordinal);

            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);

            ManifestDiagnostic warning = Assert.Single(result.Diagnostics);
            Assert.Equal(ManifestDiagnosticKind.PolicyWarning, warning.Kind);
            Assert.Equal("teams[1].outOfHoursRota", warning.Path);
            Assert.Equal(25, warning.Position.Line);
            Assert.Equal(text.Split('\n')[24].IndexOf("\"outOfHoursRota\": ", StringComparison.Ordinal) + "\"outOfHoursRota\": ".Length + 1, warning.Position.Column);
            Assert.Contains("at least 3", warning.Message, StringComparison.Ordinal);
            Assert.StartsWith("Team 'team-payments' (teams[1]) has " + people + " people", warning.Message, StringComparison.Ordinal);
            Assert.True(result.IsValid);
            Assert.Equal(people, result.Policy!.FindTeam("team-payments")!.OutOfHoursRota);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        public void Parse_RotaOfNoneOrThreeOrMore_IsNoWarning(int people)
        {
            string text = OrganisationPolicyTests.SampleText().Replace("\"outOfHoursRota\": 4", "\"outOfHoursRota\": " + people, StringComparison.Ordinal);

            Assert.Empty(OrganisationPolicyParser.Parse(text).Diagnostics);
        }

        [Fact]
        public void Parse_SeveralProblems_ReportsEachInDocumentOrder()
        {
            string text = "{\n  \"teams\": [ { \"id\": \"a\" }, { \"id\": \"a\" } ],\n  \"exposureBands\": [ { \"availability\": 42 } ]\n}";

            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);

            Assert.Equal(
                new[] { "2:37 teams[1].id", "3:22 exposureBands[0].maxFinancialExposurePerHour", "3:40 exposureBands[0].availability" },
                result.Diagnostics.Select(d => d.Position + " " + d.Path));
            Assert.Null(result.Policy);
        }

        [Fact]
        public void Parse_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => OrganisationPolicyParser.Parse(null!));
        }
    }
}
