using System;
using System.Globalization;

namespace Operability.Manifest
{
    /// <summary>
    /// A peak business event (<c>availability.peaks[i]</c>), such as Black Friday: a window in which the financial
    /// exposure is higher than usual, so the service promises a higher availability target (the playbook's "select a
    /// higher availability target for peak financial exposure"). The window includes <see cref="From"/> and excludes
    /// <see cref="Until"/>, so back-to-back peaks share an instant without overlapping.
    /// </summary>
    public sealed class AvailabilityPeak
    {
        /// <summary>
        /// The longest window a peak may declare: 31 days. A peak is an event (a sale, a deadline, a season's busiest
        /// days); an exposure that lasts longer than a month is the service's usual exposure, and belongs in the base
        /// target, where the on-call schedule and the error budget are planned for it.
        /// </summary>
        public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

        internal AvailabilityPeak(string name, DateTimeOffset from, DateTimeOffset until, decimal? financialExposurePerHour, decimal target, SourcePosition position)
        {
            Name = name;
            From = from;
            Until = until;
            FinancialExposurePerHour = financialExposurePerHour;
            Target = target;
            Position = position;
        }

        /// <summary>The peak's name (<c>name</c>), e.g. <c>black-friday</c>; unique in the manifest, compared case-insensitively.</summary>
        public string Name { get; }

        /// <summary>When the peak starts (<c>from</c>, inclusive).</summary>
        public DateTimeOffset From { get; }

        /// <summary>When the peak ends (<c>until</c>, exclusive); after <see cref="From"/> by at most <see cref="MaxWindow"/>.</summary>
        public DateTimeOffset Until { get; }

        /// <summary>The peak's financial exposure per hour (<c>financialExposurePerHour</c>), when declared.</summary>
        public decimal? FinancialExposurePerHour { get; }

        /// <summary>The availability target in force during the peak: declared, or selected from the peak's exposure.</summary>
        public decimal Target { get; }

        /// <summary>Where the peak's <c>name</c> value starts.</summary>
        public SourcePosition Position { get; }

        /// <summary>True when <paramref name="instant"/> is in the window: at or after <see cref="From"/> and before <see cref="Until"/>.</summary>
        public bool Covers(DateTimeOffset instant) => instant >= From && instant < Until;

        /// <inheritdoc />
        public override string ToString() =>
            Name + " [" + From.ToString("o", CultureInfo.InvariantCulture) + ", " + Until.ToString("o", CultureInfo.InvariantCulture) + ") -> "
            + Target.ToString(CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>The availability target in force at an instant, and what follows from it.</summary>
    public sealed class EffectiveAvailability
    {
        internal EffectiveAvailability(decimal target, decimal? baseTarget, AvailabilityPeak? peak, OnCallLevel workingHours, OnCallLevel outOfHours)
        {
            Target = target;
            BaseTarget = baseTarget;
            Peak = peak;
            TolerableUnavailabilityPerWeek = Availability.TolerableUnavailabilityPerWeek(target);
            WorkingHoursOnCall = workingHours;
            OutOfHoursOnCall = outOfHours;
        }

        /// <summary>The target in force: the active peak's, or the base target outside every peak.</summary>
        public decimal Target { get; }

        /// <summary>The manifest's base target (<c>availability.target</c> or the one its exposure selects); null when it has none.</summary>
        public decimal? BaseTarget { get; }

        /// <summary>The peak in force, or null.</summary>
        public AvailabilityPeak? Peak { get; }

        /// <summary>Tolerable unavailability in a week at <see cref="Target"/>.</summary>
        public TimeSpan TolerableUnavailabilityPerWeek { get; }

        /// <summary>Who answers in working hours while this target is in force.</summary>
        public OnCallLevel WorkingHoursOnCall { get; }

        /// <summary>Who answers out of hours while this target is in force.</summary>
        public OnCallLevel OutOfHoursOnCall { get; }
    }
}
