using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;

namespace Operability.Manifest
{
    /// <summary>
    /// An organisation's own numbers (<c>operability.organisation.json</c>): exposure bands, feature-demand bands,
    /// the on-call table, teams, product domains, the standby cost of an out-of-hours schedule and the date the
    /// bands are next reviewed. <see cref="Playbook"/> holds the playbook's example values, which apply wherever
    /// an organisation has no policy or its policy leaves a field out. Every selector reads its table from here.
    /// </summary>
    public sealed class OrganisationPolicy
    {
        /// <summary>The file name an organisation's policy is read from.</summary>
        public const string FileName = "operability.organisation.json";

        /// <summary>The people a sustainable out-of-hours rota needs at least (one-week rotations).</summary>
        public const int MinimumSustainableRota = 3;

        /// <summary>The availability levels a band or an on-call row may name, ascending.</summary>
        public static IReadOnlyList<decimal> AvailabilityLevels { get; } = new ReadOnlyCollection<decimal>(new[] { 95.0m, 99.0m, 99.5m, 99.9m, 99.99m });

        internal OrganisationPolicy(
            AvailabilitySelector availability,
            string currency,
            IReadOnlyList<DemandBand> demandBands,
            IReadOnlyList<OnCallRow> onCall,
            IReadOnlyList<PolicyTeam> teams,
            IReadOnlyList<ProductDomain> productDomains,
            decimal? standbyCostPerWeek,
            DateTime? bandsReviewDate,
            IncidentThresholds incidentThresholds)
        {
            IncidentThresholds = incidentThresholds;
            AvailabilitySelector = availability;
            Currency = currency;
            DemandBands = demandBands;
            OnCall = onCall;
            Teams = teams;
            ProductDomains = productDomains;
            StandbyCostPerWeek = standbyCostPerWeek;
            BandsReviewDate = bandsReviewDate;
            // Estate tools look a team up once per manifest: an index keeps that constant for thousands of teams.
            // The first of equal ids wins, as a search in list order would find it.
            _teams = new Dictionary<string, PolicyTeam>(StringComparer.OrdinalIgnoreCase);
            foreach (PolicyTeam team in teams)
            {
                if (!_teams.ContainsKey(team.Id))
                {
                    _teams.Add(team.Id, team);
                }
            }

            _domains = new Dictionary<string, ProductDomain>(StringComparer.OrdinalIgnoreCase);
            foreach (ProductDomain domain in productDomains)
            {
                if (!_domains.ContainsKey(domain.Id))
                {
                    _domains.Add(domain.Id, domain);
                }
            }
        }

        private readonly Dictionary<string, PolicyTeam> _teams;
        private readonly Dictionary<string, ProductDomain> _domains;

        /// <summary>
        /// The playbook's example policy: exposure up to 7,000 → 95.0%, 250,000 → 99.0%, 800,000 → 99.9% (USD);
        /// low → monthly, medium → fortnightly, high → weekly, very high → daily; on call team/none below 99.0,
        /// team/domain at 99.0 and 99.5, team/team from 99.9; no teams, domains, standby cost or review date; incidents medium from a quarter of the projected loss, high from all of it.
        /// </summary>
        public static OrganisationPolicy Playbook { get; } = new OrganisationPolicy(
            new AvailabilitySelector(new[]
            {
                new ExposureBand(7000m, 95.0m),
                new ExposureBand(250000m, 99.0m),
                new ExposureBand(800000m, 99.9m),
            }),
            "USD",
            new ReadOnlyCollection<DemandBand>(new[]
            {
                new DemandBand(FeatureDemand.Low, DeploymentFrequency.Monthly),
                new DemandBand(FeatureDemand.Medium, DeploymentFrequency.Fortnightly),
                new DemandBand(FeatureDemand.High, DeploymentFrequency.Weekly),
                new DemandBand(FeatureDemand.VeryHigh, DeploymentFrequency.Daily),
            }),
            new ReadOnlyCollection<OnCallRow>(new[]
            {
                new OnCallRow(95.0m, OnCallLevel.Team, OnCallLevel.None),
                new OnCallRow(99.0m, OnCallLevel.Team, OnCallLevel.Domain),
                new OnCallRow(99.5m, OnCallLevel.Team, OnCallLevel.Domain),
                new OnCallRow(99.9m, OnCallLevel.Team, OnCallLevel.Team),
                new OnCallRow(99.99m, OnCallLevel.Team, OnCallLevel.Team),
            }),
            Array.Empty<PolicyTeam>(),
            Array.Empty<ProductDomain>(),
            null,
            null,
            IncidentThresholds.Playbook);

