using System;

namespace Operability.Manifest
{
    /// <summary>How much an incident's financial loss is, on the playbook's incident table.</summary>
    public enum IncidentSeverity
    {
        /// <summary>A journey completes; performance is partially degraded.</summary>
        Low,

        /// <summary>A journey is degraded; performance is degraded.</summary>
        Medium,

        /// <summary>Users cannot complete a journey; a security incident.</summary>
        High,
    }

    /// <summary>The incident type the loss calls for.</summary>
    public enum IncidentType
    {
        /// <summary>Medium or low loss.</summary>
        Minor,

        /// <summary>High loss.</summary>
        Major,
    }

    /// <summary>The response the loss calls for.</summary>
    public enum IncidentResponse
    {
        /// <summary>Low loss: restore when possible, with a ticket in the backlog.</summary>
        RestoreWhenPossible,

        /// <summary>Medium loss: restore by the next working day.</summary>
        RestoreByNextWorkingDay,

        /// <summary>High loss: restore availability immediately.</summary>
        RestoreImmediately,
    }

    /// <summary>
    /// An incident's financial loss set against what the service's availability target tolerates: the playbook's
    /// incident classification (high/medium/low loss → major/minor, and the response) and its financial loss
    /// protection effectiveness. The projected loss is the loss of a service down for its whole tolerable
    /// unavailability in a week (exposure per hour × tolerable hours); protected = projected − actual;
    /// effectiveness = protected ÷ projected.
    /// </summary>
    /// <remarks>
    /// The playbook names high, medium and low loss without numbers. The thresholds are relative to the projected
    /// loss, so they scale with the exposure and the target: by default an incident that alone costs the week's whole
    /// projected loss is high (<see cref="HighLossShareOfProjected"/>), one that costs a quarter of it or more is medium
    /// (<see cref="MediumLossShareOfProjected"/>), anything less is low; an organisation policy's <c>incident</c> field
    /// sets its own (<see cref="IncidentThresholds"/>).
    /// </remarks>
    public sealed class IncidentLoss
    {
        /// <summary>The playbook's share of the projected loss from which an incident's loss is high.</summary>
        public const decimal HighLossShareOfProjected = 1m;

        /// <summary>The playbook's share of the projected loss from which an incident's loss is medium.</summary>
        public const decimal MediumLossShareOfProjected = 0.25m;

        // 10^15 (the largest exposure) × this many ticks stays below decimal.MaxValue (7.9 × 10^28).
        private const long ExactTicksLimit = 70_000_000_000_000L;

        private IncidentLoss(decimal exposurePerHour, decimal availabilityTarget, decimal actualLoss, IncidentThresholds? thresholds)
        {
            thresholds ??= IncidentThresholds.Playbook;
            TimeSpan tolerable = Availability.TolerableUnavailabilityPerWeek(availabilityTarget);
            ExposurePerHour = exposurePerHour;
            AvailabilityTarget = availabilityTarget;
            TolerableUnavailabilityPerWeek = tolerable;
            ActualLoss = actualLoss;
            ProjectedLoss = exposurePerHour * tolerable.Ticks / TimeSpan.TicksPerHour;
            ProtectedAmount = ProjectedLoss - actualLoss;
            Effectiveness = ProjectedLoss == 0m ? (decimal?)null : ProtectedAmount / ProjectedLoss;
            Thresholds = thresholds;
            HighLossFrom = ProjectedLoss * thresholds.HighLossShare;
            MediumLossFrom = ProjectedLoss * thresholds.MediumLossShare;
            Severity = actualLoss > 0m && actualLoss >= HighLossFrom ? IncidentSeverity.High
                : actualLoss > 0m && actualLoss >= MediumLossFrom ? IncidentSeverity.Medium
                : IncidentSeverity.Low;
        }

        /// <summary>The service's financial exposure in an hour.</summary>
        public decimal ExposurePerHour { get; }

        /// <summary>The service's availability target in percent.</summary>
        public decimal AvailabilityTarget { get; }

        /// <summary>The unavailability the target tolerates in a week.</summary>
        public TimeSpan TolerableUnavailabilityPerWeek { get; }

        /// <summary>The incident's loss (given, or exposure per hour × duration).</summary>
        public decimal ActualLoss { get; }

        /// <summary>The loss of the service down for its whole tolerable unavailability in a week.</summary>
        public decimal ProjectedLoss { get; }

        /// <summary>Projected minus actual loss; negative when the incident cost more than the week tolerates.</summary>
        public decimal ProtectedAmount { get; }

        /// <summary>Protected ÷ projected (1 is no loss, 0 the whole projected loss, below 0 more); null when nothing is projected (no exposure).</summary>
        public decimal? Effectiveness { get; }

