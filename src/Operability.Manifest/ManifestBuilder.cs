using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using Operability.Manifest.Json;

namespace Operability.Manifest
{
    /// <summary>Turns the JSON tree of a manifest into a <see cref="ServiceManifest"/>, collecting diagnostics.</summary>
    internal sealed class ManifestBuilder
    {
        private const string AcceptedTargetForms = "accepted: a number such as 99.9, or a string such as \"99.9\" or \"99.9%\"";

        /// <summary><see cref="ServiceDependency.MaxTimeout"/> in seconds, exactly.</summary>
        private static readonly decimal MaxTimeoutSeconds = (decimal)ServiceDependency.MaxTimeout.Ticks / TimeSpan.TicksPerSecond;

        internal static readonly string[] FeatureDemandWords = { "low", "medium", "high", "very-high" };
        private static readonly string[] DeploymentTargetWords = DeploymentFrequency.Words;
        internal static readonly string[] OnCallWords = { "none", "domain", "team" };

        private readonly List<ManifestDiagnostic> _diagnostics;
        private readonly ServiceManifest _manifest = new ServiceManifest();

        /// <summary>Who claimed each connection-string name first: "database 'x'" or "read dataset 'y'", and its path.</summary>
        private readonly Dictionary<string, string> _connectionStringClaims = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        private readonly OrganisationPolicy _policy;

        private ManifestBuilder(List<ManifestDiagnostic> diagnostics, OrganisationPolicy? policy)
        {
            _diagnostics = diagnostics;
            _policy = policy ?? OrganisationPolicy.Playbook;
        }

        /// <summary>
        /// Builds a manifest; a bug in the builder becomes a diagnostic at the manifest's start instead of an exception,
        /// because the analyzers run this in the compiler host, where an exception is an AD0001 on every build.
        /// </summary>
        public static ServiceManifest BuildOrReport(JsonNode root, List<ManifestDiagnostic> diagnostics, OrganisationPolicy? policy = null)
        {
            var builder = new ManifestBuilder(diagnostics, policy);
            try
            {
                return builder.Build(root);
            }
#pragma warning disable CA1031 // Last line of defence, as in JsonReader.Read.
            catch (Exception e)
#pragma warning restore CA1031
            {
                diagnostics.Add(new ManifestDiagnostic(
                    ManifestDiagnosticKind.Structure,
                    "The manifest reader failed unexpectedly (" + e.GetType().Name + "); please report this manifest",
                    string.Empty,
                    root.Position));
                return builder._manifest;
            }
        }

        private ServiceManifest Build(JsonNode root)
        {
            if (!(root is JsonObject rootObject))
            {
                Report(ManifestDiagnosticKind.Structure, string.Empty, root, "The manifest must be a JSON object but found " + root.KindDescription);
                return _manifest;
            }

            ReadIdentity(rootObject);
            ReadAvailability(rootObject);
            ReadDeployment(rootObject);
            ReadOnCall(rootObject);
            _manifest.Foundational = OptionalBoolean(rootObject, "foundational", "foundational");
            _manifest.Databases = ReadDatabases(rootObject);
            _manifest.Reads = ReadDatasets(rootObject);
            _manifest.Dependencies = ReadDependencies(rootObject);
            ReadRunbook(rootObject);
            return _manifest;
        }

        private void ReadIdentity(JsonObject root)
        {
            JsonProperty? service = root.Find("service");
            if (service == null)
            {
                Report(ManifestDiagnosticKind.Structure, "service", root, "Property 'service' is missing: name the service, e.g. \"service\": \"orders\"");
            }
            else
            {
                _manifest.Service = NonEmptyString(service.Value, "service", ManifestDiagnosticKind.Structure);
                _manifest.ServicePosition = service.Value.Position;
            }

            ReadOwner(root);

            JsonObject? contacts = OptionalObject(root, "contacts", "contacts");
            if (contacts != null)
            {
                _manifest.OnCallContact = OptionalString(contacts, "onCall", "contacts.onCall");
                _manifest.ChatChannel = OptionalString(contacts, "chat", "contacts.chat");
            }

            _manifest.ProductDomain = OptionalString(root, "productDomain", "productDomain");
        }

