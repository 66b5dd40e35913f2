using System;
using Operability.Manifest;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class IncidentLossTests
    {
        // The playbook's ecommerce platform: 810,000 an hour at 99.9% tolerates 0:10:04.8 a week.
        [Fact]
        public void Effectiveness_EcommercePlatformLosingAQuarterOfItsProjectedLoss_ProtectsThreeQuarters()
        {
            IncidentLoss loss = IncidentLoss.For(810000m, 99.9m, actualLoss: 34020m);

            Assert.Equal(136080m, loss.ProjectedLoss);
            Assert.Equal(102060m, loss.ProtectedAmount);
            Assert.Equal(0.75m, loss.Effectiveness);
        }

        [Fact]
        public void FromDuration_LossIsExposureTimesHours()
        {
            IncidentLoss loss = IncidentLoss.For(810000m, 99.9m, TimeSpan.FromMinutes(20));

            Assert.Equal(270000m, loss.ActualLoss);
            Assert.Equal(IncidentSeverity.High, loss.Severity);
            Assert.Equal(IncidentType.Major, loss.Type);
            Assert.Equal(IncidentResponse.RestoreImmediately, loss.Response);
        }

        [Theory]
        [InlineData(136080, IncidentSeverity.High, IncidentType.Major, IncidentResponse.RestoreImmediately)]
        [InlineData(136079, IncidentSeverity.Medium, IncidentType.Minor, IncidentResponse.RestoreByNextWorkingDay)]
        [InlineData(34020, IncidentSeverity.Medium, IncidentType.Minor, IncidentResponse.RestoreByNextWorkingDay)]
        [InlineData(34019, IncidentSeverity.Low, IncidentType.Minor, IncidentResponse.RestoreWhenPossible)]
        [InlineData(0, IncidentSeverity.Low, IncidentType.Minor, IncidentResponse.RestoreWhenPossible)]
        public void Severity_IsTheLossAgainstTheWeeksProjectedLoss(int actual, IncidentSeverity severity, IncidentType type, IncidentResponse response)
        {
            IncidentLoss loss = IncidentLoss.For(810000m, 99.9m, actualLoss: actual);

            Assert.Equal(severity, loss.Severity);
            Assert.Equal(type, loss.Type);
            Assert.Equal(response, loss.Response);
        }

        [Fact]
        public void Effectiveness_LossAboveProjected_IsNegative()
        {
            IncidentLoss loss = IncidentLoss.For(1000m, 95.0m, actualLoss: 16800m);

            Assert.Equal(8400m, loss.ProjectedLoss);
            Assert.Equal(-8400m, loss.ProtectedAmount);
            Assert.Equal(-1m, loss.Effectiveness);
        }

        [Fact]
        public void Effectiveness_NoExposure_IsUnknown()
        {
            IncidentLoss loss = IncidentLoss.For(0m, 99.0m, actualLoss: 0m);

            Assert.Equal(0m, loss.ProjectedLoss);
            Assert.Null(loss.Effectiveness);
            Assert.Equal(IncidentSeverity.Low, loss.Severity);
        }

        [Theory]
        [InlineData(-1, 99.0, 0)]
        [InlineData(10, 100.0, 0)]
        [InlineData(10, 0.0, 0)]
        [InlineData(10, 99.0, -1)]
        public void For_OutOfRange_Throws(int exposure, double target, int actual)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => IncidentLoss.For(exposure, (decimal)target, actualLoss: actual));
        }

        [Fact]
        public void FromDuration_LargestExposureForYears_DoesNotOverflow()
        {
            IncidentLoss loss = IncidentLoss.For(ServiceManifest.MaxFinancialExposurePerHour, 99.0m, TimeSpan.FromDays(3650));

            Assert.Equal(ServiceManifest.MaxFinancialExposurePerHour * 87600m, loss.ActualLoss);
        }

        [Fact]
        public void For_NegativeDuration_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => IncidentLoss.For(10m, 99.0m, TimeSpan.FromMinutes(-1)));
        }
    }
}
