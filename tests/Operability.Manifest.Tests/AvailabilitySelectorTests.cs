using System;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class AvailabilitySelectorTests
    {
        [Theory]
        [InlineData(0, 95.0)]
        [InlineData(6000, 95.0)]     // appointments
        [InlineData(7000, 95.0)]
        [InlineData(7001, 99.0)]
        [InlineData(200000, 99.0)]   // bedroom
        [InlineData(250000, 99.0)]
        [InlineData(250001, 99.9)]
        [InlineData(800000, 99.9)]
        [InlineData(810000, 99.9)]   // ecommerce-platform: above every band gets the top band
        [InlineData(50000000, 99.9)]
        public void SelectTarget_DefaultBands_MatchPlaybookExamples(int exposure, double expected)
        {
            Assert.Equal((decimal)expected, AvailabilitySelector.Default.SelectTarget(exposure));
        }

        [Fact]
        public void SelectTarget_NegativeExposure_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => AvailabilitySelector.Default.SelectTarget(-0.01m));
        }

        [Fact]
        public void Default_HasThePlaybookBands()
        {
            Assert.Collection(
                AvailabilitySelector.Default.Bands,
                b => Assert.Equal((7000m, 95.0m), (b.MaxExposurePerHour, b.AvailabilityTarget)),
                b => Assert.Equal((250000m, 99.0m), (b.MaxExposurePerHour, b.AvailabilityTarget)),
                b => Assert.Equal((800000m, 99.9m), (b.MaxExposurePerHour, b.AvailabilityTarget)));
        }

        [Fact]
        public void SelectTarget_CustomBands_OverrideDefaults()
        {
            var selector = new AvailabilitySelector(new[]
            {
                new ExposureBand(1000m, 99.0m),
                new ExposureBand(100000m, 99.95m),
            });

            Assert.Equal(99.0m, selector.SelectTarget(1000m));
            Assert.Equal(99.95m, selector.SelectTarget(6000m)); // 95.0 with the defaults
            Assert.Equal(99.95m, selector.SelectTarget(1000000m));
        }

        [Fact]
        public void Constructor_NoBands_Throws()
        {
            Assert.Throws<ArgumentException>(() => new AvailabilitySelector(Array.Empty<ExposureBand>()));
        }

        [Theory]
        [InlineData(7000, 7000)]
        [InlineData(8000, 7000)]
        public void Constructor_MaximaNotStrictlyAscending_Throws(int first, int second)
        {
            var bands = new[] { new ExposureBand(first, 95m), new ExposureBand(second, 99m) };

            ArgumentException e = Assert.Throws<ArgumentException>(() => new AvailabilitySelector(bands));
            Assert.Contains("ascending", e.Message);
        }

        [Fact]
        public void Constructor_NullBand_Throws()
        {
            Assert.Throws<ArgumentException>(() => new AvailabilitySelector(new ExposureBand[] { null! }));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(100)]
        [InlineData(-1)]
        [InlineData(100.5)]
        public void ExposureBand_TargetOutsideOpenRange_Throws(double target)
        {
            Assert.ThrowsAny<ArgumentException>(() => new ExposureBand(1000m, (decimal)target));
        }

        [Fact]
        public void ExposureBand_NegativeMaximum_Throws()
        {
            Assert.ThrowsAny<ArgumentException>(() => new ExposureBand(-1m, 99m));
        }

        [Theory]
        [InlineData(95.0, "8:24:00")]
        [InlineData(99.0, "1:40:48")]
        [InlineData(99.9, "0:10:05")]
        [InlineData(99.99, "0:01:00")]
        [InlineData(50.0, "84:00:00")]
        public void TolerableUnavailabilityPerWeek_Displayed_MatchesPlaybook(double target, string expected)
        {
            Assert.Equal(expected, Availability.FormatForDisplay(Availability.TolerableUnavailabilityPerWeek((decimal)target)));
        }

        [Fact]
        public void TolerableUnavailabilityPerWeek_999_IsExactly604Point8Seconds()
        {
            Assert.Equal(TimeSpan.FromMilliseconds(604800), Availability.TolerableUnavailabilityPerWeek(99.9m));
        }

        [Fact]
        public void TolerableUnavailabilityPerWeek_95_IsExactly8Point4Hours()
        {
            Assert.Equal(TimeSpan.FromMinutes(504), Availability.TolerableUnavailabilityPerWeek(95.0m));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(100)]
        public void TolerableUnavailabilityPerWeek_TargetOutOfRange_Throws(double target)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Availability.TolerableUnavailabilityPerWeek((decimal)target));
        }

        [Theory]
        [InlineData(0, "0:00:00")]
        [InlineData(499, "0:00:00")]
        [InlineData(500, "0:00:01")]
        [InlineData(60480, "0:01:00")]
        [InlineData(-1500, "-0:00:02")]
        public void FormatForDisplay_RoundsToTheSecond(int milliseconds, string expected)
        {
            Assert.Equal(expected, Availability.FormatForDisplay(TimeSpan.FromMilliseconds(milliseconds)));
        }

        [Theory]
        [InlineData(95.0, OnCallLevel.None)]
        [InlineData(98.99, OnCallLevel.None)]
        [InlineData(99.0, OnCallLevel.Domain)]
        [InlineData(99.5, OnCallLevel.Domain)]
        [InlineData(99.9, OnCallLevel.Team)]
        [InlineData(99.99, OnCallLevel.Team)]
        public void OnCallFor_Target_SelectsOutOfHoursLevelAndTeamInWorkingHours(double target, OnCallLevel outOfHours)
        {
            Assert.Equal((OnCallLevel.Team, outOfHours), Availability.OnCallFor((decimal)target));
        }
    }
}
