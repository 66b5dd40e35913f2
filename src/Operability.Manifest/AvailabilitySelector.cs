using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;

namespace Operability.Manifest
{
    /// <summary>An exposure band: services whose hourly financial exposure is at most the maximum get the target.</summary>
    public sealed class ExposureBand
    {
        /// <summary>Creates a band.</summary>
        /// <param name="maxExposurePerHour">The band's maximum financial exposure in an hour; zero or more.</param>
        /// <param name="availabilityTarget">The availability target in percent, strictly between 0 and 100.</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public ExposureBand(decimal maxExposurePerHour, decimal availabilityTarget)
        {
            if (maxExposurePerHour < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxExposurePerHour), maxExposurePerHour, "The maximum exposure of a band cannot be negative.");
            }

            Availability.EnsureValidTarget(availabilityTarget, nameof(availabilityTarget));
            MaxExposurePerHour = maxExposurePerHour;
            AvailabilityTarget = availabilityTarget;
        }

        /// <summary>The band's maximum financial exposure in an hour.</summary>
        public decimal MaxExposurePerHour { get; }

        /// <summary>The availability target in percent for services in this band.</summary>
        public decimal AvailabilityTarget { get; }

        /// <inheritdoc />
        public override string ToString() =>
            "<= " + MaxExposurePerHour.ToString(CultureInfo.InvariantCulture) + " per hour -> " + AvailabilityTarget.ToString(CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>
    /// Selects an availability target from a service's financial exposure per hour: the target of the lowest band
    /// whose maximum covers the exposure; above every band, the top band's. Bands are organisation-specific.
    /// </summary>
    public sealed class AvailabilitySelector
    {
        /// <summary>Creates a selector over organisation-specific bands.</summary>
        /// <param name="bands">At least one band, with strictly ascending maxima.</param>
        /// <exception cref="ArgumentException">No bands, a null band, or maxima not strictly ascending.</exception>
        public AvailabilitySelector(IEnumerable<ExposureBand> bands)
        {
            if (bands is null)
            {
                throw new ArgumentNullException(nameof(bands));
            }

            var list = new List<ExposureBand>();
            foreach (ExposureBand band in bands)
            {
                if (band is null)
                {
                    throw new ArgumentException("A band is null.", nameof(bands));
                }

                if (list.Count > 0 && band.MaxExposurePerHour <= list[list.Count - 1].MaxExposurePerHour)
                {
                    throw new ArgumentException(
                        "Band maxima must be strictly ascending: " + band + " follows " + list[list.Count - 1] + ".",
                        nameof(bands));
                }

                list.Add(band);
            }

            if (list.Count == 0)
            {
                throw new ArgumentException("At least one exposure band is needed.", nameof(bands));
            }

            Bands = new ReadOnlyCollection<ExposureBand>(list);
        }

        /// <summary>
        /// The playbook's example bands: up to 7,000 → 95.0%; 250,000 → 99.0%; 800,000 → 99.9%. The same instance as
        /// <see cref="OrganisationPolicy.Playbook"/>'s: the bands live in one place.
        /// </summary>
        public static AvailabilitySelector Default => OrganisationPolicy.Playbook.AvailabilitySelector;

        /// <summary>The bands of <paramref name="policy"/>, or the playbook's when it is null.</summary>
        public static AvailabilitySelector For(OrganisationPolicy? policy) => (policy ?? OrganisationPolicy.Playbook).AvailabilitySelector;

        /// <summary>The bands, ascending by maximum exposure.</summary>
        public IReadOnlyList<ExposureBand> Bands { get; }

        /// <summary>The target of the lowest band whose maximum is at least the exposure; the top band's above all.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The exposure is negative.</exception>
        public decimal SelectTarget(decimal exposurePerHour)
        {
            if (exposurePerHour < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(exposurePerHour), exposurePerHour, "Financial exposure cannot be negative.");
            }

            foreach (ExposureBand band in Bands)
            {
                if (band.MaxExposurePerHour >= exposurePerHour)
                {
                    return band.AvailabilityTarget;
                }
            }

            return Bands[Bands.Count - 1].AvailabilityTarget;
        }
    }

    /// <summary>What follows from an availability target: tolerable unavailability and on-call levels.</summary>
    public static class Availability
    {
        private const decimal TicksPerWeek = 168m * TimeSpan.TicksPerHour;

        /// <summary>Tolerable unavailability in a week, exactly (1 − target/100) × 168 h (to the tick).</summary>
        /// <param name="target">Availability target in percent, strictly between 0 and 100.</param>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100.</exception>
        public static TimeSpan TolerableUnavailabilityPerWeek(decimal target)
        {
            EnsureValidTarget(target, nameof(target));
            decimal ticks = (100m - target) * TicksPerWeek / 100m;
            return TimeSpan.FromTicks((long)decimal.Round(ticks, MidpointRounding.AwayFromZero));
        }

        /// <summary>Formats a duration rounded to the second as <c>H:mm:ss</c> (hours not wrapped at 24): 0:10:05.</summary>
        public static string FormatForDisplay(TimeSpan t)
        {
            long seconds = (long)Math.Round(t.Ticks / (double)TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
            string sign = seconds < 0 ? "-" : string.Empty;
            seconds = Math.Abs(seconds);
            return sign + string.Format(CultureInfo.InvariantCulture, "{0}:{1:00}:{2:00}", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }

        /// <summary>
        /// On-call levels for a target from the policy's on-call table (the playbook's when <paramref name="policy"/> is
        /// null): below 99.0 team in working hours and none out of hours; from 99.0 to below 99.9 team and domain;
        /// from 99.9 team and team.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100.</exception>
        public static (OnCallLevel WorkingHours, OnCallLevel OutOfHours) OnCallFor(decimal target, OrganisationPolicy? policy = null) =>
            (policy ?? OrganisationPolicy.Playbook).OnCallFor(target);

        /// <summary>True when <paramref name="target"/> is strictly between 0 and 100.</summary>
        internal static bool IsValidTarget(decimal target) => target > 0m && target < 100m;

        internal static void EnsureValidTarget(decimal target, string parameterName)
        {
            if (!IsValidTarget(target))
            {
                throw new ArgumentOutOfRangeException(parameterName, target, "An availability target is a percentage strictly between 0 and 100.");
            }
        }
    }

    /// <summary>Selects a deployment target from feature demand.</summary>
    public static class DeploymentSelector
    {
        /// <summary>The playbook's feature-demand bands: Low → Monthly, Medium → Fortnightly, High → Weekly, VeryHigh → Daily.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="FeatureDemand"/>.</exception>
        public static DeploymentTarget For(FeatureDemand demand) => OrganisationPolicy.Playbook.DeploymentFor(demand).Named!.Value;

        /// <summary>The deployment frequency the policy's feature-demand bands give (the playbook's when <paramref name="policy"/> is null).</summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="FeatureDemand"/>.</exception>
        public static DeploymentFrequency FrequencyFor(FeatureDemand demand, OrganisationPolicy? policy = null) =>
            (policy ?? OrganisationPolicy.Playbook).DeploymentFor(demand);
    }
}
