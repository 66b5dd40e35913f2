using System;
using System.Linq;
using CsCheck;
using Operability.Manifest.Json;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>
    /// Property-based tests of <see cref="OrganisationPolicyParser"/>: it never throws, every diagnostic is located
    /// inside the text, a policy with any problem but a warning gives no policy (never the defaults instead), and valid
    /// policies read back exactly the values they declare. Runner, generators and position helpers are the manifest's.
    /// </summary>
    public sealed class OrganisationPolicyPropertyTests
    {
        [Fact]
        public void Parse_GeneratedValidPolicy_ReadsBackEveryDeclaredValue()
        {
            ManifestGenerators.ForAll(PolicyGenerators.ValidPolicy, generated =>
            {
                OrganisationPolicyParseResult result = ParseChecked(generated.Render());

                Assert.Empty(result.Diagnostics);
                AssertReadsBack(generated, result.Policy!);
            }, iterations: 300, print: g => g.ToString());
        }

        [Fact]
        public void Parse_RandomEditsOfValidPolicies_NeverThrowLocateEveryDiagnosticAndNeverFallBackToDefaults()
        {
            Gen<string> edited = PolicyGenerators.ValidPolicy.Select(p => p.Render()).SelectMany(text =>
                Gen.Select(
                    Gen.Int[0, text.Length],
                    Gen.Int[0, 2],
                    Gen.Frequency(
                        (4, Gen.Frequency((4, Gen.Char["{}[]:,\"\\/*-+.0159eE \n"]), (1, Gen.Char[ManifestGenerators.OddCharacters])).Array[1, 4].Select(chars => new string(chars))),
                        (1, ManifestGenerators.BrokenEscape),
                        (2, Gen.Frequency((3, ManifestGenerators.NumberText), (2, ManifestGenerators.JsonValue), (1, ManifestGenerators.DeepValue)))),
                    (at, edit, inserted) => edit switch
                    {
                        0 => text.Insert(at, inserted),
                        1 => text.Remove(at, Math.Min(inserted.Length, text.Length - at)),
                        _ => text.Remove(at, Math.Min(inserted.Length, text.Length - at)).Insert(at, inserted),
                    }));
            ManifestGenerators.ForAll(edited, text => ParseChecked(text), iterations: 800, print: ManifestGenerators.Escape);
        }

        [Fact]
        public void Parse_RandomText_NeverThrowsAndLocatesEveryDiagnostic()
        {
            ManifestGenerators.ForAll(ManifestGenerators.RandomText, text => ParseChecked(text), iterations: 1500, print: ManifestGenerators.Escape);
        }

        [Fact]
        public void Parse_AnyNumberAsABandLevel_IsAcceptedExactlyWhenAnAllowedLevel()
        {
            Gen<string> numbers = Gen.Frequency(
                (3, ManifestGenerators.NumberText),
                (1, Gen.OneOf(OrganisationPolicy.AvailabilityLevels.ToArray()).Select(l => l.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))));
            ManifestGenerators.ForAll(numbers, number =>
            {
                string text = "{ \"exposureBands\": [ { \"maxFinancialExposurePerHour\": 1, \"availability\": " + number + " } ] }";
                OrganisationPolicyParseResult result = ParseChecked(text);

                decimal? value = JsonReader.Read(number).Root is JsonNumber n ? n.DecimalValue : null;
                bool allowed = value.HasValue && OrganisationPolicy.AvailabilityLevels.Contains(value.Value);
                Assert.Equal(allowed, result.IsValid);
                if (!allowed)
                {
                    ManifestDiagnostic d = Assert.Single(result.Diagnostics);
                    Assert.Equal(("exposureBands[0].availability", ManifestDiagnosticKind.Policy), (d.Path, d.Kind));
                    Assert.Equal(text.LastIndexOf(number, StringComparison.Ordinal) + 1, d.Position.Column);
                }
            }, iterations: 300, print: ManifestGenerators.Escape);
        }

        /// <summary>Parses, asserting the invariants every input keeps.</summary>
        private static OrganisationPolicyParseResult ParseChecked(string text)
        {
            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);
            ManifestPropertyTests.AssertLocated(text, result.Diagnostics);
            Assert.Equal(JsonReader.Read(text).Error != null, result.Diagnostics.Any(d => d.Kind == ManifestDiagnosticKind.Syntax));
            bool blocking = result.Diagnostics.Any(d => d.Kind != ManifestDiagnosticKind.PolicyWarning);
            Assert.Equal(!blocking, result.IsValid);
            Assert.Equal(result.IsValid, result.Policy != null);
            if (result.Policy is OrganisationPolicy policy)
            {
                // What every consumer relies on: a complete, ordered table for each selector.
                Assert.Equal(policy.AvailabilitySelector.Bands.OrderBy(b => b.MaxExposurePerHour), policy.AvailabilitySelector.Bands);
                Assert.Equal(Enum.GetValues<FeatureDemand>(), policy.DemandBands.Select(b => b.FeatureDemand));
                Assert.Equal(OrganisationPolicy.AvailabilityLevels, policy.OnCall.Select(r => r.AvailabilityLevel));
            }

            return result;
        }

        private static void AssertReadsBack(GeneratedPolicy generated, OrganisationPolicy policy)
        {
            OrganisationPolicy playbook = OrganisationPolicy.Playbook;
            Assert.Equal(generated.Currency ?? playbook.Currency, policy.Currency);
            Assert.Equal(
                generated.Bands?.Select(b => (b.Max, b.Level)) ?? playbook.AvailabilitySelector.Bands.Select(b => (b.MaxExposurePerHour, b.AvailabilityTarget)),
                policy.AvailabilitySelector.Bands.Select(b => (b.MaxExposurePerHour, b.AvailabilityTarget)));
            Assert.Equal(
                generated.Demand?.Select(PolicyGenerators.Frequency) ?? playbook.DemandBands.Select(b => b.Deployment),
                policy.DemandBands.Select(b => b.Deployment));
            Assert.Equal(
                generated.OnCall?.Select(r => ((OnCallLevel)r.WorkingHours, (OnCallLevel)r.OutOfHours)) ?? playbook.OnCall.Select(r => (r.WorkingHours, r.OutOfHours)),
                policy.OnCall.Select(r => (r.WorkingHours, r.OutOfHours)));
            Assert.Equal(
                generated.Domains.Select(d => (d.Id, d.GroupedBy is int g && g < 2 ? (DomainGrouping)(g + 1) : DomainGrouping.Unspecified, d.Note)),
                policy.ProductDomains.Select(d => (d.Id, d.GroupedBy, d.Note)));
            Assert.Equal(
                generated.Teams.Select(t => (t.Id, t.Name, string.Join("|", t.Domains), t.Contact, t.Rota)),
                policy.Teams.Select(t => (t.Id, t.Name, string.Join("|", t.ProductDomains), t.OnCallContact, t.OutOfHoursRota)));
            Assert.Equal(generated.StandbyCost, policy.StandbyCostPerWeek);
            Assert.Equal(generated.ReviewDate, policy.BandsReviewDate);
            Assert.Equal(generated.Incident?.High ?? IncidentThresholds.Playbook.HighLossShare, policy.IncidentThresholds.HighLossShare);
            Assert.Equal(generated.Incident?.Medium ?? IncidentThresholds.Playbook.MediumLossShare, policy.IncidentThresholds.MediumLossShare);
        }
    }
}