        private void ReadOwner(JsonObject root)
        {
            JsonProperty? owner = root.Find("owner");
            if (owner == null)
            {
                Report(ManifestDiagnosticKind.Owner, "owner", root, "Property 'owner' is missing: a service has exactly one owning team, e.g. \"owner\": \"team-orders\"");
                return;
            }

            JsonNode value = owner.Value;
            if (value is JsonArray teams)
            {
                var names = new List<string>();
                foreach (JsonNode team in teams.Items)
                {
                    names.Add(Display(team));
                }

                string found = names.Count == 0 ? "an empty array" : "an array of " + Count(names.Count, "team") + ": " + string.Join(", ", names);
                Report(ManifestDiagnosticKind.Owner, "owner", value, "Property 'owner' must name exactly one owning team (single team ownership) but found " + found + "; give one team as a string");
                return;
            }

            _manifest.Owner = NonEmptyString(value, "owner", ManifestDiagnosticKind.Owner);
            _manifest.OwnerPosition = value.Position;
        }

        private void ReadAvailability(JsonObject root)
        {
            JsonObject? availability = OptionalObject(root, "availability", "availability");
            JsonProperty? target = availability?.Find("target");
            JsonProperty? exposure = availability?.Find("financialExposurePerHour");

            if (target == null && exposure == null)
            {
                JsonNode where = (JsonNode?)availability ?? root;
                Report(ManifestDiagnosticKind.AvailabilityTarget, "availability.target", where, "Property 'availability.target' is missing: declare an availability target (" + AcceptedTargetForms + ") or 'availability.financialExposurePerHour' to select one");
                _manifest.FinancialExposurePerHour = exposure == null ? null : ReadExposure(exposure.Value, "availability.financialExposurePerHour");
            }
            else
            {
                (decimal? selected, SourcePosition position, decimal? exposureValue) = ReadTargetOrExposure(availability!, "availability");
                _manifest.FinancialExposurePerHour = exposureValue;
                _manifest.AvailabilityTarget = selected;
                _manifest.AvailabilityTargetPosition = position;
            }

            if (availability != null)
            {
                _manifest.Peaks = ReadPeaks(availability);
            }
        }

        /// <summary>
        /// Reads <c>target</c> and <c>financialExposurePerHour</c> of <paramref name="parent"/> (at least one is present):
        /// the declared target, else the one the exposure selects; a declared target the exposure disagrees with is reported.
        /// </summary>
        private (decimal? Target, SourcePosition Position, decimal? Exposure) ReadTargetOrExposure(JsonObject parent, string path)
        {
            JsonProperty? target = parent.Find("target");
            JsonProperty? exposure = parent.Find("financialExposurePerHour");
            string targetPath = path + ".target";
            string exposurePath = path + ".financialExposurePerHour";
            decimal? declaredTarget = target == null ? null : ReadTarget(target.Value, targetPath);
            decimal? exposureValue = exposure == null ? null : ReadExposure(exposure.Value, exposurePath);
            decimal? selected = exposureValue.HasValue ? _policy.SelectTarget(exposureValue.Value) : (decimal?)null;
            if (target == null)
            {
                return (selected, exposure!.Value.Position, exposureValue);
            }

            if (declaredTarget.HasValue && selected.HasValue && declaredTarget.Value != selected.Value)
            {
                Report(
                    ManifestDiagnosticKind.AvailabilityMismatch,
                    targetPath,
                    target.Value,
                    "Property '" + targetPath + "' is " + Number(declaredTarget.Value) + " but '" + exposurePath + "' " + Number(exposureValue!.Value)
                    + " selects " + Number(selected.Value) + " with the " + (ReferenceEquals(_policy, OrganisationPolicy.Playbook) ? "default" : "organisation's") + " exposure bands; declare " + Number(selected.Value) + " or explain the difference");
            }

            return (declaredTarget, target.Value.Position, exposureValue);
        }

        private decimal? ReadTarget(JsonNode value, string path)
        {
            decimal? parsed = null;
            string shown = string.Empty;
            if (value is JsonNumber number)
            {
                // As written: decimal rounds beyond 28 digits (99.99999999999999999999999999999 becomes 100).
                shown = number.RawText;
                parsed = number.DecimalValue;
                if (parsed == null)
                {
                    Report(ManifestDiagnosticKind.AvailabilityTarget, path, value, "Property '" + path + "' is " + number.RawText + ", out of range: it must be greater than 0 and less than 100");
                    return null;
                }
            }
            else if (value is JsonString text)
            {
                string trimmed = text.Value.Trim();
                if (trimmed.EndsWith("%", StringComparison.Ordinal))
                {
                    trimmed = trimmed.Substring(0, trimmed.Length - 1).TrimEnd();
                }

                if (decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal fromText))
                {
                    shown = trimmed;
                    parsed = fromText;
                }
            }

