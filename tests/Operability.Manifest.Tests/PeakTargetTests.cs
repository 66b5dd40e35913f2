using System;
using System.Linq;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>Peak-event targets: <c>availability.peaks</c>, its validation, and the target in force at an instant.</summary>
    public sealed class PeakTargetTests
    {
        private static readonly DateTimeOffset BlackFridayStart = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset BlackFridayEnd = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>A manifest whose availability is <c>{ "target": 99.0, "peaks": [ … ] }</c>; each peak on its own line, from line 5, column 5.</summary>
        private static string WithPeaks(params string[] peaks) =>
            "{\n  \"service\": \"shop\",\n  \"owner\": \"team-shop\",\n  \"availability\": { \"target\": 99.0, \"peaks\": [\n"
            + string.Join(",\n", peaks.Select(p => "    " + p)) + "\n  ] }\n}";

        private const string BlackFriday = "{ \"name\": \"black-friday\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-12-01T00:00:00Z\", \"financialExposurePerHour\": 2500000 }";

        private static ManifestDiagnostic Single(string json)
        {
            ManifestParseResult result = ManifestParser.Parse(json);
            return Assert.Single(result.Diagnostics);
        }

        private static void AssertAt(ManifestDiagnostic d, ManifestDiagnosticKind kind, string path, int line, int column)
        {
            Assert.Equal((kind, path, new SourcePosition(line, column)), (d.Kind, d.Path, d.Position));
        }

        [Fact]
        public void Parse_PeakWithExposure_SelectsItsTargetFromTheBands()
        {
            ManifestParseResult result = ManifestParser.Parse(WithPeaks(BlackFriday));

            Assert.Empty(result.Diagnostics);
            AvailabilityPeak peak = Assert.Single(result.Manifest!.Peaks);
            Assert.Equal(("black-friday", BlackFridayStart, BlackFridayEnd, (decimal?)2500000m, 99.9m), (peak.Name, peak.From, peak.Until, peak.FinancialExposurePerHour, peak.Target));
            Assert.Equal(new SourcePosition(5, 15), peak.Position);
        }

        [Fact]
        public void Parse_PeakWithExposure_UsesTheOrganisationsBands()
        {
            OrganisationPolicy policy = OrganisationPolicyParser.Parse(@"{ ""exposureBands"": [ { ""maxFinancialExposurePerHour"": 10000, ""availability"": 99.0 }, { ""maxFinancialExposurePerHour"": 1000000, ""availability"": 99.5 }, { ""maxFinancialExposurePerHour"": 5000000, ""availability"": 99.99 } ] }").Policy!;

            ManifestParseResult result = ManifestParser.Parse(WithPeaks(BlackFriday), policy);

            Assert.Empty(result.Diagnostics);
            Assert.Equal(99.99m, Assert.Single(result.Manifest!.Peaks).Target);
        }

        [Fact]
        public void Parse_PeakWithTargetAndOffset_ReadsTheInstantWithItsOffset()
        {
            ManifestParseResult result = ManifestParser.Parse(WithPeaks("{ \"name\": \"diwali\", \"from\": \"2026-11-08T00:00:00+05:30\", \"until\": \"2026-11-09T12:30:00.5+05:30\", \"target\": \"99.99%\" }"));

            Assert.Empty(result.Diagnostics);
            AvailabilityPeak peak = Assert.Single(result.Manifest!.Peaks);
            Assert.Equal(new DateTimeOffset(2026, 11, 7, 18, 30, 0, TimeSpan.Zero), peak.From);
            Assert.Equal(new DateTimeOffset(2026, 11, 9, 7, 0, 0, 500, TimeSpan.Zero), peak.Until);
            Assert.Equal((99.99m, (decimal?)null), (peak.Target, peak.FinancialExposurePerHour));
        }

        [Theory]
        [InlineData("2026-11-27")]
        [InlineData("2026-11-27T00:00:00")]
        [InlineData("27/11/2026 00:00")]
        [InlineData("2026-11-27 00:00:00Z")]
        [InlineData("2026-02-30T00:00:00Z")]
        public void Parse_FromWithoutOffsetOrNotRfc3339_IsReportedAtTheValue(string from)
        {
            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"" + from + "\", \"until\": \"2026-12-01T00:00:00Z\", \"target\": 99.9 }"));

            AssertAt(d, ManifestDiagnosticKind.Structure, "availability.peaks[0].from", 5, 28);
            Assert.Contains("not an RFC 3339 date and time with its offset", d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Parse_UntilMissing_IsReportedAtThePeak()
        {
            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"target\": 99.9 }"));

            AssertAt(d, ManifestDiagnosticKind.Structure, "availability.peaks[0].until", 5, 5);
        }

        [Theory]
        [InlineData("2026-11-27T00:00:00Z")]
        [InlineData("2026-11-26T23:59:59Z")]
        [InlineData("2026-11-27T01:00:00+01:00")]
        public void Parse_UntilNotAfterFrom_IsReportedAtUntil(string until)
        {
            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"" + until + "\", \"target\": 99.9 }"));

            AssertAt(d, ManifestDiagnosticKind.Structure, "availability.peaks[0].until", 5, 61);
            Assert.Contains("not after 'availability.peaks[0].from' 2026-11-27T00:00:00Z", d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Parse_WindowOfExactly31Days_IsAccepted_AndOneTickLongerIsReported()
        {
            Assert.Empty(ManifestParser.Parse(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-01T00:00:00Z\", \"until\": \"2026-12-02T00:00:00Z\", \"target\": 99.9 }")).Diagnostics);

            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-01T00:00:00Z\", \"until\": \"2026-12-02T00:00:00.0000001Z\", \"target\": 99.9 }"));

            AssertAt(d, ManifestDiagnosticKind.Structure, "availability.peaks[0].until", 5, 61);
            Assert.Contains("longer than 31 days", d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Parse_PeakTargetLowerThanTheBase_IsReportedAtTheTarget_AndThePeakLeftOut()
        {
            ManifestParseResult result = ManifestParser.Parse(WithPeaks("{ \"name\": \"quiet\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\", \"target\": 95 }"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertAt(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.peaks[0].target", 5, 99);
            Assert.Equal("Peak \"quiet\" at 'availability.peaks[0]' has the target 95, lower than the base target 99.0: a peak raises the target for a higher financial exposure; give it a target of at least 99.0 or remove it", d.Message);
            Assert.Empty(result.Manifest!.Peaks);
        }

        [Fact]
        public void Parse_PeakExposureSelectingALowerTarget_IsReportedAtTheExposure()
        {
            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\", \"financialExposurePerHour\": 5000 }"));

            AssertAt(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.peaks[0].financialExposurePerHour", 5, 113);
        }

        [Fact]
        public void Parse_PeakEqualToTheBase_IsAccepted()
        {
            Assert.Empty(ManifestParser.Parse(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\", \"target\": 99 }")).Diagnostics);
        }

        [Theory]
        [InlineData("\"target\": 100", ManifestDiagnosticKind.AvailabilityTarget, "availability.peaks[0].target", "out of range")]
        [InlineData("\"target\": \"four nines\"", ManifestDiagnosticKind.AvailabilityTarget, "availability.peaks[0].target", "unknown format")]
        [InlineData("\"financialExposurePerHour\": -1", ManifestDiagnosticKind.Structure, "availability.peaks[0].financialExposurePerHour", "cannot be negative")]
        [InlineData("\"financialExposurePerHour\": 1e16", ManifestDiagnosticKind.Structure, "availability.peaks[0].financialExposurePerHour", "out of range")]
        [InlineData("\"target\": 99.0, \"financialExposurePerHour\": 2500000", ManifestDiagnosticKind.AvailabilityMismatch, "availability.peaks[0].target", "selects 99.9")]
        public void Parse_PeakTargetOrExposure_FollowsTheBaseRules(string values, ManifestDiagnosticKind kind, string path, string says)
        {
            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\", " + values + " }"));

            AssertAt(d, kind, path, 5, 85 + values.IndexOf(':', StringComparison.Ordinal) + 2);
            Assert.Contains(says, d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Parse_PeakWithNeitherTargetNorExposure_IsReportedAtThePeak()
        {
            ManifestDiagnostic d = Single(WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\" }"));

            AssertAt(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.peaks[0].target", 5, 5);
        }

        [Fact]
        public void Parse_OverlappingPeaks_ReportTheLaterAtItsFrom_AndKeepTheFirst()
        {
            ManifestParseResult result = ManifestParser.Parse(WithPeaks(
                BlackFriday,
                "{ \"name\": \"cyber-monday\", \"from\": \"2026-11-30T00:00:00Z\", \"until\": \"2026-12-01T06:00:00Z\", \"target\": 99.99 }"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertAt(d, ManifestDiagnosticKind.Structure, "availability.peaks[1].from", 6, 39);
            Assert.Contains("overlaps peak \"black-friday\" at 'availability.peaks[0]' (from 2026-11-27T00:00:00Z until 2026-12-01T00:00:00Z)", d.Message, StringComparison.Ordinal);
            Assert.Equal("black-friday", Assert.Single(result.Manifest!.Peaks).Name);
        }

        [Fact]
        public void Parse_BackToBackPeaks_DoNotOverlap()
        {
            ManifestParseResult result = ManifestParser.Parse(WithPeaks(
                BlackFriday,
                "{ \"name\": \"december\", \"from\": \"2026-12-01T00:00:00Z\", \"until\": \"2026-12-24T00:00:00Z\", \"target\": 99.5 }"));

            Assert.Empty(result.Diagnostics);
            Assert.Equal(new[] { "black-friday", "december" }, result.Manifest!.Peaks.Select(p => p.Name));
        }

        [Fact]
        public void Parse_DuplicatePeakNames_AreReportedAtTheSecondName()
        {
            ManifestParseResult result = ManifestParser.Parse(WithPeaks(
                BlackFriday,
                "{ \"name\": \"Black-Friday\", \"from\": \"2027-11-26T00:00:00Z\", \"until\": \"2027-11-30T00:00:00Z\", \"target\": 99.9 }"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertAt(d, ManifestDiagnosticKind.Structure, "availability.peaks[1].name", 6, 15);
            Assert.Contains("already declared at 'availability.peaks[0].name'", d.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("{ \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 99, \"peaks\": {} } }", "availability.peaks", 74)]
        [InlineData("{ \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 99, \"peaks\": [ 1 ] } }", "availability.peaks[0]", 76)]
        public void Parse_PeaksOfTheWrongShape_AreReportedAtTheValue(string json, string path, int column)
        {
            AssertAt(Single(json), ManifestDiagnosticKind.Structure, path, 1, column);
        }

        // The selector: before, at from (inclusive), inside, at until (exclusive), after.
        [Theory]
        [InlineData("2026-11-26T23:59:59.9999999Z", 99.0, null)]
        [InlineData("2026-11-27T00:00:00Z", 99.9, "black-friday")]
        [InlineData("2026-11-27T01:00:00+01:00", 99.9, "black-friday")]
        [InlineData("2026-11-29T12:00:00Z", 99.9, "black-friday")]
        [InlineData("2026-11-30T23:59:59.9999999Z", 99.9, "black-friday")]
        [InlineData("2026-12-01T00:00:00Z", 99.0, null)]
        [InlineData("2027-01-01T00:00:00Z", 99.0, null)]
        public void TargetAt_FollowsThePeakWindow_FromInclusiveUntilExclusive(string instant, double target, string? peak)
        {
            ServiceManifest manifest = ManifestParser.Parse(WithPeaks(BlackFriday)).Manifest!;
            Assert.True(Rfc3339.TryParse(instant, out DateTimeOffset at));

            EffectiveAvailability effective = manifest.TargetAt(at)!;

            Assert.Equal(((decimal)target, (decimal?)99.0m, peak), (effective.Target, effective.BaseTarget, effective.Peak?.Name));
            Assert.Equal(Availability.TolerableUnavailabilityPerWeek((decimal)target), effective.TolerableUnavailabilityPerWeek);
        }

        [Fact]
        public void TargetAt_DuringAPeak_OnCallFollowsThePeakTarget_InThePolicysTable()
        {
            ServiceManifest manifest = ManifestParser.Parse(WithPeaks(BlackFriday)).Manifest!;

            EffectiveAvailability before = manifest.TargetAt(BlackFridayStart.AddTicks(-1))!;
            EffectiveAvailability during = manifest.TargetAt(BlackFridayStart)!;

            // The playbook's table: 99.0 → team/domain, 99.9 → team/team; tolerable unavailability 1:40:48 → 0:10:05.
            Assert.Equal((OnCallLevel.Team, OnCallLevel.Domain, "1:40:48"), (before.WorkingHoursOnCall, before.OutOfHoursOnCall, Availability.FormatForDisplay(before.TolerableUnavailabilityPerWeek)));
            Assert.Equal((OnCallLevel.Team, OnCallLevel.Team, "0:10:05"), (during.WorkingHoursOnCall, during.OutOfHoursOnCall, Availability.FormatForDisplay(during.TolerableUnavailabilityPerWeek)));
        }

        [Fact]
        public void TargetAt_WithAnOrganisationsOnCallTable_UsesItsRowForThePeakTarget()
        {
            OrganisationPolicy policy = OrganisationPolicyParser.Parse(@"{ ""onCall"": [ { ""availability"": 99.9, ""workingHours"": ""team"", ""outOfHours"": ""domain"" } ] }").Policy!;
            ServiceManifest manifest = ManifestParser.Parse(WithPeaks(BlackFriday), policy).Manifest!;

            EffectiveAvailability during = manifest.TargetAt(BlackFridayStart, policy)!;

            Assert.Equal((99.9m, OnCallLevel.Team, OnCallLevel.Domain), (during.Target, during.WorkingHoursOnCall, during.OutOfHoursOnCall));
        }

        [Fact]
        public void TargetAt_DuringAPeak_KeepsADeclaredOnCallThatIsHigher()
        {
            string json = WithPeaks("{ \"name\": \"p\", \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2026-11-28T00:00:00Z\", \"target\": 99.5 }")
                .Replace("\"availability\"", "\"onCall\": { \"outOfHours\": \"team\" },\n  \"availability\"", StringComparison.Ordinal);
            ServiceManifest manifest = ManifestParser.Parse(json).Manifest!;

            EffectiveAvailability during = manifest.TargetAt(BlackFridayStart)!;

            Assert.Equal((99.5m, OnCallLevel.Team), (during.Target, during.OutOfHoursOnCall));
        }

        [Fact]
        public void TargetAt_WithNoTargetAtAll_IsNull()
        {
            ServiceManifest manifest = ManifestParser.Parse("{ \"service\": \"s\", \"owner\": \"t\" }").Manifest!;

            Assert.Null(manifest.TargetAt(BlackFridayStart));
        }
    }
}