        /// <summary>The exposure bands, as a selector.</summary>
        public AvailabilitySelector AvailabilitySelector { get; }

        /// <summary>The currency exposures and costs are in, for messages (e.g. <c>GBP</c>).</summary>
        public string Currency { get; }

        /// <summary>Feature demand → deployment frequency, one row per <see cref="FeatureDemand"/>, in demand order.</summary>
        public IReadOnlyList<DemandBand> DemandBands { get; }

        /// <summary>On-call levels per availability level, one row per level of <see cref="AvailabilityLevels"/>, ascending.</summary>
        public IReadOnlyList<OnCallRow> OnCall { get; }

        /// <summary>The organisation's teams; empty when the policy lists none (then any owner is accepted).</summary>
        public IReadOnlyList<PolicyTeam> Teams { get; }

        /// <summary>The organisation's product domains; empty when the policy lists none.</summary>
        public IReadOnlyList<ProductDomain> ProductDomains { get; }

        /// <summary>What one out-of-hours schedule costs in standby pay a week, in <see cref="Currency"/>; null when not given.</summary>
        public decimal? StandbyCostPerWeek { get; }

        /// <summary>The day the bands are next to be reviewed (a date, no time of day); null when not given.</summary>
        public DateTime? BandsReviewDate { get; }

        /// <summary>Where an incident's loss becomes medium and high (<c>incident</c>); the playbook's when the policy leaves them out.</summary>
        public IncidentThresholds IncidentThresholds { get; }

        /// <summary>The availability target for an hourly financial exposure, from the exposure bands.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The exposure is negative.</exception>
        public decimal SelectTarget(decimal exposurePerHour) => AvailabilitySelector.SelectTarget(exposurePerHour);

        /// <summary>Tolerable unavailability in a week for an hourly financial exposure: that of the target the bands select.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The exposure is negative.</exception>
        public TimeSpan TolerableUnavailabilityPerWeek(decimal exposurePerHour) =>
            Availability.TolerableUnavailabilityPerWeek(SelectTarget(exposurePerHour));

        /// <summary>The deployment frequency for a feature demand, from the feature-demand bands.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Not a defined <see cref="FeatureDemand"/>.</exception>
        public DeploymentFrequency DeploymentFor(FeatureDemand demand)
        {
            foreach (DemandBand band in DemandBands)
            {
                if (band.FeatureDemand == demand)
                {
                    return band.Deployment;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(demand), demand, "Unknown feature demand.");
        }

        /// <summary>
        /// On-call levels for a target: the row of the highest level at or below the target; below every level, the
        /// lowest level's row. With the playbook's table: team/none below 99.0, team/domain to below 99.9, team/team above.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100.</exception>
        public (OnCallLevel WorkingHours, OnCallLevel OutOfHours) OnCallFor(decimal target)
        {
            Availability.EnsureValidTarget(target, nameof(target));
            OnCallRow row = OnCall[0];
            foreach (OnCallRow candidate in OnCall)
            {
                if (candidate.AvailabilityLevel <= target)
                {
                    row = candidate;
                }
            }

            return (row.WorkingHours, row.OutOfHours);
        }

        /// <summary>The team with this id (compared case-insensitively), or null.</summary>
        public PolicyTeam? FindTeam(string id) => _teams.TryGetValue(id, out PolicyTeam? team) ? team : null;

        /// <summary>The product domain with this id (compared case-insensitively), or null.</summary>
        public ProductDomain? FindProductDomain(string id) => _domains.TryGetValue(id, out ProductDomain? domain) ? domain : null;

        /// <summary>
        /// True when the bands' review date has passed at <paramref name="now"/>: the whole review day (in UTC) is
        /// over. False when the policy has no review date. Callers pass <c>TimeProvider.GetUtcNow()</c>: this library
        /// targets netstandard2.0 without a TimeProvider package, because the analyzers load it into the compiler.
        /// </summary>
        public bool IsReviewOverdue(DateTimeOffset now) =>
            BandsReviewDate is DateTime review && now.UtcDateTime.Date > review;
    }