            if (parsed == null)
            {
                Report(ManifestDiagnosticKind.AvailabilityTarget, path, value, "Property '" + path + "' has an unknown format: " + Display(value) + "; " + AcceptedTargetForms);
                return null;
            }

            if (!Availability.IsValidTarget(parsed.Value))
            {
                Report(ManifestDiagnosticKind.AvailabilityTarget, path, value, "Property '" + path + "' is " + shown + ", out of range: it must be greater than 0 and less than 100");
                return null;
            }

            return parsed;
        }

        private decimal? ReadExposure(JsonNode value, string path)
        {
            if (!(value is JsonNumber number))
            {
                WrongType(path, value, "a number");
                return null;
            }

            bool negative = number.DecimalValue.HasValue ? number.DecimalValue.Value < 0 : number.RawText[0] == '-';
            if (negative)
            {
                Report(ManifestDiagnosticKind.Structure, path, value, "Property '" + path + "' is " + number.RawText + " but a financial exposure cannot be negative");
                return null;
            }

            if (number.DecimalValue == null || number.DecimalValue.Value > ServiceManifest.MaxFinancialExposurePerHour)
            {
                Report(
                    ManifestDiagnosticKind.Structure,
                    path,
                    value,
                    "Property '" + path + "' is " + number.RawText + ", out of range: a financial exposure per hour is at most " + Number(ServiceManifest.MaxFinancialExposurePerHour) + " (10^15)");
                return null;
            }

            // -0 and 0.000 are zero: consumers compare and print one zero.
            return number.DecimalValue.Value == 0 ? 0m : number.DecimalValue;
        }

        /// <summary>
        /// Reads <c>availability.peaks</c>. A peak with any problem is reported and left out, so consumers only ever see
        /// valid, non-overlapping windows whose target is at least the base one.
        /// </summary>
        private IReadOnlyList<AvailabilityPeak> ReadPeaks(JsonObject availability)
        {
            var peaks = new List<AvailabilityPeak>();
            var paths = new List<string>();
            var firstPathByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            ForEachEntry(availability, "peaks", "availability.peaks", (entry, path) =>
            {
                JsonProperty? name = entry.Find("name");
                string? peakName = RequiredString(entry, name, path + ".name");
                JsonProperty? fromProperty = entry.Find("from");
                JsonProperty? untilProperty = entry.Find("until");
                DateTimeOffset? from = ReadInstant(entry, fromProperty, path + ".from");
                DateTimeOffset? until = ReadInstant(entry, untilProperty, path + ".until");
                decimal? target = null;
                decimal? exposure = null;
                SourcePosition targetPosition = default;
                JsonNode? targetNode = entry.Find("target")?.Value ?? entry.Find("financialExposurePerHour")?.Value;
                if (targetNode == null)
                {
                    Report(ManifestDiagnosticKind.AvailabilityTarget, path + ".target", entry, "Property '" + path + ".target' is missing: declare the peak's availability target (" + AcceptedTargetForms + ") or its 'financialExposurePerHour' to select one");
                }
                else
                {
                    (target, targetPosition, exposure) = ReadTargetOrExposure(entry, path);
                }

                bool valid = peakName != null && from.HasValue && until.HasValue && target.HasValue;
                if (from.HasValue && until.HasValue)
                {
                    valid &= IsValidWindow(path, untilProperty!.Value, from.Value, until.Value);
                }

                if (target.HasValue && _manifest.AvailabilityTarget is decimal baseTarget && target.Value < baseTarget)
                {
                    valid = false;
                    _diagnostics.Add(new ManifestDiagnostic(
                        ManifestDiagnosticKind.AvailabilityTarget,
                        "Peak " + Quoted(peakName) + " at '" + path + "' has the target " + Number(target.Value) + ", lower than the base target " + Number(baseTarget)
                        + ": a peak raises the target for a higher financial exposure; give it a target of at least " + Number(baseTarget) + " or remove it",
                        entry.Find("target") != null ? path + ".target" : path + ".financialExposurePerHour",
                        targetPosition));
                }

                if (peakName == null || !IsFirstDeclaration(firstPathByName, peakName, path, name!.Value, "Peak", "peak") || !valid)
                {
                    return;
                }

                var peak = new AvailabilityPeak(peakName, from!.Value, until!.Value, exposure, target!.Value, name.Value.Position);
                for (int i = 0; i < peaks.Count; i++)
                {
                    if (peaks[i].From < peak.Until && peak.From < peaks[i].Until)
                    {
                        Report(
                            ManifestDiagnosticKind.Structure,
                            path + ".from",
                            fromProperty!.Value,
                            "Peak \"" + peak.Name + "\" at '" + path + "' (" + Window(peak.From, peak.Until) + ") overlaps peak \"" + peaks[i].Name + "\" at '" + paths[i] + "' ("
                            + Window(peaks[i].From, peaks[i].Until) + "): one target is in force at a time; merge the peaks or make one end ('until', exclusive) where the other starts");
                        return;
                    }
                }

                peaks.Add(peak);
                paths.Add(path);
            });
            return new ReadOnlyCollection<AvailabilityPeak>(peaks);
        }

