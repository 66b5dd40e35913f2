using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Operability.Manifest;
using YamlDotNet.RepresentationModel;

namespace Operability.Cli
{
    /// <summary>A problem an export found: an entity it could not write and why.</summary>
    /// <param name="Source">The manifest (or database, team) concerned.</param>
    /// <param name="Message">What and why.</param>
    /// <param name="IsError">True when an entity was left out; false when it was written with a caveat.</param>
    internal sealed record ExportProblem(string Source, string Message, bool IsError);

    /// <summary>One file an export wrote.</summary>
    /// <param name="Path">Where.</param>
    /// <param name="Entities">What it holds, as <c>Kind:name</c>.</param>
    internal sealed record ExportedFile(string Path, IReadOnlyList<string> Entities);

    /// <summary>
    /// The estate as Backstage catalogue entities: a Component per service (in <c>&lt;dir&gt;/&lt;name&gt;/catalog-info.yaml</c>),
    /// a Resource per database with one owning team (<c>resources.yaml</c>), a Group per team and per product domain and a
    /// Domain per product domain (<c>organisation.yaml</c>). Names follow <see cref="EntityName"/>; what cannot be written
    /// truthfully (no owner, a database two teams claim, two ids that become one name) is a problem, never guessed.
    /// </summary>
    internal static class BackstageExport
    {
        /// <summary>The prefix of every annotation the export writes.</summary>
        public const string AnnotationPrefix = "operability.dev/";

        private const string ApiVersion = "backstage.io/v1alpha1";

        private static readonly StringComparer Ids = StringComparer.OrdinalIgnoreCase;

        private sealed record Service(EstateEntry Entry, string Name, string Team);

        public static IReadOnlyList<ExportedFile> Write(IEnumerable<EstateEntry> entries, OrganisationPolicy policy, string directory, string lifecycle, List<ExportProblem> problems)
        {
            var teams = new NameTable("team", merge: true, problems);
            var services = new List<Service>();
            var serviceNames = new NameTable("service", merge: false, problems);
            foreach (EstateEntry entry in entries)
            {
                ServiceManifest manifest = entry.Manifest;
                if (manifest.Service is not string id)
                {
                    problems.Add(new ExportProblem(entry.Source, "no Component: the manifest names no service", IsError: true));
                    continue;
                }

                if (manifest.Owner is not string owner)
                {
                    problems.Add(new ExportProblem(entry.Source, "no Component for '" + id + "': the manifest names no single owning team, and Backstage needs one", IsError: true));
                    continue;
                }

                string? name = serviceNames.Claim(id, entry.Source);
                string? team = teams.Claim(owner, entry.Source);
                if (name is not null && team is not null)
                {
                    services.Add(new Service(entry, name, team));
                }
            }

            foreach (PolicyTeam team in policy.Teams)
            {
                teams.Claim(team.Id, "the policy's team '" + team.Id + "'");
            }

            Dictionary<string, string> databaseNames = Databases(services, problems, out Dictionary<string, (string Team, List<Service> Claimants)> databases);
            var files = new List<ExportedFile>();
            foreach (Service service in services)
            {
                string path = Path.Combine(directory, service.Name, "catalog-info.yaml");
                CatalogYaml.Write(path, new[] { Component(service, policy, lifecycle, databaseNames) }, Header(service.Entry.Source));
                files.Add(new ExportedFile(path, new[] { "Component:" + service.Name }));
            }

            if (databases.Count > 0)
            {
                string path = Path.Combine(directory, "resources.yaml");
                var resources = databases.OrderBy(d => databaseNames[d.Key], StringComparer.Ordinal).Select(d => Resource(d.Key, databaseNames[d.Key], d.Value.Team, d.Value.Claimants)).ToList();
                CatalogYaml.Write(path, resources, Header("the databases the manifests declare"));
                files.Add(new ExportedFile(path, databases.Keys.Select(d => "Resource:" + databaseNames[d]).OrderBy(d => d, StringComparer.Ordinal).ToList()));
            }

            var organisation = new List<YamlNode>();
            var entities = new List<string>();
            foreach (var (name, id) in teams.Names)
            {
                PolicyTeam? known = policy.FindTeam(id);
                organisation.Add(Entity("Group", name, known?.Name ?? id, Annotations(("on-call-contact", known?.OnCallContact)), CatalogYaml.Mapping(
                    ("type", CatalogYaml.String("team")),
                    ("profile", CatalogYaml.Mapping(("displayName", CatalogYaml.String(known?.Name ?? id)))),
                    ("children", CatalogYaml.Sequence(Array.Empty<YamlNode>())))));
                entities.Add("Group:" + name);
            }

            foreach (var (domain, domainId, members) in Domains(services, policy, teams, problems))
            {
                // A Domain needs one owner; the product domain's teams own it together, so a Group gathers them.
                string group = "domain-" + domain;
                organisation.Add(Entity("Group", group, "Teams of the product domain " + domainId, null, CatalogYaml.Mapping(
                    ("type", CatalogYaml.String("product-domain")),
                    ("profile", CatalogYaml.Mapping(("displayName", CatalogYaml.String(domainId)))),
                    ("children", CatalogYaml.Strings(members.Select(m => "group:" + m))))));
                organisation.Add(Entity("Domain", domain, domainId, Annotations(("note", policy.FindProductDomain(domainId)?.Note)), CatalogYaml.Mapping(
                    ("owner", CatalogYaml.String("group:" + group)))));
                entities.Add("Group:" + group);
                entities.Add("Domain:" + domain);
            }

            if (organisation.Count > 0)
            {
                string path = Path.Combine(directory, "organisation.yaml");
                CatalogYaml.Write(path, organisation, Header("the teams and product domains of the manifests and the policy"));
                files.Add(new ExportedFile(path, entities));
            }

            return files;
        }