    /// <summary>A feature demand and the deployment frequency it calls for.</summary>
    public sealed class DemandBand
    {
        internal DemandBand(FeatureDemand featureDemand, DeploymentFrequency deployment)
        {
            FeatureDemand = featureDemand;
            Deployment = deployment;
        }

        /// <summary>The relative demand for features.</summary>
        public FeatureDemand FeatureDemand { get; }

        /// <summary>How often a service with that demand is to be deployed.</summary>
        public DeploymentFrequency Deployment { get; }
    }

    /// <summary>The on-call levels an availability level calls for.</summary>
    public sealed class OnCallRow
    {
        internal OnCallRow(decimal availabilityLevel, OnCallLevel workingHours, OnCallLevel outOfHours)
        {
            AvailabilityLevel = availabilityLevel;
            WorkingHours = workingHours;
            OutOfHours = outOfHours;
        }

        /// <summary>One of <see cref="OrganisationPolicy.AvailabilityLevels"/>.</summary>
        public decimal AvailabilityLevel { get; }

        /// <summary>Who answers in working hours.</summary>
        public OnCallLevel WorkingHours { get; }

        /// <summary>Who answers out of hours.</summary>
        public OnCallLevel OutOfHours { get; }

        /// <inheritdoc />
        public override string ToString() => AvailabilityLevel.ToString(CultureInfo.InvariantCulture) + "%: " + WorkingHours + "/" + OutOfHours;
    }

    /// <summary>A team the organisation lists.</summary>
    public sealed class PolicyTeam
    {
        internal PolicyTeam(string id, string? name, IReadOnlyList<string> productDomains, string? onCallContact, int? outOfHoursRota, SourcePosition position)
        {
            Id = id;
            Name = name;
            ProductDomains = productDomains;
            OnCallContact = onCallContact;
            OutOfHoursRota = outOfHoursRota;
            Position = position;
        }

        /// <summary>The id a manifest's <c>owner</c> names; compared case-insensitively.</summary>
        public string Id { get; }

        /// <summary>The name people know the team by; null when not given.</summary>
        public string? Name { get; }

        /// <summary>The product domains the team belongs to (ids of <see cref="OrganisationPolicy.ProductDomains"/>).</summary>
        public IReadOnlyList<string> ProductDomains { get; }

        /// <summary>How to page the team's on-call person; null when not given.</summary>
        public string? OnCallContact { get; }

        /// <summary>How many people are on the team's out-of-hours rota; null when not given.</summary>
        public int? OutOfHoursRota { get; }

        /// <summary>Where the team's <c>id</c> value starts in the policy file.</summary>
        public SourcePosition Position { get; }
    }

    /// <summary>How a product domain groups its teams: the playbook's two sound groupings.</summary>
    public enum DomainGrouping
    {
        /// <summary>Not said.</summary>
        Unspecified,

        /// <summary><c>customer-journey</c>: the teams serve one journey of the organisation's customers.</summary>
        CustomerJourney,

        /// <summary><c>technology-capability</c>: the teams provide one technology capability.</summary>
        TechnologyCapability,
    }

    /// <summary>A product domain: sibling teams that may share an out-of-hours schedule.</summary>
    public sealed class ProductDomain
    {
        internal ProductDomain(string id, DomainGrouping groupedBy, string? note, SourcePosition position)
        {
            Id = id;
            GroupedBy = groupedBy;
            Note = note;
            Position = position;
        }

        /// <summary>The id a manifest's <c>productDomain</c> and a team's <c>productDomains</c> name; compared case-insensitively.</summary>
        public string Id { get; }

        /// <summary>What the domain groups teams by.</summary>
        public DomainGrouping GroupedBy { get; }

        /// <summary>A free note, e.g. which journey or capability; null when not given.</summary>
        public string? Note { get; }

        /// <summary>Where the domain's <c>id</c> value starts in the policy file.</summary>
        public SourcePosition Position { get; }
    }
}