        /// <summary>Reports a window that is empty, reversed or longer than <see cref="AvailabilityPeak.MaxWindow"/>, at its <c>until</c>.</summary>
        private bool IsValidWindow(string path, JsonNode untilValue, DateTimeOffset from, DateTimeOffset until)
        {
            if (until <= from)
            {
                Report(
                    ManifestDiagnosticKind.Structure,
                    path + ".until",
                    untilValue,
                    "Property '" + path + ".until' is " + Instant(until) + ", not after '" + path + ".from' " + Instant(from) + ": a peak runs from 'from' (inclusive) to 'until' (exclusive)");
                return false;
            }

            if (until - from > AvailabilityPeak.MaxWindow)
            {
                Report(
                    ManifestDiagnosticKind.Structure,
                    path + ".until",
                    untilValue,
                    "Peak window at '" + path + "' (" + Window(from, until) + ") is " + (until - from).ToString("c", CultureInfo.InvariantCulture) + " long, longer than "
                    + AvailabilityPeak.MaxWindow.TotalDays.ToString(CultureInfo.InvariantCulture) + " days: an exposure that lasts longer is the service's usual one; raise 'availability.target' instead");
                return false;
            }

            return true;
        }

        /// <summary>Reads a required RFC 3339 date and time with its offset (<c>Z</c> or <c>±hh:mm</c>).</summary>
        private DateTimeOffset? ReadInstant(JsonObject entry, JsonProperty? property, string path)
        {
            string? text = RequiredString(entry, property, path);
            if (text == null)
            {
                return null;
            }

            if (Rfc3339.TryParse(text, out DateTimeOffset instant))
            {
                return instant;
            }

            Report(ManifestDiagnosticKind.Structure, path, property!.Value, "Property '" + path + "' is " + Display(property.Value) + ", not an RFC 3339 date and time with its offset; accepted: e.g. \"2026-11-27T00:00:00Z\" or \"2026-11-27T00:00:00+01:00\"");
            return null;
        }

        private static string Instant(DateTimeOffset instant) => Rfc3339.Format(instant);

        private static string Window(DateTimeOffset from, DateTimeOffset until) => "from " + Instant(from) + " until " + Instant(until);

        private static string Quoted(string? name) => name == null ? "(unnamed)" : "\"" + name + "\"";

        private void ReadDeployment(JsonObject root)
        {
            JsonObject? deployment = OptionalObject(root, "deployment", "deployment");
            if (deployment != null)
            {
                _manifest.FeatureDemand = (FeatureDemand?)OptionalWord(deployment, "featureDemand", "deployment.featureDemand", FeatureDemandWords, "feature demand");
                _manifest.DeploymentTarget = (DeploymentTarget?)OptionalWord(deployment, "target", "deployment.target", DeploymentTargetWords, "deployment target");
            }

            if (_manifest.DeploymentTarget != null)
            {
                _manifest.DeploymentFrequency = DeploymentFrequency.From(_manifest.DeploymentTarget.Value);
            }
            else if (_manifest.FeatureDemand != null)
            {
                // A policy's "N per week" has no named target: only the frequency is derived then.
                _manifest.DeploymentFrequency = _policy.DeploymentFor(_manifest.FeatureDemand.Value);
                _manifest.DeploymentTarget = _manifest.DeploymentFrequency.Value.Named;
            }
        }

