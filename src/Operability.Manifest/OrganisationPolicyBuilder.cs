using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using Operability.Manifest.Json;

namespace Operability.Manifest
{
    /// <summary>Turns the JSON tree of an organisation policy into an <see cref="OrganisationPolicy"/>, collecting diagnostics.</summary>
    internal sealed class OrganisationPolicyBuilder
    {
        private const string DateFormat = "yyyy-MM-dd";

        private static readonly string[] RootProperties =
        {
            "$schema", "currency", "exposureBands", "featureDemandBands", "onCall", "productDomains", "teams", "standbyCostPerWeek", "bandsReviewDate", "incident",
        };

        private static readonly string[] GroupingWords = { "customer-journey", "technology-capability" };

        private readonly List<ManifestDiagnostic> _diagnostics;
        private readonly OrganisationPolicy _defaults = OrganisationPolicy.Playbook;

        private OrganisationPolicyBuilder(List<ManifestDiagnostic> diagnostics) => _diagnostics = diagnostics;

        /// <summary>Builds a policy; a bug in the builder becomes a diagnostic at the policy's start, as in <see cref="ManifestBuilder"/>.</summary>
        public static OrganisationPolicy? BuildOrReport(JsonNode root, List<ManifestDiagnostic> diagnostics)
        {
            try
            {
                return new OrganisationPolicyBuilder(diagnostics).Build(root);
            }
#pragma warning disable CA1031 // Last line of defence: the analyzers run this in the compiler host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                diagnostics.Add(new ManifestDiagnostic(
                    ManifestDiagnosticKind.Structure,
                    "The organisation policy reader failed unexpectedly (" + e.GetType().Name + "); please report this policy",
                    string.Empty,
                    root.Position));
                return null;
            }
        }

        private OrganisationPolicy? Build(JsonNode root)
        {
            if (!(root is JsonObject policy))
            {
                Report(ManifestDiagnosticKind.Structure, string.Empty, root, "The organisation policy must be a JSON object but found " + root.KindDescription);
                return null;
            }

            RejectUnknown(policy, string.Empty, RootProperties);
            string currency = OptionalString(policy, "currency", "currency") ?? _defaults.Currency;
            AvailabilitySelector bands = ReadExposureBands(policy) ?? _defaults.AvailabilitySelector;
            IReadOnlyList<DemandBand> demand = ReadDemandBands(policy) ?? _defaults.DemandBands;
            IReadOnlyList<OnCallRow> onCall = ReadOnCall(policy);
            IReadOnlyList<ProductDomain> domains = ReadProductDomains(policy);
            IReadOnlyList<PolicyTeam> teams = ReadTeams(policy, domains);
            decimal? standbyCost = ReadStandbyCost(policy);
            DateTime? review = ReadReviewDate(policy);
            IncidentThresholds incident = ReadIncidentThresholds(policy);
            return new OrganisationPolicy(bands, currency, demand, onCall, teams, domains, standbyCost, review, incident);
        }

        private AvailabilitySelector? ReadExposureBands(JsonObject policy)
        {
            JsonArray? array = OptionalArray(policy, "exposureBands");
            if (array == null)
            {
                return null;
            }

            var bands = new List<ExposureBand>();
            bool complete = true;
            JsonNode? previousAt = null;
            ForEachObject(array, "exposureBands", (band, path) =>
            {
                RejectUnknown(band, path, "maxFinancialExposurePerHour", "availability");
                decimal? max = RequiredNumber(band, "maxFinancialExposurePerHour", path, "a band with no maximum exposure covers nothing", ServiceManifest.MaxFinancialExposurePerHour);
                decimal? level = RequiredLevel(band, "availability", path, "a band with no availability level");
                if (max == null || level == null)
                {
                    complete = false;
                    return;
                }

                JsonNode maxAt = band.Find("maxFinancialExposurePerHour")!.Value;
                if (bands.Count > 0)
                {
                    ExposureBand previous = bands[bands.Count - 1];
                    if (max.Value <= previous.MaxExposurePerHour)
                    {
                        string how = max.Value == previous.MaxExposurePerHour ? "overlaps the band before it (same maximum " : "is out of order (below the band before it, ";
                        Report(ManifestDiagnosticKind.Policy, path + ".maxFinancialExposurePerHour", maxAt, "Band '" + path + "' " + how + Number(previous.MaxExposurePerHour)
                            + " at " + previousAt!.Position + "): list bands by strictly ascending maxFinancialExposurePerHour");
                        complete = false;
                        return;
                    }

                    if (level.Value <= previous.AvailabilityTarget)
                    {
                        Report(ManifestDiagnosticKind.Policy, path + ".availability", band.Find("availability")!.Value, "Band '" + path + "' has availability " + Number(level.Value)
                            + " but the lower band before it already has " + Number(previous.AvailabilityTarget) + ": a higher exposure needs a strictly higher availability level");
                        complete = false;
                        return;
                    }
                }

                bands.Add(new ExposureBand(max.Value, level.Value));
                previousAt = maxAt;
            }, () => complete = false);

            if (array.Items.Count == 0)
            {
                Report(ManifestDiagnosticKind.Policy, "exposureBands", array, "Property 'exposureBands' is empty: give at least one band, or leave the property out for the playbook's bands");
                return null;
            }

            return complete ? new AvailabilitySelector(bands) : null;
        }

        private IReadOnlyList<DemandBand>? ReadDemandBands(JsonObject policy)
        {
            JsonArray? array = OptionalArray(policy, "featureDemandBands");
            if (array == null)
            {
                return null;
            }

            var byDemand = new (DeploymentFrequency Frequency, JsonNode At, string Path)?[ManifestBuilder.FeatureDemandWords.Length];
            bool complete = true;
            ForEachObject(array, "featureDemandBands", (band, path) =>
            {
                RejectUnknown(band, path, "featureDemand", "deployment");
                int? demand = RequiredWord(band, "featureDemand", path, ManifestBuilder.FeatureDemandWords, "feature demand");
                DeploymentFrequency? frequency = RequiredFrequency(band, path);
                if (demand == null || frequency == null)
                {
                    complete = false;
                    return;
                }

                JsonNode demandAt = band.Find("featureDemand")!.Value;
                if (byDemand[demand.Value] is { } first)
                {
                    Report(ManifestDiagnosticKind.Policy, path + ".featureDemand", demandAt, "Feature demand \"" + ManifestBuilder.FeatureDemandWords[demand.Value] + "\" at '" + path
                        + "' already has a band at '" + first.Path + "': give each feature demand one band");
                    complete = false;
                    return;
                }

                byDemand[demand.Value] = (frequency.Value, band.Find("deployment")!.Value, path);
            }, () => complete = false);

            if (!complete)
            {
                return null;
            }

            var missing = new List<string>();
            for (int i = 0; i < byDemand.Length; i++)
            {
                if (byDemand[i] == null)
                {
                    missing.Add("\"" + ManifestBuilder.FeatureDemandWords[i] + "\"");
                }
            }

            if (missing.Count > 0)
            {
                Report(ManifestDiagnosticKind.Policy, "featureDemandBands", array, "Property 'featureDemandBands' has no band for " + string.Join(", ", missing)
                    + ": give a deployment frequency for every feature demand, or leave the property out for the playbook's bands");
                return null;
            }

            var bands = new List<DemandBand>();
            for (int i = 0; i < byDemand.Length; i++)
            {
                var band = byDemand[i]!.Value;
                if (i > 0 && band.Frequency < byDemand[i - 1]!.Value.Frequency)
                {
                    Report(ManifestDiagnosticKind.Policy, band.Path + ".deployment", band.At, "Feature demand \"" + ManifestBuilder.FeatureDemandWords[i] + "\" deploys " + band.Frequency
                        + ", less often than \"" + ManifestBuilder.FeatureDemandWords[i - 1] + "\" (" + byDemand[i - 1]!.Value.Frequency + "): a higher demand needs at least as frequent deployments");
                    complete = false;
                }

                bands.Add(new DemandBand((FeatureDemand)i, band.Frequency));
            }

            return complete ? new ReadOnlyCollection<DemandBand>(bands) : null;
        }

        /// <summary>Rows override the playbook's row of the same level; the rest keep the playbook's.</summary>
        private IReadOnlyList<OnCallRow> ReadOnCall(JsonObject policy)
        {
            var rows = new List<OnCallRow>(_defaults.OnCall);
            JsonArray? array = OptionalArray(policy, "onCall");
            if (array == null)
            {
                return _defaults.OnCall;
            }

            var declaredAt = new Dictionary<decimal, (JsonNode At, string Path)>();
            ForEachObject(array, "onCall", (row, path) =>
            {
                RejectUnknown(row, path, "availability", "workingHours", "outOfHours");
                decimal? level = RequiredLevel(row, "availability", path, "an on-call row with no availability level");
                int? workingHours = RequiredWord(row, "workingHours", path, ManifestBuilder.OnCallWords, "on-call level");
                int? outOfHours = RequiredWord(row, "outOfHours", path, ManifestBuilder.OnCallWords, "on-call level");
                if (level == null || workingHours == null || outOfHours == null)
                {
                    return;
                }

                JsonNode levelAt = row.Find("availability")!.Value;
                if (declaredAt.TryGetValue(level.Value, out var first))
                {
                    Report(ManifestDiagnosticKind.Policy, path + ".availability", levelAt, "Availability level " + Number(level.Value) + " at '" + path
                        + "' already has an on-call row at '" + first.Path + "': give each level one row");
                    return;
                }

                declaredAt.Add(level.Value, (levelAt, path));
                int index = rows.FindIndex(r => r.AvailabilityLevel == level.Value);
                rows[index] = new OnCallRow(level.Value, (OnCallLevel)workingHours.Value, (OnCallLevel)outOfHours.Value);
            }, () => { });

            // A higher target must not be covered less: that would be a row the playbook calls a risk.
            for (int i = 1; i < rows.Count; i++)
            {
                OnCallRow lower = rows[i - 1];
                OnCallRow higher = rows[i];
                if (higher.WorkingHours < lower.WorkingHours || higher.OutOfHours < lower.OutOfHours)
                {
                    bool higherDeclared = declaredAt.TryGetValue(higher.AvailabilityLevel, out var at);
                    if (!higherDeclared)
                    {
                        at = declaredAt[lower.AvailabilityLevel];
                    }

                    Report(ManifestDiagnosticKind.Policy, at.Path, at.At, "On call at " + Number(higher.AvailabilityLevel) + "% (" + Word(higher.WorkingHours) + "/" + Word(higher.OutOfHours)
                        + ") is less than at " + Number(lower.AvailabilityLevel) + "% (" + Word(lower.WorkingHours) + "/" + Word(lower.OutOfHours)
                        + "): a higher availability level needs at least the same on-call levels");
                }
            }

            return new ReadOnlyCollection<OnCallRow>(rows);
        }

        private IReadOnlyList<ProductDomain> ReadProductDomains(JsonObject policy)
        {
            var domains = new List<ProductDomain>();
            JsonArray? array = OptionalArray(policy, "productDomains");
            if (array == null)
            {
                return domains.AsReadOnly();
            }

            var firstPath = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            ForEachObject(array, "productDomains", (domain, path) =>
            {
                RejectUnknown(domain, path, "id", "groupedBy", "note");
                string? id = RequiredId(domain, path, firstPath, "Product domain");
                int? grouping = OptionalWord(domain, "groupedBy", path + ".groupedBy", GroupingWords, "grouping");
                string? note = OptionalString(domain, "note", path + ".note");
                if (id != null)
                {
                    domains.Add(new ProductDomain(id, grouping.HasValue ? (DomainGrouping)(grouping.Value + 1) : DomainGrouping.Unspecified, note, domain.Find("id")!.Value.Position));
                }
            }, () => { });
            return domains.AsReadOnly();
        }

        private IReadOnlyList<PolicyTeam> ReadTeams(JsonObject policy, IReadOnlyList<ProductDomain> domains)
        {
            var teams = new List<PolicyTeam>();
            JsonArray? array = OptionalArray(policy, "teams");
            if (array == null)
            {
                return teams.AsReadOnly();
            }

            var firstPath = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var domainIds = new HashSet<string>(domains.Select(d => d.Id), StringComparer.OrdinalIgnoreCase);
            ForEachObject(array, "teams", (team, path) =>
            {
                RejectUnknown(team, path, "id", "name", "productDomains", "onCallContact", "outOfHoursRota");
                string? id = RequiredId(team, path, firstPath, "Team");
                string? name = OptionalString(team, "name", path + ".name");
                string label = id == null ? path + "'" : id + "' (" + path + ")";
                IReadOnlyList<string> teamDomains = ReadTeamDomains(team, path, label, domains, domainIds);
                string? contact = OptionalString(team, "onCallContact", path + ".onCallContact");
                int? rota = ReadRota(team, path, label);
                if (id != null)
                {
                    teams.Add(new PolicyTeam(id, name, teamDomains, contact, rota, team.Find("id")!.Value.Position));
                }
            }, () => { });
            return teams.AsReadOnly();
        }

        private IReadOnlyList<string> ReadTeamDomains(JsonObject team, string path, string label, IReadOnlyList<ProductDomain> domains, HashSet<string> domainIds)
        {
            var names = new List<string>();
            JsonArray? array = OptionalArray(team, "productDomains", path + ".productDomains");
            if (array == null)
            {
                return names.AsReadOnly();
            }

            for (int i = 0; i < array.Items.Count; i++)
            {
                string itemPath = JsonPath.Element(path + ".productDomains", i);
                string? domain = NonEmptyString(array.Items[i], itemPath);
                if (domain == null)
                {
                    continue;
                }

                if (!domainIds.Contains(domain))
                {
                    string known = domains.Count == 0 ? "the policy lists no product domains" : "known: \"" + string.Join("\", \"", domains.Select(d => d.Id)) + "\"";
                    Report(ManifestDiagnosticKind.Policy, itemPath, array.Items[i], "Team '" + label + " names product domain \"" + domain + "\", which 'productDomains' does not list; " + known);
                    continue;
                }

                names.Add(domain);
            }

            return names.AsReadOnly();
        }

        private int? ReadRota(JsonObject team, string path, string label)
        {
            string rotaPath = path + ".outOfHoursRota";
            JsonProperty? property = team.Find("outOfHoursRota");
            if (property == null)
            {
                return null;
            }

            if (!(property.Value is JsonNumber number) || number.DecimalValue is not decimal people || people < 0 || people != decimal.Truncate(people) || people > int.MaxValue)
            {
                Report(ManifestDiagnosticKind.Structure, rotaPath, property.Value, "Property '" + rotaPath + "' must be a whole number of people (0 or more) but found " + ManifestBuilder.Display(property.Value));
                return null;
            }

            if (people > 0 && people < OrganisationPolicy.MinimumSustainableRota)
            {
                Report(ManifestDiagnosticKind.PolicyWarning, rotaPath, property.Value, "Team '" + label + " has " + Number(people) + " people on its out-of-hours rota; a sustainable rota needs at least "
                    + OrganisationPolicy.MinimumSustainableRota.ToString(CultureInfo.InvariantCulture) + " (one-week rotations), or share a domain schedule");
            }

            return (int)people;
        }

        private decimal? ReadStandbyCost(JsonObject policy)
        {
            JsonProperty? property = policy.Find("standbyCostPerWeek");
            return property == null ? null : Amount(property.Value, "standbyCostPerWeek", ServiceManifest.MaxFinancialExposurePerHour);
        }

        /// <summary>Either share may be left out (the playbook's applies); a broken one leaves the playbook's in place, and the policy invalid.</summary>
        private IncidentThresholds ReadIncidentThresholds(JsonObject policy)
        {
            IncidentThresholds defaults = _defaults.IncidentThresholds;
            JsonProperty? property = policy.Find("incident");
            if (property == null)
            {
                return defaults;
            }

            if (!(property.Value is JsonObject incident))
            {
                Report(ManifestDiagnosticKind.Structure, "incident", property.Value, "Property 'incident' must be an object but found " + ManifestBuilder.Display(property.Value));
                return defaults;
            }

            RejectUnknown(incident, "incident", "highLossShare", "mediumLossShare");
            decimal? high = Share(incident, "highLossShare");
            decimal? medium = Share(incident, "mediumLossShare");
            if (incident.Find("highLossShare") != null && high == null || incident.Find("mediumLossShare") != null && medium == null)
            {
                return defaults;
            }

            decimal highShare = high ?? defaults.HighLossShare;
            decimal mediumShare = medium ?? defaults.MediumLossShare;
            if (mediumShare >= highShare)
            {
                // Reported where the medium share is written, or at the high share when only that one is.
                JsonProperty at = incident.Find("mediumLossShare") ?? incident.Find("highLossShare")!;
                Report(ManifestDiagnosticKind.Policy, "incident." + at.Name, at.Value, "Property 'incident." + at.Name + "' gives mediumLossShare " + Number(mediumShare) + " and highLossShare " + Number(highShare)
                    + ": a medium loss starts below a high one (highLossShare " + Number(highShare) + "); make mediumLossShare the smaller");
                return defaults;
            }

            return new IncidentThresholds(highShare, mediumShare);
        }

        private decimal? Share(JsonObject incident, string name)
        {
            JsonProperty? property = incident.Find(name);
            if (property == null)
            {
                return null;
            }

            if (!(property.Value is JsonNumber number) || number.DecimalValue is not decimal share || share <= 0m || share > IncidentThresholds.MaxShare)
            {
                Report(ManifestDiagnosticKind.Structure, "incident." + name, property.Value, "Property 'incident." + name + "' must be a number above 0 and at most " + Number(IncidentThresholds.MaxShare)
                    + " (a share of the projected loss: 1 is a week's tolerable loss) but found " + ManifestBuilder.Display(property.Value));
                return null;
            }

            return share;
        }

        private DateTime? ReadReviewDate(JsonObject policy)
        {
            JsonProperty? property = policy.Find("bandsReviewDate");
            if (property == null)
            {
                return null;
            }

            if (property.Value is JsonString text
                && DateTime.TryParseExact(text.Value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime date))
            {
                return DateTime.SpecifyKind(date, DateTimeKind.Utc);
            }

            Report(ManifestDiagnosticKind.Structure, "bandsReviewDate", property.Value, "Property 'bandsReviewDate' is " + ManifestBuilder.Display(property.Value) + ", not a date; write it as \"" + DateFormat + "\", e.g. \"2027-03-31\"");
            return null;
        }

        /// <summary>A required number from 0 to <paramref name="max"/>; its absence is a contradiction (<see cref="ManifestDiagnosticKind.Policy"/>).</summary>
        private decimal? RequiredNumber(JsonObject parent, string name, string parentPath, string why, decimal max)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                Report(ManifestDiagnosticKind.Policy, parentPath + "." + name, parent, "Property '" + parentPath + "." + name + "' is missing: " + why);
                return null;
            }

            return Amount(property.Value, parentPath + "." + name, max);
        }

        private decimal? Amount(JsonNode value, string path, decimal max)
        {
            if (!(value is JsonNumber number) || number.DecimalValue is not decimal amount || amount < 0 || amount > max)
            {
                Report(ManifestDiagnosticKind.Structure, path, value, "Property '" + path + "' must be a number from 0 to " + Number(max) + " but found " + ManifestBuilder.Display(value));
                return null;
            }

            return amount == 0 ? 0m : amount;
        }

        private decimal? RequiredLevel(JsonObject parent, string name, string parentPath, string what)
        {
            string path = parentPath + "." + name;
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                Report(ManifestDiagnosticKind.Policy, path, parent, "Property '" + path + "' is missing: " + what + " selects nothing; give one of " + Levels());
                return null;
            }

            if (property.Value is JsonNumber number && number.DecimalValue is decimal level && OrganisationPolicy.AvailabilityLevels.Contains(level))
            {
                // One representation per level: 99.90 and 99.9 are the same level, shown as 99.9.
                return OrganisationPolicy.AvailabilityLevels.First(l => l == level);
            }

            ManifestDiagnosticKind kind = property.Value is JsonNumber ? ManifestDiagnosticKind.Policy : ManifestDiagnosticKind.Structure;
            Report(kind, path, property.Value, "Property '" + path + "' is " + ManifestBuilder.Display(property.Value) + ", not a known availability level; accepted: " + Levels());
            return null;
        }

        private DeploymentFrequency? RequiredFrequency(JsonObject band, string parentPath)
        {
            string path = parentPath + ".deployment";
            JsonProperty? property = band.Find("deployment");
            if (property == null)
            {
                Report(ManifestDiagnosticKind.Policy, path, band, "Property '" + path + "' is missing: a band with no deployment frequency selects nothing");
                return null;
            }

            if (property.Value is JsonString text && DeploymentFrequency.TryParse(text.Value, out DeploymentFrequency frequency))
            {
                return frequency;
            }

            Report(ManifestDiagnosticKind.Structure, path, property.Value, "Property '" + path + "' is " + ManifestBuilder.Display(property.Value)
                + ", not a deployment frequency; accepted: \"monthly\", \"fortnightly\", \"weekly\", \"daily\" or \"N per week\" (e.g. \"3 per week\", \"0.75 per week\")");
            return null;
        }

        private int? RequiredWord(JsonObject parent, string name, string parentPath, string[] words, string what)
        {
            string path = parentPath + "." + name;
            if (parent.Find(name) == null)
            {
                Report(ManifestDiagnosticKind.Policy, path, parent, "Property '" + path + "' is missing; accepted: \"" + string.Join("\", \"", words) + "\"");
                return null;
            }

            return OptionalWord(parent, name, path, words, what);
        }

        private int? OptionalWord(JsonObject parent, string name, string path, string[] words, string what)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                return null;
            }

            int index = property.Value is JsonString text ? Array.IndexOf(words, text.Value) : -1;
            if (index < 0)
            {
                Report(ManifestDiagnosticKind.Structure, path, property.Value, "Property '" + path + "' is " + ManifestBuilder.Display(property.Value) + ", not a known " + what + "; accepted: \"" + string.Join("\", \"", words) + "\"");
                return null;
            }

            return index;
        }

        /// <summary>A required, unique (case-insensitively) <c>id</c>; null when missing, invalid or a duplicate.</summary>
        private string? RequiredId(JsonObject entry, string path, Dictionary<string, string> firstPath, string label)
        {
            JsonProperty? property = entry.Find("id");
            if (property == null)
            {
                Report(ManifestDiagnosticKind.Structure, path + ".id", entry, "Property '" + path + ".id' is missing");
                return null;
            }

            string? id = NonEmptyString(property.Value, path + ".id");
            if (id == null)
            {
                return null;
            }

            if (firstPath.TryGetValue(id, out string? first))
            {
                Report(ManifestDiagnosticKind.Policy, path + ".id", property.Value, label + " \"" + id + "\" at '" + path + ".id' is already declared at '" + first + ".id' (ids are compared case-insensitively)");
                return null;
            }

            firstPath.Add(id, path);
            return id;
        }

        private string? OptionalString(JsonObject parent, string name, string path)
        {
            JsonProperty? property = parent.Find(name);
            return property == null ? null : NonEmptyString(property.Value, path);
        }

        private string? NonEmptyString(JsonNode value, string path)
        {
            if (value is JsonString text && text.Value.Trim().Length > 0)
            {
                return text.Value;
            }

            Report(ManifestDiagnosticKind.Structure, path, value, "Property '" + path + "' must be a non-blank string but found " + ManifestBuilder.Display(value));
            return null;
        }

        private JsonArray? OptionalArray(JsonObject parent, string name, string? path = null)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                return null;
            }

            if (property.Value is JsonArray array)
            {
                return array;
            }

            Report(ManifestDiagnosticKind.Structure, path ?? name, property.Value, "Property '" + (path ?? name) + "' must be an array but found " + ManifestBuilder.Display(property.Value));
            return null;
        }

        /// <summary>Calls <paramref name="read"/> for each object of the array; reports the rest and calls <paramref name="notAnObject"/>.</summary>
        private void ForEachObject(JsonArray array, string name, Action<JsonObject, string> read, Action notAnObject)
        {
            for (int i = 0; i < array.Items.Count; i++)
            {
                string path = JsonPath.Element(name, i);
                if (array.Items[i] is JsonObject entry)
                {
                    read(entry, path);
                }
                else
                {
                    Report(ManifestDiagnosticKind.Structure, path, array.Items[i], "'" + path + "' must be an object but found " + ManifestBuilder.Display(array.Items[i]));
                    notAnObject();
                }
            }
        }

        /// <summary>
        /// Unknown properties are errors here, unlike in a manifest: a misspelt field would otherwise leave the
        /// playbook's value in force without a word.
        /// </summary>
        private void RejectUnknown(JsonObject entry, string path, params string[] known)
        {
            foreach (JsonProperty property in entry.Properties)
            {
                if (Array.IndexOf(known, property.Name) < 0)
                {
                    string at = path.Length == 0 ? property.Name : path + "." + property.Name;
                    Report(ManifestDiagnosticKind.Structure, at, property.NamePosition, "Property '" + at + "' is not part of an organisation policy; accepted here: " + string.Join(", ", known.Where(k => k != "$schema")));
                }
            }
        }

        private void Report(ManifestDiagnosticKind kind, string path, JsonNode at, string message) => Report(kind, path, at.Position, message);

        private void Report(ManifestDiagnosticKind kind, string path, SourcePosition at, string message) =>
            _diagnostics.Add(new ManifestDiagnostic(kind, message, path, at));

        private static string Levels() => string.Join(", ", OrganisationPolicy.AvailabilityLevels.Select(Number));

        private static string Number(decimal value) => ManifestBuilder.Number(value);

        private static string Word(OnCallLevel level) => ManifestBuilder.OnCallWords[(int)level];
    }
}
