using System;
using Operability.Manifest;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class ErrorBudgetTests
    {
        [Theory]
        [InlineData("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z")]
        [InlineData("2026-12-02T01:30:00Z", "2026-11-30T00:00:00Z")]
        [InlineData("2026-12-06T23:59:59Z", "2026-11-30T00:00:00Z")]
        [InlineData("2026-12-07T00:30:00+01:00", "2026-11-30T00:00:00Z")]
        [InlineData("2026-12-07T00:00:00Z", "2026-12-07T00:00:00Z")]
        public void WeekStart_IsMondayMidnightUtc(string instant, string expected)
        {
            Assert.True(Rfc3339.TryParse(instant, out DateTimeOffset at));
            Assert.True(Rfc3339.TryParse(expected, out DateTimeOffset monday));

            Assert.Equal(monday, ErrorBudget.WeekStart(at));
            Assert.Equal(TimeSpan.Zero, ErrorBudget.WeekStart(at).Offset);
        }

        [Theory]
        [InlineData(0, 0, 1.0)]
        [InlineData(1000, 0, 1.0)]
        [InlineData(1000, 0.5, 0.5)]
        [InlineData(1000, 1, 0.0)]
        [InlineData(1000, 10, -9.0)]
        public void Remaining_At999_IsTheShareOfAllowedFailuresLeft(double requests, double failures, double expected)
        {
            Assert.Equal(expected, ErrorBudget.Remaining(requests, failures, ErrorBudget.AllowedFailureRatio(99.9m)), 12);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(100)]
        public void AllowedFailureRatio_TargetOutOfRange_Throws(int target)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ErrorBudget.AllowedFailureRatio(target));
        }
    }
}
