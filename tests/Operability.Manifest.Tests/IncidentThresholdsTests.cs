using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Json.Schema;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>The policy's optional <c>incident</c> thresholds: read, checked, and used to classify an incident's loss.</summary>
    public sealed class IncidentThresholdsTests
    {
        private static readonly Lazy<JsonSchema> Schema = new Lazy<JsonSchema>(
            () => JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaTests.RepositoryRoot(), "schemas", "operability.organisation.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

        private static bool SchemaAccepts(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            return Schema.Value.Evaluate(document.RootElement).IsValid;
        }

        [Fact]
        public void Policy_WithoutIncident_HasThePlaybooksQuarterAndWhole()
        {
            OrganisationPolicy policy = OrganisationPolicyParser.Parse("{}").Policy!;

            Assert.Equal(1m, policy.IncidentThresholds.HighLossShare);
            Assert.Equal(0.25m, policy.IncidentThresholds.MediumLossShare);
            Assert.Same(IncidentThresholds.Playbook, OrganisationPolicy.Playbook.IncidentThresholds);
        }

        [Fact]
        public void Policy_WithIncident_ReadsBothShares()
        {
            OrganisationPolicy policy = OrganisationPolicyParser.Parse("{ \"incident\": { \"highLossShare\": 0.5, \"mediumLossShare\": 0.1 } }").Policy!;

            Assert.Equal(0.5m, policy.IncidentThresholds.HighLossShare);
            Assert.Equal(0.1m, policy.IncidentThresholds.MediumLossShare);
        }

        [Fact]
        public void Policy_WithOneShare_KeepsThePlaybooksOther()
        {
            OrganisationPolicy policy = OrganisationPolicyParser.Parse("{ \"incident\": { \"highLossShare\": 2 } }").Policy!;

            Assert.Equal(2m, policy.IncidentThresholds.HighLossShare);
            Assert.Equal(0.25m, policy.IncidentThresholds.MediumLossShare);
        }

        [Theory]
        [InlineData("{\"incident\":{\"highLossShare\":0}}", "0", "incident.highLossShare", "must be a number above 0 and at most 1000", true)]
        [InlineData("{\"incident\":{\"mediumLossShare\":-0.25}}", "-0.25", "incident.mediumLossShare", "must be a number above 0 and at most 1000", true)]
        [InlineData("{\"incident\":{\"highLossShare\":1001}}", "1001", "incident.highLossShare", "at most 1000", true)]
        [InlineData("{\"incident\":{\"highLossShare\":\"1\"}}", "\"1\"", "incident.highLossShare", "must be a number", true)]
        [InlineData("{\"incident\":{\"highLossShare\":0.5,\"mediumLossShare\":0.5}}", "0.5}", "incident.mediumLossShare", "a medium loss starts below a high one", false)]
        [InlineData("{\"incident\":{\"mediumLossShare\":1.5}}", "1.5", "incident.mediumLossShare", "a medium loss starts below a high one (highLossShare 1)", false)]
        [InlineData("{\"incident\":{\"high\":1}}", "\"high\"", "incident.high", "accepted here: highLossShare, mediumLossShare", true)]
        [InlineData("{\"incident\":[]}", "[]", "incident", "must be an object", true)]
        public void Policy_BadIncident_IsAPositionedDiagnosticAndNoPolicy(string text, string at, string path, string message, bool schemaRejects)
        {
            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);

            Assert.Null(result.Policy);
            ManifestDiagnostic diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(path, diagnostic.Path);
            Assert.Contains(message, diagnostic.Message);
            Assert.Equal(1, diagnostic.Position.Line);
            Assert.Equal(text.LastIndexOf(at, StringComparison.Ordinal) + 1, diagnostic.Position.Column);

            // The order of the two shares is a cross-field rule JSON Schema cannot state; the rest it rejects too.
            Assert.Equal(schemaRejects, !SchemaAccepts(text));
        }

        [Theory]
        [InlineData("{\"incident\":{\"highLossShare\":0.5,\"mediumLossShare\":0.1}}")]
        [InlineData("{\"incident\":{}}")]
        [InlineData("{\"incident\":{\"highLossShare\":1000}}")]
        public void Schema_ValidIncident_ValidatesAndParses(string text)
        {
            Assert.True(SchemaAccepts(text));
            Assert.True(OrganisationPolicyParser.Parse(text).IsValid);
        }

        [Theory]
        [InlineData(68040, IncidentSeverity.High)]
        [InlineData(68039, IncidentSeverity.Medium)]
        [InlineData(13608, IncidentSeverity.Medium)]
        [InlineData(13607, IncidentSeverity.Low)]
        public void IncidentLoss_WithThePolicysThresholds_ClassifiesByThem(int actual, IncidentSeverity severity)
        {
            // 810,000 an hour at 99.9% projects 136,080 a week: high from half of it, medium from a tenth.
            IncidentThresholds thresholds = OrganisationPolicyParser.Parse("{ \"incident\": { \"highLossShare\": 0.5, \"mediumLossShare\": 0.1 } }").Policy!.IncidentThresholds;

            IncidentLoss loss = IncidentLoss.For(810000m, 99.9m, actual, thresholds);

            Assert.Equal(severity, loss.Severity);
            Assert.Equal(68040m, loss.HighLossFrom);
            Assert.Equal(13608m, loss.MediumLossFrom);
        }

        [Fact]
        public void IncidentLoss_FromDurationWithThresholds_ClassifiesByThem()
        {
            IncidentThresholds thresholds = OrganisationPolicyParser.Parse("{ \"incident\": { \"highLossShare\": 3 } }").Policy!.IncidentThresholds;

            // 20 minutes cost 270,000: high on the playbook's thresholds, medium when high starts at three weeks' projected loss.
            Assert.Equal(IncidentSeverity.High, IncidentLoss.For(810000m, 99.9m, TimeSpan.FromMinutes(20)).Severity);
            Assert.Equal(IncidentSeverity.Medium, IncidentLoss.For(810000m, 99.9m, TimeSpan.FromMinutes(20), thresholds).Severity);
        }
    }
}