        private static string Header(string source) => "Written by dotnet operability estate export from " + source + ": edit the source, not this file.";

        private static YamlMappingNode Component(Service service, OrganisationPolicy policy, string lifecycle, Dictionary<string, string> databaseNames)
        {
            ServiceManifest manifest = service.Entry.Manifest;
            var annotations = new List<(string, string?)>();
            if (manifest.AvailabilityTarget is decimal target)
            {
                (OnCallLevel workingHours, OnCallLevel outOfHours) = policy.OnCallFor(target);
                annotations.Add(("availability-target", CommonOptions.Number(target)));
                annotations.Add(("tolerable-unavailability-per-week", Availability.FormatForDisplay(Availability.TolerableUnavailabilityPerWeek(target))));
                annotations.Add(("on-call-working-hours", Word(manifest.WorkingHoursOnCall ?? workingHours)));
                annotations.Add(("on-call-out-of-hours", Word(manifest.OutOfHoursOnCall ?? outOfHours)));
            }

            annotations.Add(("financial-exposure-per-hour", manifest.FinancialExposurePerHour is decimal exposure ? CommonOptions.Number(exposure) : null));
            annotations.Add(("product-domain", manifest.ProductDomain));
            annotations.Add(("chat", manifest.ChatChannel));
            annotations.Add(("on-call-contact", manifest.OnCallContact));
            annotations.Add(("runbook", manifest.Runbook));

            List<string> dependsOn = manifest.Databases
                .Where(d => databaseNames.ContainsKey(d.Name))
                .Select(d => "resource:" + databaseNames[d.Name])
                .Distinct(StringComparer.Ordinal)
                .ToList();
            YamlMappingNode component = Entity("Component", service.Name, manifest.Service!, Annotations(annotations.ToArray()), CatalogYaml.Mapping(
                ("type", CatalogYaml.String("service")),
                ("lifecycle", CatalogYaml.String(lifecycle)),
                ("owner", CatalogYaml.String("group:" + service.Team)),
                ("dependsOn", dependsOn.Count == 0 ? null : CatalogYaml.Strings(dependsOn))));
            if (manifest.OnCallContact is string contact && Uri.TryCreate(contact, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                var metadata = (YamlMappingNode)component.Children[CatalogYaml.String("metadata")];
                metadata.Add(CatalogYaml.String("links"), CatalogYaml.Sequence(new YamlNode[] { CatalogYaml.Mapping(("url", CatalogYaml.String(contact)), ("title", CatalogYaml.String("On call"))) }));
            }

            return component;
        }

        private static YamlMappingNode Resource(string id, string name, string team, List<Service> claimants) =>
            Entity("Resource", name, id, Annotations(("claimed-by", string.Join(", ", claimants.Select(c => c.Entry.Manifest.Service)))), CatalogYaml.Mapping(
                ("type", CatalogYaml.String("database")),
                ("owner", CatalogYaml.String("group:" + team))));

        private static YamlMappingNode Entity(string kind, string name, string title, YamlMappingNode? annotations, YamlMappingNode spec) => CatalogYaml.Mapping(
            ("apiVersion", CatalogYaml.String(ApiVersion)),
            ("kind", CatalogYaml.String(kind)),
            ("metadata", CatalogYaml.Mapping(
                ("name", CatalogYaml.String(name)),
                ("title", title == name ? null : CatalogYaml.String(title)),
                ("annotations", annotations))),
            ("spec", spec));

        private static YamlMappingNode? Annotations(params (string Key, string? Value)[] values)
        {
            var present = values.Where(v => v.Value is not null).Select(v => (AnnotationPrefix + v.Key, (YamlNode?)CatalogYaml.String(v.Value!))).ToArray();
            return present.Length == 0 ? null : CatalogYaml.Mapping(present);
        }

        private static string Word(OnCallLevel level) => level.ToString().ToLowerInvariant();

        /// <summary>
        /// The databases with one owning team (by declaration id → entity name); a database declared by services of
        /// several teams has no single owner, so it is reported and left out (and out of its claimants' dependsOn).
        /// </summary>
        private static Dictionary<string, string> Databases(List<Service> services, List<ExportProblem> problems, out Dictionary<string, (string Team, List<Service> Claimants)> owned)
        {
            var claims = new Dictionary<string, List<Service>>(Ids);
            var order = new List<string>();
            foreach (Service service in services)
            {
                foreach (OwnedDatabase database in service.Entry.Manifest.Databases)
                {
                    if (!claims.TryGetValue(database.Name, out List<Service>? claimants))
                    {
                        claims.Add(database.Name, claimants = new List<Service>());
                        order.Add(database.Name);
                    }

                    if (!claimants.Contains(service))
                    {
                        claimants.Add(service);
                    }
                }
            }

            owned = new Dictionary<string, (string, List<Service>)>(Ids);
            var names = new Dictionary<string, string>(Ids);
            var table = new NameTable("database", merge: false, problems);
            foreach (string database in order)
            {
                List<Service> claimants = claims[database];
                var owners = claimants.Select(c => c.Team).Distinct(StringComparer.Ordinal).ToList();
                if (owners.Count > 1)
                {
                    problems.Add(new ExportProblem(
                        string.Join(", ", claimants.Select(c => c.Entry.Source)),
                        "no Resource for database '" + database + "': services of " + owners.Count + " teams declare it (" + string.Join(", ", claimants.Select(c => c.Entry.Manifest.Service + " of " + c.Team))
                        + "), so it has no single owner; the estate check reports it as claimed twice",
                        IsError: true));
                    continue;
                }

                if (table.Claim(database, claimants[0].Entry.Source) is string name)
                {
                    names.Add(database, name);
                    owned.Add(database, (owners[0], claimants));
                }
            }

            return names;
        }

        /// <summary>Each product domain (named by a manifest or the policy) with its teams, as entity names.</summary>
        private static IEnumerable<(string Name, string Id, IReadOnlyList<string> Teams)> Domains(List<Service> services, OrganisationPolicy policy, NameTable teams, List<ExportProblem> problems)
        {
            var members = new Dictionary<string, SortedSet<string>>(Ids);
            var order = new List<string>();
            void Add(string domain, string? team)
            {
                if (!members.TryGetValue(domain, out SortedSet<string>? set))
                {
                    members.Add(domain, set = new SortedSet<string>(StringComparer.Ordinal));
                    order.Add(domain);
                }

                if (team is not null)
                {
                    set.Add(team);
                }
            }

            foreach (ProductDomain domain in policy.ProductDomains)
            {
                Add(domain.Id, null);
            }

            foreach (PolicyTeam team in policy.Teams)
            {
                foreach (string domain in team.ProductDomains)
                {
                    Add(domain, teams.NameOf(team.Id));
                }
            }

            foreach (Service service in services)
            {
                if (service.Entry.Manifest.ProductDomain is string domain)
                {
                    Add(domain, service.Team);
                }
            }

            var table = new NameTable("product domain", merge: false, problems);
            foreach (string domain in order)
            {
                if (table.Claim(domain, "product domain '" + domain + "'") is string name)
                {
                    if (teams.Names.Any(t => t.Name == "domain-" + name))
                    {
                        problems.Add(new ExportProblem(domain, "no Domain for product domain '" + domain + "': its owning Group would be named domain-" + name + ", which a team already is", IsError: true));
                        continue;
                    }

                    yield return (name, domain, members[domain].ToList());
                }
            }
        }

        /// <summary>
        /// Ids of one kind and the entity names they become. Two ids that become one name are reported: for teams
        /// (<paramref name="merge"/>) they share the Group, for anything else the later one is left out.
        /// </summary>
        private sealed class NameTable(string what, bool merge, List<ExportProblem> problems)
        {
            private readonly Dictionary<string, string> _idByName = new(StringComparer.Ordinal);
            private readonly Dictionary<string, string> _nameById = new(Ids);
            private readonly List<(string Name, string Id)> _names = new();

            public IReadOnlyList<(string Name, string Id)> Names => _names;

            public string? NameOf(string id) => _nameById.TryGetValue(id, out string? name) ? name : Claim(id, what + " '" + id + "'");

            public string? Claim(string id, string source)
            {
                if (_nameById.TryGetValue(id, out string? known))
                {
                    if (merge)
                    {
                        return known;
                    }

                    // The same id twice (compared as the manifests compare them, ignoring case) is a duplicate, not a second entity.
                    problems.Add(new ExportProblem(source, "the " + what + " '" + id + "' is declared more than once; only the first is exported", IsError: true));
                    return null;
                }

                string? name = EntityName.Normalise(id);
                if (name is null)
                {
                    problems.Add(new ExportProblem(source, "the " + what + " '" + id + "' has no letter or digit a Backstage name can keep (a-z, 0-9 after dropping accents); left out", IsError: true));
                    return null;
                }

                if (_idByName.TryGetValue(name, out string? first))
                {
                    problems.Add(new ExportProblem(source, merge
                        ? "the " + what + "s '" + first + "' and '" + id + "' both become the name '" + name + "'; they are exported as one"
                        : "the " + what + " '" + id + "' becomes the name '" + name + "', which '" + first + "' already has; left out", IsError: !merge));
                    if (!merge)
                    {
                        return null;
                    }

                    _nameById.Add(id, name);
                    return name;
                }

                _idByName.Add(name, id);
                _nameById.Add(id, name);
                _names.Add((name, id));
                return name;
            }
        }
    }
}