        private void ReadOnCall(JsonObject root)
        {
            JsonObject? onCall = OptionalObject(root, "onCall", "onCall");
            if (onCall != null)
            {
                _manifest.WorkingHoursOnCall = (OnCallLevel?)OptionalWord(onCall, "workingHours", "onCall.workingHours", OnCallWords, "on-call level");
                _manifest.OutOfHoursOnCall = (OnCallLevel?)OptionalWord(onCall, "outOfHours", "onCall.outOfHours", OnCallWords, "on-call level");
            }

            if (_manifest.AvailabilityTarget.HasValue)
            {
                // Derived per period, so a manifest may declare one period and leave the other to the target.
                (OnCallLevel workingHours, OnCallLevel outOfHours) = _policy.OnCallFor(_manifest.AvailabilityTarget.Value);
                _manifest.WorkingHoursOnCall ??= onCall?.Find("workingHours") == null ? workingHours : (OnCallLevel?)null;
                _manifest.OutOfHoursOnCall ??= onCall?.Find("outOfHours") == null ? outOfHours : (OnCallLevel?)null;
            }
        }

        private IReadOnlyList<OwnedDatabase> ReadDatabases(JsonObject root)
        {
            var databases = new List<OwnedDatabase>();
            var firstPathByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            ForEachEntry(root, "databases", (entry, path) =>
            {
                JsonProperty? name = entry.Find("name");
                string? databaseName = RequiredString(entry, name, path + ".name");
                IReadOnlyList<string> connectionStrings = ReadConnectionStrings(entry, path, "database");
                if (databaseName == null)
                {
                    return;
                }

                if (IsFirstDeclaration(firstPathByName, databaseName, path, name!.Value, "Database", "database"))
                {
                    databases.Add(new OwnedDatabase(databaseName, connectionStrings, name.Value.Position));
                }
            });
            return new ReadOnlyCollection<OwnedDatabase>(databases);
        }

        private IReadOnlyList<ReadableDataset> ReadDatasets(JsonObject root)
        {
            var datasets = new List<ReadableDataset>();
            ForEachEntry(root, "reads", (entry, path) =>
            {
                JsonProperty? name = entry.Find("name");
                string? datasetName = RequiredString(entry, name, path + ".name");
                string? owner = RequiredString(entry, entry.Find("owner"), path + ".owner");
                IReadOnlyList<string> connectionStrings = ReadConnectionStrings(entry, path, "read dataset");
                if (datasetName != null && owner != null)
                {
                    datasets.Add(new ReadableDataset(datasetName, owner, connectionStrings, name!.Value.Position));
                }
            });
            return new ReadOnlyCollection<ReadableDataset>(datasets);
        }

        private IReadOnlyList<ServiceDependency> ReadDependencies(JsonObject root)
        {
            var dependencies = new List<ServiceDependency>();
            var firstPathByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            ForEachEntry(root, "dependencies", (entry, path) =>
            {
                JsonProperty? name = entry.Find("name");
                string? dependencyName = RequiredString(entry, name, path + ".name");
                JsonProperty? timeoutProperty = entry.Find("timeout");
                TimeSpan? timeout = timeoutProperty == null ? null : ReadTimeout(timeoutProperty.Value, path + ".timeout");
                bool critical = OptionalBoolean(entry, "critical", path + ".critical");

                if (dependencyName == null)
                {
                    return;
                }

                if (IsFirstDeclaration(firstPathByName, dependencyName, path, name!.Value, "Dependency", "dependency"))
                {
                    dependencies.Add(new ServiceDependency(dependencyName, timeout, critical, name.Value.Position));
                }
            });
            return new ReadOnlyCollection<ServiceDependency>(dependencies);
        }