        /// <summary>The thresholds the loss was classified by.</summary>
        public IncidentThresholds Thresholds { get; }

        /// <summary>The loss from which this service's incident is high: projected loss × <see cref="IncidentThresholds.HighLossShare"/>.</summary>
        public decimal HighLossFrom { get; }

        /// <summary>The loss from which this service's incident is medium: projected loss × <see cref="IncidentThresholds.MediumLossShare"/>.</summary>
        public decimal MediumLossFrom { get; }

        /// <summary>High, medium or low loss.</summary>
        public IncidentSeverity Severity { get; }

        /// <summary>Major for a high loss, minor otherwise.</summary>
        public IncidentType Type => Severity == IncidentSeverity.High ? IncidentType.Major : IncidentType.Minor;

        /// <summary>The response the loss calls for.</summary>
        public IncidentResponse Response => Severity switch
        {
            IncidentSeverity.High => IncidentResponse.RestoreImmediately,
            IncidentSeverity.Medium => IncidentResponse.RestoreByNextWorkingDay,
            _ => IncidentResponse.RestoreWhenPossible,
        };

        /// <summary>An incident with a known loss.</summary>
        /// <param name="exposurePerHour">Financial exposure in an hour; zero or more.</param>
        /// <param name="availabilityTarget">Availability target in percent, strictly between 0 and 100.</param>
        /// <param name="actualLoss">The incident's loss; zero or more.</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public static IncidentLoss For(decimal exposurePerHour, decimal availabilityTarget, decimal actualLoss) => For(exposurePerHour, availabilityTarget, actualLoss, null);

        /// <summary>An incident with a known loss, classified by an organisation's thresholds.</summary>
        /// <param name="exposurePerHour">Financial exposure in an hour; zero or more.</param>
        /// <param name="availabilityTarget">Availability target in percent, strictly between 0 and 100.</param>
        /// <param name="actualLoss">The incident's loss; zero or more.</param>
        /// <param name="thresholds">The policy's <see cref="OrganisationPolicy.IncidentThresholds"/>; null for the playbook's.</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public static IncidentLoss For(decimal exposurePerHour, decimal availabilityTarget, decimal actualLoss, IncidentThresholds? thresholds)
        {
            EnsureExposure(exposurePerHour);
            if (actualLoss < 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(actualLoss), actualLoss, "A loss cannot be negative.");
            }

            return new IncidentLoss(exposurePerHour, availabilityTarget, actualLoss, thresholds);
        }

        /// <summary>An incident of a known (elapsed or expected) duration: its loss is exposure per hour × duration.</summary>
        /// <param name="exposurePerHour">Financial exposure in an hour; zero or more.</param>
        /// <param name="availabilityTarget">Availability target in percent, strictly between 0 and 100.</param>
        /// <param name="duration">How long the service is (or is expected to be) unavailable; zero or more.</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public static IncidentLoss For(decimal exposurePerHour, decimal availabilityTarget, TimeSpan duration) => For(exposurePerHour, availabilityTarget, duration, null);

        /// <summary>An incident of a known duration, classified by an organisation's thresholds.</summary>
        /// <param name="exposurePerHour">Financial exposure in an hour; zero or more.</param>
        /// <param name="availabilityTarget">Availability target in percent, strictly between 0 and 100.</param>
        /// <param name="duration">How long the service is (or is expected to be) unavailable; zero or more.</param>
        /// <param name="thresholds">The policy's <see cref="OrganisationPolicy.IncidentThresholds"/>; null for the playbook's.</param>
        /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
        public static IncidentLoss For(decimal exposurePerHour, decimal availabilityTarget, TimeSpan duration, IncidentThresholds? thresholds)
        {
            EnsureExposure(exposurePerHour);
            if (duration < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(duration), duration, "A duration cannot be negative.");
            }

            // Multiplying by ticks first keeps whole-minute durations exact (20 min of 810,000 is 270,000, not
            // 269,999.99…); past about 90 days that product could overflow a decimal, so hours come first there.
            decimal loss = duration.Ticks <= ExactTicksLimit
                ? exposurePerHour * duration.Ticks / TimeSpan.TicksPerHour
                : exposurePerHour * ((decimal)duration.Ticks / TimeSpan.TicksPerHour);
            return new IncidentLoss(exposurePerHour, availabilityTarget, loss, thresholds);
        }

        private static void EnsureExposure(decimal exposurePerHour)
        {
            if (exposurePerHour < 0m || exposurePerHour > ServiceManifest.MaxFinancialExposurePerHour)
            {
                throw new ArgumentOutOfRangeException(nameof(exposurePerHour), exposurePerHour, "Financial exposure is zero or more an hour, and at most 10^15.");
            }
        }
    }
}
