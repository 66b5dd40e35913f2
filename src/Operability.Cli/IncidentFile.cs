using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Operability.Manifest;
using Parsed = Operability.Manifest.Json;
using Output = System.Text.Json.Nodes;

namespace Operability.Cli
{
    /// <summary>One incident of a file, classified.</summary>
    internal sealed record FileIncident(int Index, string? Id, string Service, string? Team, TimeSpan? Duration, IncidentLoss Loss);

    /// <summary>Incidents summed: how many, their loss, and how many of each severity.</summary>
    internal sealed record IncidentTotals(string? Key, int Count, decimal Loss, int High, int Medium, int Low, IReadOnlyList<string> Services);

    /// <summary>
    /// <c>incident --file</c>: a JSON array of incidents, each classified as the one-incident form is, with totals per
    /// service, per team and for the estate. An entry with a problem is reported at its line and column (and index)
    /// and left out; the rest are still classified.
    /// </summary>
    internal static class IncidentFile
    {
        private static readonly string[] Properties = { "id", "service", "team", "manifest", "financialExposurePerHour", "availabilityTarget", "duration", "loss" };

        private static readonly StringComparer Ids = StringComparer.OrdinalIgnoreCase;

        public static int Run(string path, OrganisationPolicy policy, OutputFormat format, TextWriter output, TextWriter error)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine(path + ": error: the incidents file cannot be read: " + e.Message);
                return ExitCodes.InputUnreadable;
            }

            Parsed.JsonReadResult read = Parsed.JsonReader.Read(text);
            if (read.Root is null)
            {
                error.WriteLine(path + ":" + read.Error!.Position + ": error: " + read.Error.Message);
                return ExitCodes.InputUnreadable;
            }

            if (read.Root is not Parsed.JsonArray array)
            {
                error.WriteLine(path + ":" + read.Root.Position + ": error: an incidents file is a JSON array of incidents but this is " + read.Root.KindDescription);
                return ExitCodes.InputUnreadable;
            }

            var incidents = new List<FileIncident>();
            var problems = new List<string>();
            var manifests = new Dictionary<string, ServiceManifest?>(StringComparer.Ordinal);
            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            for (int i = 0; i < array.Items.Count; i++)
            {
                Parsed.JsonNode item = array.Items[i];
                FileIncident? incident = Read(i, item, policy, folder, manifests, out string? problem, out SourcePosition problemAt);
                if (incident is null)
                {
                    problems.Add(path + ":" + (problemAt.IsKnown ? problemAt : item.Position) + ": error: [" + i.ToString(CultureInfo.InvariantCulture) + "] " + problem);
                }
                else
                {
                    incidents.Add(incident);
                }
            }

            foreach (string problem in problems)
            {
                error.WriteLine(problem);
            }