        private TimeSpan? ReadTimeout(JsonNode value, string path)
        {
            const string accepted = "accepted: a positive duration \"hh:mm:ss[.fffffff]\" such as \"00:00:02.5\", or a positive number of seconds such as 2.5";
            TimeSpan? timeout = null;
            if (value is JsonNumber number)
            {
                // A coarse bound in seconds first, so the multiplication to ticks below cannot overflow (1e22 did).
                decimal? seconds = number.DecimalValue;
                bool negative = seconds.HasValue ? seconds.Value < 0 : number.RawText[0] == '-';
                if (!negative && (seconds == null || seconds.Value > MaxTimeoutSeconds + 1))
                {
                    ReportTimeoutOutOfRange(value, path, number.RawText + " seconds");
                    return null;
                }

                if (seconds.HasValue && seconds.Value > 0)
                {
                    // Whole ticks: anything finer than 100 ns is rounded, and the limit applies to the rounded value.
                    decimal ticks = decimal.Round(seconds.Value * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
                    if (ticks > ServiceDependency.MaxTimeout.Ticks)
                    {
                        ReportTimeoutOutOfRange(value, path, number.RawText + " seconds");
                        return null;
                    }

                    if (ticks < 1)
                    {
                        Report(ManifestDiagnosticKind.Structure, path, value, "Property '" + path + "' is " + number.RawText + " seconds, shorter than the shortest timeout (0.0000001 seconds, one tick)");
                        return null;
                    }

                    timeout = TimeSpan.FromTicks((long)ticks);
                }
            }
            else if (value is JsonString text
                && TimeSpan.TryParseExact(text.Value, "c", CultureInfo.InvariantCulture, out TimeSpan parsed)
                && parsed > TimeSpan.Zero)
            {
                if (parsed > ServiceDependency.MaxTimeout)
                {
                    ReportTimeoutOutOfRange(value, path, Display(value));
                    return null;
                }

                timeout = parsed;
            }

            if (timeout == null)
            {
                Report(ManifestDiagnosticKind.Structure, path, value, "Property '" + path + "' is not a valid timeout: " + Display(value) + "; " + accepted);
            }

            return timeout;
        }

        private void ReportTimeoutOutOfRange(JsonNode value, string path, string shown) =>
            Report(
                ManifestDiagnosticKind.Structure,
                path,
                value,
                "Property '" + path + "' is " + shown + ", out of range: a timeout is at most " + Number(MaxTimeoutSeconds) + " seconds ("
                + ServiceDependency.MaxTimeout.ToString("c", CultureInfo.InvariantCulture) + ", the longest a .NET timer waits)");

        private void ReadRunbook(JsonObject root)
        {
            JsonProperty? runbook = root.Find("runbook");
            if (runbook == null)
            {
                return;
            }

            _manifest.RunbookDeclared = true;
            _manifest.RunbookPosition = runbook.Value.Position;
            string? path = NonEmptyString(runbook.Value, "runbook", ManifestDiagnosticKind.Structure);
            if (path != null)
            {
                _manifest.Runbook = path;
            }
        }

        /// <summary>Reads <c>connectionStrings</c> of a database or dataset, reporting names already claimed.</summary>
        private IReadOnlyList<string> ReadConnectionStrings(JsonObject entry, string entryPath, string claimantKind)
        {
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string path = entryPath + ".connectionStrings";
            JsonProperty? property = entry.Find("connectionStrings");
            if (property == null)
            {
                return names.AsReadOnly();
            }

            if (!(property.Value is JsonArray array))
            {
                WrongType(path, property.Value, "an array of connection-string names");
                return names.AsReadOnly();
            }

            string claimant = claimantKind + " at '" + entryPath + "'";
            for (int i = 0; i < array.Items.Count; i++)
            {
                string itemPath = JsonPath.Element(path, i);
                string? name = NonEmptyString(array.Items[i], itemPath, ManifestDiagnosticKind.Structure);
                if (name == null || !seen.Add(name))
                {
                    continue;
                }

                if (_connectionStringClaims.TryGetValue(name, out string? firstClaimant))
                {
                    Report(ManifestDiagnosticKind.Structure, itemPath, array.Items[i], "Connection string \"" + name + "\" at '" + itemPath + "' is already claimed by the " + firstClaimant + "; a connection string reaches one database");
                    continue;
                }

                _connectionStringClaims.Add(name, claimant);
                names.Add(name);
            }

            return names.AsReadOnly();
        }

        /// <summary>Calls <paramref name="read"/> for each object in an optional array property, reporting non-objects.</summary>
        private void ForEachEntry(JsonObject root, string name, Action<JsonObject, string> read) => ForEachEntry(root, name, name, read);

        /// <summary>As above, for an array in a nested object whose path is <paramref name="arrayPath"/>.</summary>
        private void ForEachEntry(JsonObject parent, string name, string arrayPath, Action<JsonObject, string> read)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                return;
            }

