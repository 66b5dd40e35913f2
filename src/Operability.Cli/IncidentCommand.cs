using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>incident</c>: an incident's financial loss, its classification and response, and the loss protection effectiveness.</summary>
    internal static class IncidentCommand
    {
        public static Command Create()
        {
            Option<decimal?> exposure = CommonOptions.FinancialExposure();
            Option<decimal?> target = CommonOptions.AvailabilityTarget();
            Option<decimal?> loss = CommonOptions.Decimal("--loss", "The incident's actual financial loss (instead of --duration).", "amount", 0m);
            Option<TimeSpan?> duration = new("--duration")
            {
                Description = "How long the service is (or is expected to be) unavailable, hh:mm:ss or d.hh:mm:ss (instead of --loss).",
                HelpName = "hh:mm:ss",
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    if (!TryParseDuration(token, out TimeSpan value))
                    {
                        result.AddError("--duration must be hh:mm:ss (or d.hh:mm:ss), zero or more, but was '" + token + "'.");
                        return null;
                    }

                    return value;
                },
            };
            Option<string?> manifest = new("--manifest")
            {
                Description = "The service's operability.json: its financial exposure and availability target (instead of those flags).",
                HelpName = "operability.json",
            };
            Option<string?> file = new("--file")
            {
                Description = "A JSON array of incidents (service, team, financialExposurePerHour and availabilityTarget or manifest, duration or loss): each classified, with totals per service, team and estate.",
                HelpName = "incidents.json",
            };
            Option<string?> policy = CommonOptions.Policy();
            Option<OutputFormat> format = CommonOptions.Format();
            var command = new Command(
                "incident",
                "Classifies an incident from its financial loss (exposure an hour × duration, or the actual --loss) against the loss the "
                + "service's target tolerates in a week, as high/medium/low loss, major/minor, and the response; and, for a closed "
                + "incident, the financial loss protection effectiveness: projected loss at the tolerable unavailability, protected "
                + "amount, effectiveness. Without --availability-target the policy's bands select it from the exposure.\n\n"
                + "Example:\n  dotnet operability incident --financial-exposure 810000 --availability-target 99.9 --duration 00:04:00\n"
                + "  dotnet operability incident --file incidents.json --policy operability.organisation.json");
            foreach (Option option in new Option[] { exposure, target, duration, loss, manifest, file, policy, format })
            {
                command.Options.Add(option);
            }

            command.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                OrganisationPolicy? organisation = PolicyFile.Load(parseResult.GetValue(policy), error);
                if (organisation is null)
                {
                    return ExitCodes.InputUnreadable;
                }

                if (parseResult.GetValue(file) is string incidents)
                {
                    if (new Option[] { exposure, target, duration, loss, manifest }.FirstOrDefault(o => parseResult.GetResult(o) is not null) is Option extra)
                    {
                        error.WriteLine("error: --file gives every incident its own values; leave out " + extra.Name + ".");
                        return ExitCodes.Usage;
                    }

                    return IncidentFile.Run(incidents, organisation, parseResult.GetValue(format), output, error);
                }

                decimal? exposurePerHour = parseResult.GetValue(exposure);
                decimal? availability = parseResult.GetValue(target);
                string? manifestPath = parseResult.GetValue(manifest);
                if (manifestPath is not null)
                {
                    if (exposurePerHour is not null || availability is not null)
                    {
                        error.WriteLine("error: --manifest gives the financial exposure and availability target; leave out --financial-exposure and --availability-target.");
                        return ExitCodes.Usage;
                    }

                    int read = ReadManifest(manifestPath, organisation, error, out exposurePerHour, out availability);
                    if (read != ExitCodes.Ok)
                    {
                        return read;
                    }
                }

                if (exposurePerHour is not decimal perHour)
                {
                    error.WriteLine("error: give --financial-exposure (or --manifest).");
                    return ExitCodes.Usage;
                }

                TimeSpan? elapsed = parseResult.GetValue(duration);
                decimal? actual = parseResult.GetValue(loss);
                if ((elapsed is null) == (actual is null))
                {
                    error.WriteLine("error: give exactly one of --duration (the loss is exposure an hour × duration) and --loss (the actual loss).");
                    return ExitCodes.Usage;
                }

                decimal chosenTarget = availability ?? organisation.SelectTarget(perHour);
                IncidentThresholds thresholds = organisation.IncidentThresholds;
                IncidentLoss result = elapsed is TimeSpan d ? IncidentLoss.For(perHour, chosenTarget, d, thresholds) : IncidentLoss.For(perHour, chosenTarget, actual!.Value, thresholds);
                Write(result, elapsed, organisation.Currency, parseResult.GetValue(format), output);
                return ExitCodes.Ok;
            });
            return command;
        }

        private static int ReadManifest(string path, OrganisationPolicy policy, TextWriter error, out decimal? exposure, out decimal? target)
        {
            exposure = null;
            target = null;
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine(path + ": error: the manifest cannot be read: " + e.Message);
                return ExitCodes.InputUnreadable;
            }

            ManifestParseResult parsed = ManifestParser.Parse(text, policy);
            foreach (ManifestDiagnostic diagnostic in parsed.Diagnostics)
            {
                error.WriteLine(path + ":" + diagnostic.Position + ": " + (diagnostic.Kind == ManifestDiagnosticKind.AvailabilityMismatch ? "warning" : "error") + ": " + diagnostic.Message);
            }

            if (parsed.Manifest?.FinancialExposurePerHour is not decimal perHour || parsed.Manifest.AvailabilityTarget is not decimal availability)
            {
                error.WriteLine(path + ": error: the manifest gives no usable availability.financialExposurePerHour and availability target.");
                return ExitCodes.InputUnreadable;
            }

            exposure = perHour;
            target = availability;
            return ExitCodes.Ok;
        }

        private static string Severity(IncidentSeverity severity) => severity.ToString().ToLowerInvariant();

        /// <summary>A duration as the tool reads one: <c>h:mm:ss</c>, <c>hh:mm:ss</c> or <c>d.hh:mm:ss</c>, never negative.</summary>
        public static bool TryParseDuration(string text, out TimeSpan value) =>
            TimeSpan.TryParseExact(text, new[] { @"h\:mm\:ss", @"hh\:mm\:ss", @"d\.hh\:mm\:ss" }, CultureInfo.InvariantCulture, out value);

        public static string Response(IncidentResponse response) => response switch
        {
            IncidentResponse.RestoreImmediately => "restore availability immediately",
            IncidentResponse.RestoreByNextWorkingDay => "restore by next working day",
            _ => "restore when possible, ticket in backlog",
        };

        private static void Write(IncidentLoss r, TimeSpan? duration, string currency, OutputFormat format, TextWriter output)
        {
            string effectiveness = r.Effectiveness is decimal e ? (e * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "n/a (no exposure)";
            if (format == OutputFormat.Json)
            {
                var json = new JsonObject
                {
                    ["financialExposurePerHour"] = r.ExposurePerHour,
                    ["availabilityTarget"] = r.AvailabilityTarget,
                    ["tolerableUnavailabilityPerWeek"] = Availability.FormatForDisplay(r.TolerableUnavailabilityPerWeek),
                    ["duration"] = duration is TimeSpan d ? Availability.FormatForDisplay(d) : null,
                    ["loss"] = decimal.Round(r.ActualLoss, 2),
                    ["severity"] = Severity(r.Severity),
                    ["type"] = r.Type.ToString().ToLowerInvariant(),
                    ["response"] = Response(r.Response),
                    ["projectedLoss"] = decimal.Round(r.ProjectedLoss, 2),
                    ["protectedAmount"] = decimal.Round(r.ProtectedAmount, 2),
                    ["effectiveness"] = r.Effectiveness is decimal eff ? decimal.Round(eff, 4) : null,
                    ["highLossFrom"] = decimal.Round(r.HighLossFrom, 2),
                    ["mediumLossFrom"] = decimal.Round(r.MediumLossFrom, 2),
                    ["currency"] = currency,
                };
                output.WriteLine(json.ToJsonString(JsonOutput.Options));
                return;
            }

            string Money(decimal amount) => CommonOptions.Money(amount) + " " + currency;
            var rows = new (string Name, string Value)[]
            {
                ("loss", Money(r.ActualLoss) + (duration is TimeSpan t ? " (" + Availability.FormatForDisplay(t) + " at " + Money(r.ExposurePerHour) + " an hour)" : string.Empty)),
                ("classification", Severity(r.Severity) + " loss: " + r.Type.ToString().ToLowerInvariant() + " incident"),
                ("response", Response(r.Response)),
                ("projected loss", Money(r.ProjectedLoss) + " (" + Availability.FormatForDisplay(r.TolerableUnavailabilityPerWeek) + " tolerable a week at " + CommonOptions.Number(r.AvailabilityTarget) + "%)"),
                ("protected", Money(r.ProtectedAmount)),
                ("effectiveness", effectiveness),
                ("thresholds", "high from " + Money(r.HighLossFrom) + ", medium from " + Money(r.MediumLossFrom)),
            };
            var text = new StringBuilder();
            if (format == OutputFormat.Markdown)
            {
                text.AppendLine("| | |").AppendLine("|---|---|");
            }

            foreach (var (name, value) in rows)
            {
                text.AppendLine(format == OutputFormat.Markdown ? "| " + name + " | " + value + " |" : name.PadRight(16) + value);
            }

            output.Write(text.ToString());
        }
    }
}
