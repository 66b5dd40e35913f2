using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Operability.Analyzers.Baseline;

namespace Operability.Cli
{
    /// <summary>
    /// <c>baseline write</c>: writes today's Operability violations, read from a build's SARIF log, to the project's
    /// <c>operability.baseline.json</c>, which the analyzers' suppressor then suppresses. Entries that still match keep
    /// their justification; the others are dropped, so the baseline only shrinks unless violations are added on purpose.
    /// </summary>
    internal static class BaselineWriteCommand
    {
        /// <summary>The justification of a new entry unless <c>--justification</c> gives one.</summary>
        public const string DefaultJustification = "Existed when the package was adopted; fix it and remove this entry.";

        public static Command Create()
        {
            Argument<string> sarif = new("sarif")
            {
                Description = "The compiler's error log of one project, in SARIF 2.1: dotnet build -p:ErrorLog=build.sarif%2Cversion=2.1",
                HelpName = "build.sarif",
            };
            Option<string?> project = new("--project")
            {
                Description = "The project's folder: file paths in the baseline are relative to it (default: the current folder).",
                HelpName = "folder",
            };
            Option<string?> output = new("--output")
            {
                Description = "The baseline to write (default: " + BaselineDocument.FileName + " in the project's folder).",
                HelpName = "file",
            };
            Option<string?> justification = new("--justification")
            {
                Description = "The justification of new entries (default: \"" + DefaultJustification + "\").",
                HelpName = "text",
            };
            Option<OutputFormat> format = CommonOptions.Format();
            var command = new Command(
                "write",
                "Writes the OPS1xx–OPS4xx warnings and errors of a build's SARIF log to the project's " + BaselineDocument.FileName + ". "
                + "The package's suppressor then suppresses exactly those (shown as suppressed, with a justification, in SARIF), so new "
                + "violations still fail CI. Entries that still match keep their justification; the rest are dropped. Rules that are "
                + "errors by default (OPS102, OPS204) cannot be suppressed and are named on stderr.\n\n"
                + "Example:\n  dotnet build -p:ErrorLog=build.sarif%2Cversion=2.1\n  dotnet operability baseline write build.sarif");
            command.Arguments.Add(sarif);
            foreach (Option option in new Option[] { project, output, justification, format })
            {
                command.Options.Add(option);
            }

            command.SetAction(parseResult =>
            {
                TextWriter stdout = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                string projectDirectory = Path.GetFullPath(parseResult.GetValue(project) ?? Directory.GetCurrentDirectory());
                string target = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(projectDirectory, BaselineDocument.FileName));
                string log = parseResult.GetValue(sarif)!;
                string newJustification = parseResult.GetValue(justification) is { Length: > 0 } given ? given : DefaultJustification;

                SarifFindings findings;
                try
                {
                    findings = SarifFindings.Read(log, projectDirectory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    error.WriteLine("error: cannot read the SARIF log '" + log + "': " + e.Message);
                    return ExitCodes.InputUnreadable;
                }

                foreach (string path in findings.Unreadable.Distinct())
                {
                    error.WriteLine("warning: '" + path + "', named by the log, cannot be read; its entries have no member or text and match only by rule and file.");
                }

                foreach (string skipped in findings.NotBaselinable)
                {
                    error.WriteLine("warning: " + skipped + " is an error by default and cannot be baselined (compilers let no suppressor suppress it); fix it.");
                }

                Dictionary<BaselineFingerprint, string> kept = ExistingJustifications(target, error);
                var entries = findings.Fingerprints
                    .OrderBy(f => f.File, StringComparer.Ordinal)
                    .ThenBy(f => f.Member, StringComparer.Ordinal)
                    .ThenBy(f => f.Rule, StringComparer.Ordinal)
                    .ThenBy(f => f.Expression, StringComparer.Ordinal)
                    .ThenBy(f => f.Occurrence)
                    .Select(f => (Fingerprint: f, Justification: kept.TryGetValue(f, out string? old) ? old : newJustification, Kept: kept.ContainsKey(f)))
                    .ToList();
                try
                {
                    File.WriteAllText(target, Serialize(entries.Select(e => (e.Fingerprint, e.Justification))), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine("error: cannot write '" + target + "': " + e.Message);
                    return ExitCodes.InputUnreadable;
                }

                int keptCount = entries.Count(e => e.Kept);
                int removed = kept.Count - keptCount;
                WriteSummary(stdout, parseResult.GetValue(format), target, entries.Count, keptCount, removed, findings.NotBaselinable.Count);
                return ExitCodes.Ok;
            });
            return command;
        }

        private static Dictionary<BaselineFingerprint, string> ExistingJustifications(string path, TextWriter error)
        {
            var justifications = new Dictionary<BaselineFingerprint, string>();
            if (!File.Exists(path))
            {
                return justifications;
            }

            BaselineDocument existing = BaselineDocument.Parse(File.ReadAllText(path));
            foreach (BaselineProblem problem in existing.Problems)
            {
                error.WriteLine("warning: " + path + "(" + problem.Position + "): " + problem.Message + "; the entry's justification is not kept.");
            }

            foreach (BaselineEntry entry in existing.Entries)
            {
                justifications.TryAdd(entry.Fingerprint, entry.Justification);
            }

            return justifications;
        }

        /// <summary>The baseline file for <paramref name="entries"/>, as the analyzers read it.</summary>
        internal static string Serialize(IEnumerable<(BaselineFingerprint Fingerprint, string Justification)> entries)
        {
            var list = new JsonArray();
            foreach ((BaselineFingerprint fingerprint, string entryJustification) in entries)
            {
                list.Add(new JsonObject
                {
                    ["rule"] = fingerprint.Rule,
                    ["file"] = fingerprint.File,
                    ["member"] = fingerprint.Member,
                    ["expression"] = fingerprint.Expression,
                    ["occurrence"] = fingerprint.Occurrence,
                    ["justification"] = entryJustification,
                });
            }

            var root = new JsonObject { ["version"] = BaselineDocument.CurrentVersion, ["entries"] = list };
            return root.ToJsonString(JsonOutput.Options) + "\n";
        }

        private static void WriteSummary(TextWriter output, OutputFormat format, string target, int entries, int kept, int removed, int notBaselinable)
        {
            switch (format)
            {
                case OutputFormat.Json:
                    output.WriteLine(new JsonObject
                    {
                        ["baseline"] = target,
                        ["entries"] = entries,
                        ["kept"] = kept,
                        ["added"] = entries - kept,
                        ["removed"] = removed,
                        ["notBaselinable"] = notBaselinable,
                    }.ToJsonString(JsonOutput.Options));
                    break;
                case OutputFormat.Markdown:
                    output.WriteLine("| baseline | entries | kept | added | removed | not baselinable |");
                    output.WriteLine("|---|---|---|---|---|---|");
                    output.WriteLine("| `" + target + "` | " + entries + " | " + kept + " | " + (entries - kept) + " | " + removed + " | " + notBaselinable + " |");
                    break;
                default:
                    output.WriteLine("Wrote " + entries + " entries to " + target + " (" + kept + " kept, " + (entries - kept) + " added, " + removed + " removed"
                        + (notBaselinable == 0 ? string.Empty : ", " + notBaselinable + " errors by default not baselinable") + ").");
                    break;
            }
        }
    }
}
