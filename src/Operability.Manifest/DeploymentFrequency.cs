using System;
using System.Globalization;

namespace Operability.Manifest
{
    /// <summary>
    /// How often a service is deployed, as deployments per week: one of the four named targets or "N per week".
    /// The named ones are <c>monthly</c> (12 a year, 12/52 a week), <c>fortnightly</c> (0.5), <c>weekly</c> (1) and
    /// <c>daily</c> (5: one a working day). Frequencies compare by deployments per week.
    /// </summary>
    public readonly struct DeploymentFrequency : IEquatable<DeploymentFrequency>, IComparable<DeploymentFrequency>
    {
        private const string PerWeekSuffix = "per week";

        private DeploymentFrequency(decimal perWeek, DeploymentTarget? named)
        {
            PerWeek = perWeek;
            Named = named;
        }

        /// <summary>Twelve a year.</summary>
        public static DeploymentFrequency Monthly { get; } = new DeploymentFrequency(12m / 52m, DeploymentTarget.Monthly);

        /// <summary>One every two weeks.</summary>
        public static DeploymentFrequency Fortnightly { get; } = new DeploymentFrequency(0.5m, DeploymentTarget.Fortnightly);

        /// <summary>One a week.</summary>
        public static DeploymentFrequency Weekly { get; } = new DeploymentFrequency(1m, DeploymentTarget.Weekly);

        /// <summary>One a working day: five a week.</summary>
        public static DeploymentFrequency Daily { get; } = new DeploymentFrequency(5m, DeploymentTarget.Daily);

        /// <summary>Deployments per week; greater than zero.</summary>
        public decimal PerWeek { get; }

        /// <summary>The named target this frequency is, or null for "N per week".</summary>
        public DeploymentTarget? Named { get; }

        /// <summary>The frequency of a named target.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="DeploymentTarget"/>.</exception>
        public static DeploymentFrequency From(DeploymentTarget target) => target switch
        {
            DeploymentTarget.Monthly => Monthly,
            DeploymentTarget.Fortnightly => Fortnightly,
            DeploymentTarget.Weekly => Weekly,
            DeploymentTarget.Daily => Daily,
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown deployment target."),
        };

        /// <summary>"N per week"; a named frequency when N is exactly one (weekly) or one half (fortnightly).</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="perWeek"/> is zero or negative.</exception>
        public static DeploymentFrequency PerWeekOf(decimal perWeek)
        {
            if (perWeek <= 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(perWeek), perWeek, "A deployment frequency is more than zero a week.");
            }

            // Only the two that are exact in a week: "5 per week" is written as such, not read as daily.
            return perWeek == 1m ? Weekly : perWeek == 0.5m ? Fortnightly : new DeploymentFrequency(perWeek, null);
        }

        /// <summary>
        /// Reads <c>monthly</c>, <c>fortnightly</c>, <c>weekly</c>, <c>daily</c> or <c>N per week</c> (N a positive
        /// decimal such as 3 or 0.75, invariant culture).
        /// </summary>
        public static bool TryParse(string? text, out DeploymentFrequency frequency)
        {
            frequency = default;
            if (text is null)
            {
                return false;
            }

            int named = Array.IndexOf(Words, text);
            if (named >= 0)
            {
                frequency = From((DeploymentTarget)named);
                return true;
            }

            if (!text.EndsWith(" " + PerWeekSuffix, StringComparison.Ordinal))
            {
                return false;
            }

            string number = text.Substring(0, text.Length - PerWeekSuffix.Length - 1);
            if (number.Length == 0 || number.Trim().Length != number.Length
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal perWeek)
                || perWeek <= 0m)
            {
                return false;
            }

            frequency = PerWeekOf(perWeek);
            return true;
        }

        /// <summary>The four words, indexed by <see cref="DeploymentTarget"/>.</summary>
        internal static string[] Words { get; } = { "monthly", "fortnightly", "weekly", "daily" };

        /// <summary>The JSON form: the named word, or <c>N per week</c>.</summary>
        public override string ToString() =>
            Named is DeploymentTarget target ? Words[(int)target] : PerWeek.ToString(CultureInfo.InvariantCulture) + " " + PerWeekSuffix;

        /// <inheritdoc />
        public bool Equals(DeploymentFrequency other) => PerWeek == other.PerWeek;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is DeploymentFrequency other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => PerWeek.GetHashCode();

        /// <inheritdoc />
        public int CompareTo(DeploymentFrequency other) => PerWeek.CompareTo(other.PerWeek);

        /// <summary>Same deployments per week.</summary>
        public static bool operator ==(DeploymentFrequency left, DeploymentFrequency right) => left.Equals(right);

        /// <summary>Different deployments per week.</summary>
        public static bool operator !=(DeploymentFrequency left, DeploymentFrequency right) => !left.Equals(right);

        /// <summary>Less often.</summary>
        public static bool operator <(DeploymentFrequency left, DeploymentFrequency right) => left.PerWeek < right.PerWeek;

        /// <summary>More often.</summary>
        public static bool operator >(DeploymentFrequency left, DeploymentFrequency right) => left.PerWeek > right.PerWeek;

        /// <summary>As often or less often.</summary>
        public static bool operator <=(DeploymentFrequency left, DeploymentFrequency right) => left.PerWeek <= right.PerWeek;

        /// <summary>As often or more often.</summary>
        public static bool operator >=(DeploymentFrequency left, DeploymentFrequency right) => left.PerWeek >= right.PerWeek;
    }
}
