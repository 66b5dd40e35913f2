using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Operability.Manifest;
using Xunit;

namespace Operability.Templates.Tests
{
    /// <summary>
    /// The template's availability tables — exposure bands, tolerable unavailability, on-call levels, error
    /// budget, paging, replicas — against Operability.Manifest, for every choice and around every band edge.
    /// </summary>
    public sealed class AvailabilityTableTests
    {
        public static TheoryData<string> TargetChoices() => new(TemplateDefinition.OperableService.Choices("availabilityTarget").Select(c => c.Choice));

        /// <summary>Every band's maximum, one above it, zero, and well above the top band.</summary>
        public static TheoryData<string> Exposures() => new(ExposureValues());

        private static IEnumerable<string> ExposureValues()
        {
            var values = new SortedSet<decimal> { 0m, 1m, 6000m, 200000m, 810000m, 999999999999999m };
            foreach (var band in AvailabilitySelector.Default.Bands)
            {
                values.Add(band.MaxExposurePerHour);
                values.Add(band.MaxExposurePerHour + 1);
                if (band.MaxExposurePerHour > 0)
                {
                    values.Add(band.MaxExposurePerHour - 1);
                }
            }

            return values.Select(v => v.ToString(CultureInfo.InvariantCulture));
        }

        [Theory]
        [MemberData(nameof(Exposures))]
        public void FinancialExposure_SelectsTheTargetTheLibrarySelects(string exposure)
        {
            var instance = Scenario.With(("financialExposure", exposure));

            var expected = AvailabilitySelector.Default.SelectTarget(decimal.Parse(exposure, CultureInfo.InvariantCulture));

            Assert.Equal(Format(expected), instance["effectiveTarget"]);
            Assert.Equal(Format(expected), instance["selectedTarget"]);
            Assert.False(instance.Is("parameterError"));
        }

        [Theory]
        [InlineData("810000", "99.9", "0:10:05", "team")]
        [InlineData("6000", "95.0", "8:24:00", "none")]
        [InlineData("200000", "99.0", "1:40:48", "domain")]
        public void PlaybookExamples(string exposure, string target, string tolerable, string outOfHours)
        {
            var instance = Scenario.With(("financialExposure", exposure));

            Assert.Equal(target, instance["effectiveTarget"]);
            Assert.Equal(tolerable, instance["tolerableUnavailability"]);
            Assert.Equal(outOfHours, instance["onCallOutOfHours"]);
        }

        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void EveryTargetChoice_IsAValidTarget_AndIsKeptAsGiven(string choice)
        {
            var target = decimal.Parse(choice, CultureInfo.InvariantCulture);
            var instance = Scenario.With(("availabilityTarget", choice));

            Assert.True(target > 0m && target < 100m);
            Assert.Equal(choice, instance["effectiveTarget"]);
            Assert.Equal(Format(target), choice);
        }

        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void DerivedValues_AgreeWithTheLibrary(string choice)
        {
            var target = decimal.Parse(choice, CultureInfo.InvariantCulture);
            var instance = Scenario.With(("availabilityTarget", choice));
            var (workingHours, outOfHours) = Availability.OnCallFor(target);

            Assert.Equal(Availability.FormatForDisplay(Availability.TolerableUnavailabilityPerWeek(target)), instance["tolerableUnavailability"]);
            Assert.Equal(Word(workingHours), instance["onCallWorkingHours"]);
            Assert.Equal(Word(outOfHours), instance["onCallOutOfHours"]);
            Assert.Equal((100m - target) / 100m, decimal.Parse(instance["errorBudget"], CultureInfo.InvariantCulture));
            Assert.Equal(outOfHours == OnCallLevel.None ? "ticket" : "page", instance["pageSeverity"]);
            Assert.Equal(outOfHours == OnCallLevel.None, instance.Is("outOfHoursNone"));
            Assert.Equal(outOfHours == OnCallLevel.Domain, instance.Is("outOfHoursDomain"));
            Assert.Equal(outOfHours == OnCallLevel.Team, instance.Is("outOfHoursTeam"));
        }

