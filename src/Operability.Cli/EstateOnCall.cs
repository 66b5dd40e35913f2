using System;
using System.Collections.Generic;
using System.Linq;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>An out-of-hours schedule: one team's own, or one product domain's shared by its teams.</summary>
    internal sealed record Schedule(OnCallLevel Kind, string Id, IReadOnlyList<string> Teams, IReadOnlyList<string> Services);

    /// <summary>A team whose out-of-hours rota (from the policy) is under <see cref="OrganisationPolicy.MinimumSustainableRota"/>.</summary>
    internal sealed record SmallRota(string Team, int Rota);

    /// <summary>A service the view could not place, and why.</summary>
    internal sealed record SkippedService(string Source, string Reason);

    /// <summary>
    /// The out-of-hours schedules an estate needs, from each service's target through the policy's on-call table:
    /// one schedule per team with a service on call as a team out of hours; one per product domain for the services
    /// on call as a domain whose team has no schedule of its own (a team schedule already covers its team's
    /// domain-level services); none for the rest. Set against the naive count: one schedule per team with any
    /// service on call out of hours.
    /// </summary>
    internal sealed class EstateOnCall
    {
        private EstateOnCall(
            IReadOnlyList<Schedule> schedules,
            IReadOnlyList<string> noOutOfHours,
            int naiveCount,
            IReadOnlyList<(string Domain, string Team)> domainsWithOneTeam,
            IReadOnlyList<SmallRota> smallRotas,
            IReadOnlyList<SkippedService> skipped)
        {
            Schedules = schedules;
            NoOutOfHours = noOutOfHours;
            NaiveCount = naiveCount;
            DomainsWithOneTeam = domainsWithOneTeam;
            SmallRotas = smallRotas;
            Skipped = skipped;
        }

        public IReadOnlyList<Schedule> Schedules { get; }

        public IReadOnlyList<string> NoOutOfHours { get; }

        public int NaiveCount { get; }

        public IReadOnlyList<(string Domain, string Team)> DomainsWithOneTeam { get; }

        public IReadOnlyList<SmallRota> SmallRotas { get; }

        public IReadOnlyList<SkippedService> Skipped { get; }

        public static EstateOnCall Plan(IEnumerable<EstateEntry> entries, OrganisationPolicy policy)
        {
            var placed = new List<(EstateEntry Entry, string Owner, string Name, OnCallLevel OutOfHours, string? Domain)>();
            var skipped = new List<SkippedService>();
            foreach (EstateEntry entry in entries)
            {
                ServiceManifest manifest = entry.Manifest;
                if (manifest.Owner is not string owner || manifest.AvailabilityTarget is not decimal target)
                {
                    skipped.Add(new SkippedService(entry.Source, manifest.Owner is null ? "no single owner" : "no availability target"));
                    continue;
                }

                placed.Add((entry, owner, manifest.Service ?? entry.Source, policy.OnCallFor(target).OutOfHours, DomainOf(manifest, owner, policy)));
            }

            var comparer = StringComparer.OrdinalIgnoreCase;
            var teamsWithOwnSchedule = new HashSet<string>(placed.Where(p => p.OutOfHours == OnCallLevel.Team).Select(p => p.Owner), comparer);
            var schedules = new List<Schedule>();
            foreach (var team in placed.Where(p => teamsWithOwnSchedule.Contains(p.Owner)).GroupBy(p => p.Owner, comparer).OrderBy(g => g.Key, comparer))
            {
                // A team with its own schedule covers its domain-level services too; its none-level services wait.
                schedules.Add(new Schedule(OnCallLevel.Team, team.Key, new[] { team.Key }, team.Where(p => p.OutOfHours != OnCallLevel.None).Select(p => p.Name).ToList()));
            }

            var sharing = placed.Where(p => p.OutOfHours == OnCallLevel.Domain && !teamsWithOwnSchedule.Contains(p.Owner)).ToList();
            foreach (var service in sharing.Where(p => p.Domain is null))
            {
                skipped.Add(new SkippedService(service.Entry.Source, "on call as a domain out of hours but no product domain (productDomain, or the owner's one domain in the policy)"));
            }

            foreach (var domain in sharing.Where(p => p.Domain is not null).GroupBy(p => p.Domain!, comparer).OrderBy(g => g.Key, comparer))
            {
                schedules.Add(new Schedule(
                    OnCallLevel.Domain,
                    domain.Key,
                    domain.Select(p => p.Owner).Distinct(comparer).OrderBy(t => t, comparer).ToList(),
                    domain.Select(p => p.Name).ToList()));
            }

            // Siblings are the domain's teams anywhere in the estate or the policy, not only those on its schedule.
            var teamsByDomain = new Dictionary<string, HashSet<string>>(comparer);
            void AddTeam(string domain, string team)
            {
                if (!teamsByDomain.TryGetValue(domain, out HashSet<string>? teams))
                {
                    teamsByDomain[domain] = teams = new HashSet<string>(comparer);
                }

                teams.Add(team);
            }

            foreach (var service in placed.Where(p => p.Domain is not null))
            {
                AddTeam(service.Domain!, service.Owner);
            }

            foreach (PolicyTeam team in policy.Teams)
            {
                foreach (string domain in team.ProductDomains)
                {
                    AddTeam(domain, team.Id);
                }
            }

            var domainsWithOneTeam = new List<(string, string)>();
            foreach (Schedule schedule in schedules.Where(s => s.Kind == OnCallLevel.Domain))
            {
                HashSet<string> teams = teamsByDomain[schedule.Id];
                if (teams.Count == 1)
                {
                    domainsWithOneTeam.Add((schedule.Id, teams.First()));
                }
            }

            var smallRotas = new List<SmallRota>();
            foreach (string team in schedules.SelectMany(s => s.Teams).Distinct(comparer).OrderBy(t => t, comparer))
            {
                if (policy.FindTeam(team)?.OutOfHoursRota is int rota && rota < OrganisationPolicy.MinimumSustainableRota)
                {
                    smallRotas.Add(new SmallRota(team, rota));
                }
            }

            int naive = placed.Where(p => p.OutOfHours != OnCallLevel.None).Select(p => p.Owner).Distinct(comparer).Count();
            var none = placed.Where(p => p.OutOfHours == OnCallLevel.None).Select(p => p.Name).ToList();
            return new EstateOnCall(schedules, none, naive, domainsWithOneTeam, smallRotas, skipped);
        }

        private static string? DomainOf(ServiceManifest manifest, string owner, OrganisationPolicy policy)
        {
            if (manifest.ProductDomain is string domain)
            {
                return domain;
            }

            IReadOnlyList<string>? domains = policy.FindTeam(owner)?.ProductDomains;
            return domains is { Count: 1 } ? domains[0] : null;
        }
    }
}
