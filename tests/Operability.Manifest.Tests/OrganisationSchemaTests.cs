using System;
using System.IO;
using System.Text.Json;
using Json.Schema;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary><c>schemas/operability.organisation.schema.json</c> agrees with <see cref="OrganisationPolicyParser"/>.</summary>
    public sealed class OrganisationSchemaTests
    {
        // Built once: the schema registers its $id, and building it again would try to register it twice.
        private static readonly Lazy<JsonSchema> Schema = new Lazy<JsonSchema>(
            () => JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaTests.RepositoryRoot(), "schemas", "operability.organisation.schema.json"))));

        private static bool IsValid(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json, SchemaTests.EditorJson);
            return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
        }

        [Fact]
        public void Schema_SamplePolicy_ValidatesAndParsesWithoutDiagnostics()
        {
            string text = OrganisationPolicyTests.SampleText();

            Assert.True(IsValid(text));
            Assert.Empty(OrganisationPolicyParser.Parse(text).Diagnostics);
        }

        [Theory]
        [InlineData("{}")]
        [InlineData(@"{ ""exposureBands"": [ { ""maxFinancialExposurePerHour"": 1000.5, ""availability"": 99.90 } ] }")]
        [InlineData(@"{ ""featureDemandBands"": [ { ""featureDemand"": ""low"", ""deployment"": ""0.75 per week"" }, { ""featureDemand"": ""medium"", ""deployment"": ""weekly"" }, { ""featureDemand"": ""high"", ""deployment"": ""3 per week"" }, { ""featureDemand"": ""very-high"", ""deployment"": ""daily"" } ] }")]
        [InlineData(@"{ ""onCall"": [ { ""availability"": 95, ""workingHours"": ""team"", ""outOfHours"": ""none"" } ] }")]
        [InlineData(@"{ ""teams"": [ { ""id"": ""t"", ""outOfHoursRota"": 0 } ], ""standbyCostPerWeek"": 0, ""bandsReviewDate"": ""2027-12-31"" }")]
        public void Schema_ValidPolicy_Validates(string json)
        {
            Assert.True(IsValid(json));
            Assert.True(OrganisationPolicyParser.Parse(json).IsValid);
        }

        [Theory]
        [InlineData(@"{ ""exposureBands"": [] }")]
        [InlineData(@"{ ""exposureBands"": [ { ""maxFinancialExposurePerHour"": 7000 } ] }")]
        [InlineData(@"{ ""exposureBands"": [ { ""maxFinancialExposurePerHour"": 7000, ""availability"": 98 } ] }")]
        [InlineData(@"{ ""exposureBands"": [ { ""maxFinancialExposurePerHour"": -1, ""availability"": 99.0 } ] }")]
        [InlineData(@"{ ""featureDemandBands"": [ { ""featureDemand"": ""low"", ""deployment"": ""monthly"" } ] }")]
        [InlineData(@"{ ""featureDemandBands"": [ { ""featureDemand"": ""low"", ""deployment"": ""sometimes"" }, { ""featureDemand"": ""medium"", ""deployment"": ""weekly"" }, { ""featureDemand"": ""high"", ""deployment"": ""weekly"" }, { ""featureDemand"": ""very-high"", ""deployment"": ""daily"" } ] }")]
        [InlineData(@"{ ""onCall"": [ { ""availability"": 99.0, ""workingHours"": ""everyone"", ""outOfHours"": ""none"" } ] }")]
        [InlineData(@"{ ""productDomains"": [ { ""id"": ""c"", ""groupedBy"": ""geography"" } ] }")]
        [InlineData(@"{ ""teams"": [ { ""name"": ""no id"" } ] }")]
        [InlineData(@"{ ""teams"": [ { ""id"": ""t"", ""outOfHoursRota"": -1 } ] }")]
        [InlineData(@"{ ""teams"": [ { ""id"": ""t"", ""outOfHoursRota"": 2.5 } ] }")]
        [InlineData(@"{ ""standbyCostPerWeek"": -5 }")]
        [InlineData(@"{ ""bandsReviewDate"": ""31/03/2027"" }")]
        [InlineData(@"{ ""currency"": """" }")]
        [InlineData(@"{ ""exposurebands"": [] }")]
        public void Schema_InvalidPolicy_FailsAndParserAgrees(string json)
        {
            Assert.False(IsValid(json));
            Assert.False(OrganisationPolicyParser.Parse(json).IsValid);
        }
    }
}
