using System.Collections.Generic;
using System.IO;
using Operability.Manifest;
using YamlDotNet.RepresentationModel;

namespace Operability.Cli
{
    /// <summary>
    /// The estate as OpenSLO v1 documents: per service with an availability target, <c>&lt;dir&gt;/&lt;name&gt;.yaml</c> holding
    /// a <c>Service</c>, an <c>SLI</c> (the ratio of <c>operability_requests_total</c> with <c>outcome="success"</c> to all of
    /// it, for the scrape job named after the service, as the template's alert rules read it) and an <c>SLO</c> on that
    /// SLI with a one-week rolling window and the target as its objective.
    /// </summary>
    internal static class OpenSloExport
    {
        /// <summary>The counter the runtime library exports (Prometheus name) and the rules read.</summary>
        public const string RequestsMetric = "operability_requests_total";

        private const string ApiVersion = "openslo/v1";

        public static IReadOnlyList<ExportedFile> Write(IEnumerable<EstateEntry> entries, string directory, List<ExportProblem> problems)
        {
            var files = new List<ExportedFile>();
            var taken = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (EstateEntry entry in entries)
            {
                ServiceManifest manifest = entry.Manifest;
                if (manifest.Service is not string service)
                {
                    problems.Add(new ExportProblem(entry.Source, "no SLO: the manifest names no service", IsError: true));
                    continue;
                }

                if (manifest.AvailabilityTarget is not decimal target)
                {
                    problems.Add(new ExportProblem(entry.Source, "no SLO for '" + service + "': the manifest gives no availability target (nor a financial exposure to select one)", IsError: true));
                    continue;
                }

                string? name = EntityName.Normalise(service);
                if (name is null)
                {
                    problems.Add(new ExportProblem(entry.Source, "no SLO for '" + service + "': the name has no letter or digit an OpenSLO name can keep", IsError: true));
                    continue;
                }

                if (taken.TryGetValue(name, out string? first))
                {
                    problems.Add(new ExportProblem(entry.Source, "no SLO for '" + service + "': it becomes the name '" + name + "', which '" + first + "' already has", IsError: true));
                    continue;
                }

                taken.Add(name, service);
                string indicator = name + "-availability";
                string path = Path.Combine(directory, name + ".yaml");
                CatalogYaml.Write(path, new YamlNode[] { ServiceDocument(name, service, manifest), Sli(indicator, service), Slo(indicator, name, service, target) },
                    "Written by dotnet operability estate export from " + entry.Source + ": edit the source, not this file.");
                files.Add(new ExportedFile(path, new[] { "Service:" + name, "SLI:" + indicator, "SLO:" + indicator }));
            }

            return files;
        }

        /// <summary>The PromQL selector value: backslashes and double quotes escaped.</summary>
        public static string LabelValue(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

        private static YamlMappingNode Header(string kind, string name, string displayName) => CatalogYaml.Mapping(
            ("apiVersion", CatalogYaml.String(ApiVersion)),
            ("kind", CatalogYaml.String(kind)),
            ("metadata", CatalogYaml.Mapping(("name", CatalogYaml.String(name)), ("displayName", CatalogYaml.String(displayName)))));

        private static YamlMappingNode ServiceDocument(string name, string service, ServiceManifest manifest)
        {
            YamlMappingNode document = Header("Service", name, service);
            document.Add(CatalogYaml.String("spec"), CatalogYaml.Mapping(("description", CatalogYaml.String(
                manifest.Owner is string owner ? "Owned by " + owner + (manifest.ProductDomain is string domain ? ", product domain " + domain : string.Empty) : service))));
            return document;
        }

        private static YamlMappingNode Sli(string indicator, string service)
        {
            string job = "job=\"" + LabelValue(service) + "\"";
            YamlMappingNode Source(string query) => CatalogYaml.Mapping(("metricSource", CatalogYaml.Mapping(
                ("type", CatalogYaml.String("Prometheus")),
                ("spec", CatalogYaml.Mapping(("query", CatalogYaml.String(query)))))));
            YamlMappingNode document = Header("SLI", indicator, service + " availability");
            document.Add(CatalogYaml.String("spec"), CatalogYaml.Mapping(
                ("description", CatalogYaml.String("Requests that did not fail (not 5xx, not an exception, not shuttered, not abandoned) among all requests to non-operational routes")),
                ("ratioMetric", CatalogYaml.Mapping(
                    ("counter", CatalogYaml.Boolean(true)),
                    ("good", Source("sum(" + RequestsMetric + "{" + job + ",outcome=\"success\"})")),
                    ("total", Source("sum(" + RequestsMetric + "{" + job + "})"))))));
            return document;
        }

        private static YamlMappingNode Slo(string indicator, string name, string service, decimal target)
        {
            YamlMappingNode document = Header("SLO", indicator, service + " availability " + CommonOptions.Number(target) + "%");
            document.Add(CatalogYaml.String("spec"), CatalogYaml.Mapping(
                ("description", CatalogYaml.String("The availability target in the operability.json of " + service + ", over the playbook's one-week window; it tolerates "
                    + Availability.FormatForDisplay(Availability.TolerableUnavailabilityPerWeek(target)) + " a week")),
                ("service", CatalogYaml.String(name)),
                ("indicatorRef", CatalogYaml.String(indicator)),
                ("timeWindow", CatalogYaml.Sequence(new YamlNode[] { CatalogYaml.Mapping(("duration", CatalogYaml.String("1w")), ("isRolling", CatalogYaml.Boolean(true))) })),
                ("budgetingMethod", CatalogYaml.String("Occurrences")),
                ("objectives", CatalogYaml.Sequence(new YamlNode[]
                {
                    CatalogYaml.Mapping(("displayName", CatalogYaml.String("Availability " + CommonOptions.Number(target) + "%")), ("target", CatalogYaml.Number(target / 100m))),
                }))));
            return document;
        }
    }
}
