using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace Operability.Manifest.Tests
{
    /// <summary>
    /// CsCheck generators for organisation policies, built from <see cref="ManifestGenerators"/>' names, numbers and
    /// trivia: valid policies with the values they declare (to check round trips), written with varied whitespace
    /// and comments.
    /// </summary>
    internal static class PolicyGenerators
    {
        private static readonly string[] OnCallWords = { "none", "domain", "team" };

        private static readonly string[] DemandWords = { "low", "medium", "high", "very-high" };

        /// <summary>Ascending maxima and ascending levels: a random subset of the allowed levels.</summary>
        private static readonly Gen<GeneratedBand[]> Bands = Gen.Select(
            Gen.Int[1, (1 << OrganisationPolicy.AvailabilityLevels.Count) - 1],
            Gen.Long[1, 200_000_000_000].Array[5],
            Gen.Bool,
            (mask, steps, fractions) =>
            {
                var bands = new List<GeneratedBand>();
                decimal max = 0m;
                for (int i = 0; i < OrganisationPolicy.AvailabilityLevels.Count; i++)
                {
                    if ((mask & (1 << i)) != 0)
                    {
                        max += steps[i] + (fractions ? 0.25m : 0m);
                        bands.Add(new GeneratedBand(max, OrganisationPolicy.AvailabilityLevels[i]));
                    }
                }

                return bands.ToArray();
            });

        /// <summary>Non-decreasing frequencies for low, medium, high and very high demand.</summary>
        private static readonly Gen<string[]> DemandFrequencies = Gen.OneOf("monthly", "fortnightly", "weekly", "daily", "0.75 per week", "3 per week", "0.1 per week", "10 per week").Array[4]
            .Select(words => words.OrderBy(w => Frequency(w).PerWeek).ToArray());

        /// <summary>Non-decreasing on-call levels over the five availability levels, for both periods.</summary>
        private static readonly Gen<(int WorkingHours, int OutOfHours)[]> OnCallRows = Gen.Select(Gen.Int[0, 2].Array[5], Gen.Int[0, 2].Array[5], (working, outOfHours) =>
        {
            Array.Sort(working);
            Array.Sort(outOfHours);
            return working.Zip(outOfHours, (w, o) => (w, o)).ToArray();
        });

        // Both shares of the incident thresholds, 0 < medium < high <= 1000, in thousandths so every value is exact.
        private static readonly Gen<GeneratedIncident> IncidentShares = Gen.Select(Gen.Int[2, 1_000_000], Gen.Int[1, 999], (high, fraction) =>
        {
            decimal highShare = high / 1000m;
            decimal mediumShare = Math.Max(0.001m, decimal.Round(highShare * fraction / 1000m, 3));
            return new GeneratedIncident(highShare, mediumShare < highShare ? mediumShare : highShare / 2m);
        });

        /// <summary>A valid policy: each field present or absent, teams naming only listed domains.</summary>
        public static readonly Gen<GeneratedPolicy> ValidPolicy = Gen.Select(
            Gen.Select(ManifestGenerators.OddName.Null(), Bands.Null(), DemandFrequencies.Null(), OnCallRows.Null()),
            Gen.Select(ManifestGenerators.OddName, Gen.Int[0, 2].Nullable(), ManifestGenerators.OddName.Null()).Array[0, 3],
            Gen.Select(ManifestGenerators.OddName, ManifestGenerators.OddName.Null(), Gen.Int[0, 7], ManifestGenerators.OddName.Null(), Gen.OneOf<int?>(null, 0, 3, 4, 12, int.MaxValue)).Array[0, 4],
            Gen.Select(Gen.Long[0, 1_000_000_000_000].Nullable(), Gen.Int[0, 36524].Nullable(), IncidentShares.Null()),
            ManifestGenerators.Trivia.Array[64],
            (head, domains, teams, tail, trivia) =>
            {
                GeneratedDomain[] generatedDomains = domains.Select((d, i) => new GeneratedDomain(d.Item1 + "-d" + i, d.Item2, d.Item3)).ToArray();
                GeneratedTeam[] generatedTeams = teams.Select((t, i) => new GeneratedTeam(
                    t.Item1 + "-t" + i,
                    t.Item2,
                    generatedDomains.Where((_, j) => (t.Item3 & (1 << j)) != 0).Select(d => d.Id).ToArray(),
                    t.Item4,
                    t.Item5)).ToArray();
                return new GeneratedPolicy(
                    head.Item1,
                    head.Item2,
                    head.Item3,
                    head.Item4,
                    generatedDomains,
                    generatedTeams,
                    tail.Item1,
                    tail.Item2.HasValue ? new DateTime(2000, 1, 1).AddDays(tail.Item2.Value) : (DateTime?)null,
                    tail.Item3,
                    trivia);
            });

        internal static DeploymentFrequency Frequency(string word) =>
            DeploymentFrequency.TryParse(word, out DeploymentFrequency frequency) ? frequency : throw new ArgumentException(word);

        internal static string Word(int onCall) => OnCallWords[onCall];

        internal static string Demand(int index) => DemandWords[index];
    }

    internal sealed record GeneratedBand(decimal Max, decimal Level);

    internal sealed record GeneratedIncident(decimal High, decimal Medium);

    internal sealed record GeneratedDomain(string Id, int? GroupedBy, string? Note);

    internal sealed record GeneratedTeam(string Id, string? Name, string[] Domains, string? Contact, int? Rota);

    /// <summary>A policy the generator wrote, with the values a parser must read back.</summary>
    internal sealed record GeneratedPolicy(
        string? Currency,
        GeneratedBand[]? Bands,
        string[]? Demand,
        (int WorkingHours, int OutOfHours)[]? OnCall,
        GeneratedDomain[] Domains,
        GeneratedTeam[] Teams,
        long? StandbyCost,
        DateTime? ReviewDate,
        GeneratedIncident? Incident,
        string[] Trivia)
    {
        private static readonly string[] Groupings = { "customer-journey", "technology-capability", null! };

        public override string ToString() => ManifestGenerators.Escape(Render());

        /// <summary>Writes the policy with the generated trivia between tokens; empty arrays stand for "absent" only when null.</summary>
        public string Render()
        {
            var properties = new List<string>();
            if (Currency != null)
            {
                properties.Add(Pair("currency", ManifestGenerators.Quote(Currency)));
            }

            if (Bands != null)
            {
                properties.Add(Pair("exposureBands", List(Bands.Select(b => Object(
                    Pair("maxFinancialExposurePerHour", b.Max.ToString(CultureInfo.InvariantCulture)),
                    Pair("availability", b.Level.ToString(CultureInfo.InvariantCulture)))))));
            }

            if (Demand != null)
            {
                properties.Add(Pair("featureDemandBands", List(Demand.Select((d, i) => Object(
                    Pair("featureDemand", ManifestGenerators.Quote(PolicyGenerators.Demand(i))),
                    Pair("deployment", ManifestGenerators.Quote(d)))))));
            }

            if (OnCall != null)
            {
                properties.Add(Pair("onCall", List(OnCall.Select((row, i) => Object(
                    Pair("availability", OrganisationPolicy.AvailabilityLevels[i].ToString(CultureInfo.InvariantCulture)),
                    Pair("workingHours", ManifestGenerators.Quote(PolicyGenerators.Word(row.WorkingHours))),
                    Pair("outOfHours", ManifestGenerators.Quote(PolicyGenerators.Word(row.OutOfHours))))))));
            }

            properties.Add(Pair("productDomains", List(Domains.Select(d => Object(new[]
            {
                Pair("id", ManifestGenerators.Quote(d.Id)),
                d.GroupedBy is int g && Groupings[g] != null ? Pair("groupedBy", ManifestGenerators.Quote(Groupings[g])) : null,
                d.Note != null ? Pair("note", ManifestGenerators.Quote(d.Note, escapeAll: true)) : null,
            }.OfType<string>().ToArray())))));
            properties.Add(Pair("teams", List(Teams.Select(t => Object(new[]
            {
                Pair("id", ManifestGenerators.Quote(t.Id)),
                t.Name != null ? Pair("name", ManifestGenerators.Quote(t.Name)) : null,
                Pair("productDomains", List(t.Domains.Select(d => ManifestGenerators.Quote(d)))),
                t.Contact != null ? Pair("onCallContact", ManifestGenerators.Quote(t.Contact)) : null,
                t.Rota is int rota ? Pair("outOfHoursRota", rota.ToString(CultureInfo.InvariantCulture)) : null,
            }.OfType<string>().ToArray())))));
            if (StandbyCost != null)
            {
                properties.Add(Pair("standbyCostPerWeek", StandbyCost.Value.ToString(CultureInfo.InvariantCulture)));
            }

            if (ReviewDate != null)
            {
                properties.Add(Pair("bandsReviewDate", "\"" + ReviewDate.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\""));
            }

            if (Incident != null)
            {
                properties.Add(Pair("incident", Object(
                    Pair("highLossShare", Incident.High.ToString(CultureInfo.InvariantCulture)),
                    Pair("mediumLossShare", Incident.Medium.ToString(CultureInfo.InvariantCulture)))));
            }

            int next = 0;
            var text = new StringBuilder();
            foreach (string token in Object(properties.ToArray()).Split('\u0001'))
            {
                text.Append(token).Append(Trivia[next++ % Trivia.Length]);
            }

            return text.ToString();
        }

        // Tokens are joined by U+0001, which a JSON text never holds outside strings here (Quote escapes it): Render puts trivia there.
        private static string Pair(string name, string value) => ManifestGenerators.Quote(name) + "\u0001:\u0001" + value;

        private static string Object(params string[] properties) => "{\u0001" + string.Join("\u0001,\u0001", properties) + "\u0001}";

        private static string List(IEnumerable<string> items) => "[\u0001" + string.Join("\u0001,\u0001", items) + "\u0001]";
    }
}
