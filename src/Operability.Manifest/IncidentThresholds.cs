using System;

namespace Operability.Manifest
{
    /// <summary>
    /// Where an incident's loss becomes medium and high, as shares of its projected loss (the loss of the service down
    /// for its whole tolerable unavailability in a week): the organisation policy's <c>incident</c> field, or the
    /// playbook's quarter and whole (<see cref="Playbook"/>).
    /// </summary>
    public sealed class IncidentThresholds
    {
        /// <summary>The largest share either threshold may be: a thousand weeks of tolerable loss.</summary>
        public const decimal MaxShare = 1000m;

        internal IncidentThresholds(decimal highLossShare, decimal mediumLossShare)
        {
            if (!(mediumLossShare > 0m && mediumLossShare < highLossShare && highLossShare <= MaxShare))
            {
                throw new ArgumentOutOfRangeException(nameof(mediumLossShare), mediumLossShare, "Thresholds are 0 < medium < high <= 1000.");
            }

            HighLossShare = highLossShare;
            MediumLossShare = mediumLossShare;
        }

        /// <summary>
        /// The playbook's thresholds, which name high, medium and low loss without numbers: an incident that alone costs
        /// the week's whole projected loss is high, one that costs a quarter of it or more is medium.
        /// </summary>
        public static IncidentThresholds Playbook { get; } = new IncidentThresholds(IncidentLoss.HighLossShareOfProjected, IncidentLoss.MediumLossShareOfProjected);

        /// <summary>The share of the projected loss from which an incident's loss is high (above 0, at most <see cref="MaxShare"/>).</summary>
        public decimal HighLossShare { get; }

        /// <summary>The share of the projected loss from which an incident's loss is medium (above 0, below <see cref="HighLossShare"/>).</summary>
        public decimal MediumLossShare { get; }
    }
}