            if (!(property.Value is JsonArray array))
            {
                WrongType(arrayPath, property.Value, "an array");
                return;
            }

            for (int i = 0; i < array.Items.Count; i++)
            {
                string path = JsonPath.Element(arrayPath, i);
                if (array.Items[i] is JsonObject entry)
                {
                    read(entry, path);
                }
                else
                {
                    WrongType(path, array.Items[i], "an object");
                }
            }
        }

        /// <summary>Records the first declaration of a name; reports a later one (names compare case-insensitively).</summary>
        private bool IsFirstDeclaration(Dictionary<string, string> firstPathByName, string name, string path, JsonNode nameValue, string label, string noun)
        {
            if (firstPathByName.TryGetValue(name, out string? firstPath))
            {
                Report(ManifestDiagnosticKind.Structure, path + ".name", nameValue, label + " \"" + name + "\" at '" + path + ".name' is already declared at '" + firstPath + ".name' (" + noun + " names are compared case-insensitively)");
                return false;
            }

            firstPathByName.Add(name, path);
            return true;
        }

        /// <summary>Reads an optional true/false; false when absent or invalid.</summary>
        private bool OptionalBoolean(JsonObject parent, string name, string path)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null || property.Value.Kind == JsonKind.False)
            {
                return false;
            }

            if (property.Value.Kind == JsonKind.True)
            {
                return true;
            }

            WrongType(path, property.Value, "true or false");
            return false;
        }

        private string? RequiredString(JsonObject entry, JsonProperty? property, string path)
        {
            if (property == null)
            {
                Report(ManifestDiagnosticKind.Structure, path, entry, "Property '" + path + "' is missing");
                return null;
            }

            return NonEmptyString(property.Value, path, ManifestDiagnosticKind.Structure);
        }

        private string? OptionalString(JsonObject parent, string name, string path)
        {
            JsonProperty? property = parent.Find(name);
            return property == null ? null : NonEmptyString(property.Value, path, ManifestDiagnosticKind.Structure);
        }

        private JsonObject? OptionalObject(JsonObject parent, string name, string path)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                return null;
            }

            if (property.Value is JsonObject value)
            {
                return value;
            }

            WrongType(path, property.Value, "an object");
            return null;
        }

        /// <summary>Reads one of <paramref name="words"/> and returns its index (the enum value), or null.</summary>
        private int? OptionalWord(JsonObject parent, string name, string path, string[] words, string what)
        {
            JsonProperty? property = parent.Find(name);
            if (property == null)
            {
                return null;
            }

            if (property.Value is JsonString text)
            {
                int index = Array.IndexOf(words, text.Value);
                if (index >= 0)
                {
                    return index;
                }
            }

            Report(ManifestDiagnosticKind.Structure, path, property.Value, "Property '" + path + "' is " + Display(property.Value) + ", not a known " + what + "; accepted: \"" + string.Join("\", \"", words) + "\"");
            return null;
        }

        private string? NonEmptyString(JsonNode value, string path, ManifestDiagnosticKind kind)
        {
            if (!(value is JsonString text))
            {
                Report(kind, path, value, "Property '" + path + "' must be a string but found " + Display(value));
                return null;
            }

            if (text.Value.Trim().Length == 0)
            {
                Report(kind, path, value, "Property '" + path + "' is empty: give a non-blank string");
                return null;
            }

            return text.Value;
        }

        private void WrongType(string path, JsonNode value, string expected) =>
            Report(ManifestDiagnosticKind.Structure, path, value, "Property '" + path + "' must be " + expected + " but found " + Display(value));

        private void Report(ManifestDiagnosticKind kind, string path, JsonNode at, string message) =>
            _diagnostics.Add(new ManifestDiagnostic(kind, message, path, at.Position));

        /// <summary>Shows a value in a message: strings quoted, numbers as written, the kind otherwise.</summary>
        internal static string Display(JsonNode value) => value switch
        {
            JsonString text => "\"" + text.Value + "\"",
            JsonNumber number => number.RawText,
            _ => value.KindDescription,
        };

        internal static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Count(int count, string noun) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
    }
}