        /// <summary>
        /// deploy/prometheus/alerts.test.yml sends 100000 requests per sample: "within budget" fails 0.9 x the error
        /// budget (below every alert's factor), "slow burn" 2 x (above both ticket factors, below both page factors),
        /// "fast burn" 10 x (above the 1-hour page factor, 8.4).
        /// </summary>
        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void RuleTestTraffic_FailsTheStatedMultipleOfTheErrorBudget(string choice)
        {
            var target = decimal.Parse(choice, CultureInfo.InvariantCulture);
            var instance = Scenario.With(("availabilityTarget", choice));
            var budget = (100m - target) / 100m;

            foreach (var (name, multiple) in new[] { ("WithinBudget", 0.9m), ("SlowBurn", 2m), ("FastBurn", 10m) })
            {
                var failures = decimal.Parse(instance[$"ruleTest{name}Failures"], CultureInfo.InvariantCulture);
                var successes = decimal.Parse(instance[$"ruleTest{name}Successes"], CultureInfo.InvariantCulture);
                Assert.Equal(100000m, failures + successes);
                Assert.Equal(multiple * budget, failures / 100000m);
            }
        }

        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void ChoiceHelp_QuotesTheLibrarysTolerableUnavailability(string choice)
        {
            var target = decimal.Parse(choice, CultureInfo.InvariantCulture);
            var description = TemplateDefinition.OperableService.Choices("availabilityTarget").Single(c => c.Choice == choice).Description;

            Assert.Contains(Availability.FormatForDisplay(Availability.TolerableUnavailabilityPerWeek(target)), description, StringComparison.Ordinal);
        }

        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void Kubernetes_FollowsTheTarget(string choice)
        {
            var target = decimal.Parse(choice, CultureInfo.InvariantCulture);
            var instance = Scenario.With(("availabilityTarget", choice));

            // 99.9% and above: at least 3 replicas, 2 always available, spread across zones (required).
            // 99.0% and 99.5%: 2 replicas, 1 available. Below: 1 replica.
            var (replicas, budget, spread) = target >= 99.9m ? ("3", "minAvailable: 2", "DoNotSchedule")
                : target >= 99.0m ? ("2", "minAvailable: 1", "ScheduleAnyway")
                : ("1", "maxUnavailable: 1", "ScheduleAnyway");
            Assert.Equal(replicas, instance["replicas"]);
            Assert.Equal(budget, instance["disruptionBudget"]);
            Assert.Equal(spread, instance["zoneSpread"]);
        }

        [Fact]
        public void NoTargetAndNoExposure_DeclaresAProvisional99()
        {
            var instance = Scenario.With();

            Assert.Equal("99.0", instance["effectiveTarget"]);
            Assert.True(instance.Is("targetDefaulted"));
            Assert.False(instance.Is("parameterError"));
        }

        [Theory]
        [MemberData(nameof(TargetChoices))]
        public void TargetAndExposure_AreAnErrorExactlyWhenTheyDisagree(string choice)
        {
            foreach (var exposure in ExposureValues())
            {
                var instance = Scenario.With(("availabilityTarget", choice), ("financialExposure", exposure));
                var selected = AvailabilitySelector.Default.SelectTarget(decimal.Parse(exposure, CultureInfo.InvariantCulture));
                var disagree = decimal.Parse(choice, CultureInfo.InvariantCulture) != selected;

                Assert.Equal(disagree, instance.Is("targetConflict"));
                Assert.Equal(disagree, instance.Is("parameterError"));
                Assert.Equal(choice, instance["effectiveTarget"]);
            }
        }

        internal static string Format(decimal target) => target.ToString("0.0##", CultureInfo.InvariantCulture);

        internal static string Word(OnCallLevel level) => level.ToString().ToLowerInvariant();
    }
}