            Write(incidents, problems, policy.Currency, format, output);
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.InputUnreadable;
        }

        private static FileIncident? Read(
            int index,
            Parsed.JsonNode item,
            OrganisationPolicy policy,
            string folder,
            Dictionary<string, ServiceManifest?> manifests,
            out string? problem,
            out SourcePosition at)
        {
            problem = null;
            at = item.Position;
            if (item is not Parsed.JsonObject entry)
            {
                problem = "an incident is an object but this is " + item.KindDescription;
                return null;
            }

            foreach (Parsed.JsonProperty property in entry.Properties)
            {
                if (Array.IndexOf(Properties, property.Name) < 0)
                {
                    at = property.NamePosition;
                    problem = "'" + property.Name + "' is not a property of an incident; accepted: " + string.Join(", ", Properties);
                    return null;
                }

                // A property given twice is ambiguous: which duration or loss was meant?
                if (entry.Properties.Count(p => p.Name == property.Name) > 1)
                {
                    at = entry.Properties.Last(p => p.Name == property.Name).NamePosition;
                    problem = "'" + property.Name + "' is given twice";
                    return null;
                }
            }

            string? Text(string name, out bool bad)
            {
                bad = false;
                Parsed.JsonProperty? property = entry.Find(name);
                if (property is null)
                {
                    return null;
                }

                if (property.Value is Parsed.JsonString s && s.Value.Trim().Length > 0)
                {
                    return s.Value;
                }

                bad = true;
                return null;
            }

            decimal? Number(string name, decimal min, decimal max, out bool bad)
            {
                bad = false;
                Parsed.JsonProperty? property = entry.Find(name);
                if (property is null)
                {
                    return null;
                }

                if (property.Value is Parsed.JsonNumber n && n.DecimalValue is decimal value && value >= min && value <= max)
                {
                    return value;
                }

                bad = true;
                return null;
            }

            SourcePosition ValueAt(string name) => entry.Find(name)!.Value.Position;

            string? id = Text("id", out bool badId);
            string? service = Text("service", out bool badService);
            string? team = Text("team", out bool badTeam);
            string? manifestPath = Text("manifest", out bool badManifest);
            string? durationText = Text("duration", out bool badDuration);
            decimal? exposure = Number("financialExposurePerHour", 0m, ServiceManifest.MaxFinancialExposurePerHour, out bool badExposure);
            decimal? target = Number("availabilityTarget", decimal.MinValue, decimal.MaxValue, out bool badTarget);
            decimal? loss = Number("loss", 0m, decimal.MaxValue, out bool badLoss);
            foreach (var (bad, name, what) in new[]
            {
                (badId, "id", "a non-blank string"), (badService, "service", "a non-blank string"), (badTeam, "team", "a non-blank string"),
                (badManifest, "manifest", "the path of an operability.json"), (badDuration, "duration", "\"hh:mm:ss\" or \"d.hh:mm:ss\""),
                (badExposure, "financialExposurePerHour", "a number from 0 to 10^15"), (badTarget, "availabilityTarget", "a percentage strictly between 0 and 100"),
                (badLoss, "loss", "a number, 0 or more"),
            })
            {
                if (bad)
                {
                    at = ValueAt(name);
                    problem = "'" + name + "' must be " + what;
                    return null;
                }
            }

            if (target is decimal t && (t <= 0m || t >= 100m))
            {
                at = ValueAt("availabilityTarget");
                problem = "'availabilityTarget' must be a percentage strictly between 0 and 100";
                return null;
            }

            TimeSpan? duration = null;
            if (durationText is not null)
            {
                if (!IncidentCommand.TryParseDuration(durationText, out TimeSpan parsed))
                {
                    at = ValueAt("duration");
                    problem = "'duration' must be \"hh:mm:ss\" or \"d.hh:mm:ss\", zero or more, but was \"" + durationText + "\"";
                    return null;
                }

                duration = parsed;
            }

            if ((duration is null) == (loss is null))
            {
                problem = "give exactly one of 'duration' (the loss is exposure an hour × duration) and 'loss' (the actual loss)";
                return null;
            }

            if (manifestPath is not null)
            {
                if (exposure is not null || target is not null)
                {
                    problem = "'manifest' gives the financial exposure and availability target; leave out 'financialExposurePerHour' and 'availabilityTarget'";
                    return null;
                }

                ServiceManifest? manifest = LoadManifest(Path.Combine(folder, manifestPath), policy, manifests, out string? why);
                if (manifest is null)
                {
                    at = ValueAt("manifest");
                    problem = why;
                    return null;
                }

                if (manifest.FinancialExposurePerHour is not decimal perHour || manifest.AvailabilityTarget is not decimal availability)
                {
                    at = ValueAt("manifest");
                    problem = manifestPath + " gives no usable availability.financialExposurePerHour and availability target";
                    return null;
                }

                if (service is not null && manifest.Service is string named && !Ids.Equals(service, named))
                {
                    at = ValueAt("service");
                    problem = "'service' is \"" + service + "\" but " + manifestPath + " is the manifest of \"" + named + "\"";
                    return null;
                }

                exposure = perHour;
                target = availability;
                service ??= manifest.Service;
                team ??= manifest.Owner;
            }

            if (service is null)
            {
                problem = "give 'service' (or a 'manifest' that names it)";
                return null;
            }

            if (exposure is not decimal exposurePerHour)
            {
                problem = "give 'financialExposurePerHour' (or 'manifest')";
                return null;
            }

            decimal chosen = target ?? policy.SelectTarget(exposurePerHour);
            IncidentThresholds thresholds = policy.IncidentThresholds;
            IncidentLoss classified = duration is TimeSpan d ? IncidentLoss.For(exposurePerHour, chosen, d, thresholds) : IncidentLoss.For(exposurePerHour, chosen, loss!.Value, thresholds);
            return new FileIncident(index, id, service, team, duration, classified);
        }

        private static ServiceManifest? LoadManifest(string path, OrganisationPolicy policy, Dictionary<string, ServiceManifest?> cache, out string? problem)
        {
            problem = null;
            string full = Path.GetFullPath(path);
            if (cache.TryGetValue(full, out ServiceManifest? known))
            {
                problem = known is null ? path + " cannot be used (reported at its first use)" : null;
                return known;
            }

            ServiceManifest? manifest = null;
            try
            {
                ManifestParseResult parsed = ManifestParser.Parse(File.ReadAllText(full), policy);
                ManifestDiagnostic? syntax = parsed.Diagnostics.FirstOrDefault(d => d.Kind == ManifestDiagnosticKind.Syntax);
                manifest = parsed.Manifest;
                if (syntax is not null || manifest is null)
                {
                    problem = path + ":" + (syntax?.Position.ToString() ?? "1:1") + ": " + (syntax?.Message ?? "not a manifest");
                    manifest = null;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problem = path + " cannot be read: " + e.Message;
            }

            cache[full] = manifest;
            return manifest;
        }

        /// <summary>Totals over the incidents, grouped by <paramref name="key"/> (null keys form their own group), in key order.</summary>
        public static IReadOnlyList<IncidentTotals> Totals(IEnumerable<FileIncident> incidents, Func<FileIncident, string?> key) =>
            incidents.GroupBy(i => key(i) ?? string.Empty, Ids)
                .OrderBy(g => g.Key.Length == 0 ? 1 : 0).ThenBy(g => g.Key, Ids)
                .Select(g => Sum(g.Key.Length == 0 ? null : key(g.First()), g))
                .ToList();

        public static IncidentTotals Sum(string? name, IEnumerable<FileIncident> incidents)
        {
            var list = incidents.ToList();
            return new IncidentTotals(
                name,
                list.Count,
                list.Sum(i => i.Loss.ActualLoss),
                list.Count(i => i.Loss.Severity == IncidentSeverity.High),
                list.Count(i => i.Loss.Severity == IncidentSeverity.Medium),
                list.Count(i => i.Loss.Severity == IncidentSeverity.Low),
                list.Select(i => i.Service).Distinct(Ids).OrderBy(s => s, Ids).ToList());
        }

        private static void Write(List<FileIncident> incidents, List<string> problems, string currency, OutputFormat format, TextWriter output)
        {
            IReadOnlyList<IncidentTotals> services = Totals(incidents, i => i.Service);
            IReadOnlyList<IncidentTotals> teams = Totals(incidents, i => i.Team);
            IncidentTotals estate = Sum(null, incidents);
            if (format == OutputFormat.Json)
            {
                var json = new Output.JsonObject
                {
                    ["currency"] = currency,
                    ["incidents"] = new Output.JsonArray(incidents.Select(i => (Output.JsonNode?)new Output.JsonObject
                    {
                        ["index"] = i.Index,
                        ["id"] = i.Id,
                        ["service"] = i.Service,
                        ["team"] = i.Team,
                        ["financialExposurePerHour"] = i.Loss.ExposurePerHour,
                        ["availabilityTarget"] = i.Loss.AvailabilityTarget,
                        ["duration"] = i.Duration is TimeSpan d ? Availability.FormatForDisplay(d) : null,
                        ["loss"] = decimal.Round(i.Loss.ActualLoss, 2),
                        ["severity"] = i.Loss.Severity.ToString().ToLowerInvariant(),
                        ["type"] = i.Loss.Type.ToString().ToLowerInvariant(),
                        ["response"] = IncidentCommand.Response(i.Loss.Response),
                        ["projectedLoss"] = decimal.Round(i.Loss.ProjectedLoss, 2),
                        ["protectedAmount"] = decimal.Round(i.Loss.ProtectedAmount, 2),
                        ["effectiveness"] = i.Loss.Effectiveness is decimal e ? decimal.Round(e, 4) : null,
                    }).ToArray()),
                    ["services"] = Json(services, "service"),
                    ["teams"] = Json(teams, "team"),
                    ["estate"] = Json(estate, null),
                    ["problems"] = problems.Count,
                };
                output.WriteLine(json.ToJsonString(JsonOutput.Options));
                return;
            }

            bool markdown = format == OutputFormat.Markdown;
            string Money(decimal amount) => CommonOptions.Money(amount) + " " + currency;
            var text = new StringBuilder();
            text.AppendLine(markdown ? "| # | id | service | team | loss | classification | response |\n|---|---|---|---|---|---|---|" : "incidents");
            foreach (FileIncident i in incidents)
            {
                string classification = i.Loss.Severity.ToString().ToLowerInvariant() + " loss: " + i.Loss.Type.ToString().ToLowerInvariant();
                text.AppendLine(markdown
                    ? "| " + i.Index + " | " + (i.Id ?? string.Empty) + " | " + i.Service + " | " + (i.Team ?? string.Empty) + " | " + Money(i.Loss.ActualLoss) + " | " + classification + " | " + IncidentCommand.Response(i.Loss.Response) + " |"
                    : "  [" + i.Index + "] " + (i.Id is null ? string.Empty : i.Id + " ") + i.Service + ": " + Money(i.Loss.ActualLoss) + ", " + classification + ", " + IncidentCommand.Response(i.Loss.Response));
            }

            void Section(string title, IEnumerable<IncidentTotals> rows, string none)
            {
                text.AppendLine();
                text.AppendLine(markdown ? "| " + title + " | incidents | loss | high | medium | low |\n|---|---|---|---|---|---|" : title);
                foreach (IncidentTotals row in rows)
                {
                    string name = row.Key ?? none;
                    text.AppendLine(markdown
                        ? "| " + name + " | " + row.Count + " | " + Money(row.Loss) + " | " + row.High + " | " + row.Medium + " | " + row.Low + " |"
                        : "  " + name.PadRight(24) + row.Count + " incident(s), " + Money(row.Loss) + " (high " + row.High + ", medium " + row.Medium + ", low " + row.Low + ")");
                }
            }

            Section("service", services, "(none)");
            Section("team", teams, "(no team)");
            Section("estate", new[] { estate }, "all services");
            output.Write(text.ToString());
        }

        private static Output.JsonNode Json(IReadOnlyList<IncidentTotals> rows, string key) =>
            new Output.JsonArray(rows.Select(r => (Output.JsonNode?)Json(r, key)).ToArray());

        private static Output.JsonObject Json(IncidentTotals row, string? key)
        {
            var json = new Output.JsonObject();
            if (key is not null)
            {
                json[key] = row.Key;
            }

            json["incidents"] = row.Count;
            json["loss"] = decimal.Round(row.Loss, 2);
            json["high"] = row.High;
            json["medium"] = row.Medium;
            json["low"] = row.Low;
            if (key != "service")
            {
                json["services"] = new Output.JsonArray(row.Services.Select(s => (Output.JsonNode?)s).ToArray());
            }

            return json;
        }
    }
}
