using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>estate export</c>: the estate as Backstage catalogue entities and OpenSLO documents.</summary>
    internal static class EstateExportCommand
    {
        public static Command Create(bool showProgress)
        {
            Argument<string[]> paths = EstateCheckCommand.EstatePaths();
            Option<string?> policy = CommonOptions.Policy();
            Option<OutputFormat> format = CommonOptions.Format();
            Option<string?> backstage = new("--backstage")
            {
                Description = "Write Backstage catalogue files here: <dir>/<service>/catalog-info.yaml (Component), resources.yaml (a Resource per database), organisation.yaml (Groups, Domains).",
                HelpName = "dir",
            };
            Option<string?> openSlo = new("--openslo")
            {
                Description = "Write OpenSLO v1 documents here: <dir>/<service>.yaml with a Service, an SLI on operability_requests_total and an SLO (one-week rolling window, the target as objective).",
                HelpName = "dir",
            };
            Option<string> lifecycle = new("--lifecycle")
            {
                Description = "The Backstage lifecycle of every Component (manifests do not say).",
                HelpName = "word",
                DefaultValueFactory = _ => "production",
            };
            var command = new Command(
                "export",
                "Writes the estate for other tools: Backstage catalogue entities (a Component per service with its owner, databases, "
                + "availability target, tolerable unavailability and on-call levels as operability.dev/ annotations; a Resource per "
                + "database with one owner; a Group per team; a Domain per product domain) and OpenSLO v1 SLOs. What cannot be written "
                + "truthfully (no owner, a database several teams claim) is reported on stderr and left out.\n\n"
                + "Example:\n  dotnet operability estate export services/ --policy operability.organisation.json --backstage catalog/ --openslo slo/");
            command.Arguments.Add(paths);
            foreach (Option option in new Option[] { backstage, openSlo, lifecycle, policy, format })
            {
                command.Options.Add(option);
            }

            command.Validators.Add(result =>
            {
                if (result.GetValue(backstage) is null && result.GetValue(openSlo) is null)
                {
                    result.AddError("give --backstage <dir>, --openslo <dir> or both: where to write.");
                }

                if (result.GetValue(backstage) is string b && result.GetValue(openSlo) is string o
                    && string.Equals(Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(o).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
                {
                    // Backstage registers every *.yaml of its folder: OpenSLO documents there would be read as entities.
                    result.AddError("--backstage and --openslo need folders of their own.");
                }

                if (result.GetValue(lifecycle) is string word && EntityName.Normalise(word) != word)
                {
                    result.AddError("--lifecycle is one lower-case word such as production, experimental or deprecated but was '" + word + "'.");
                }
            });
            command.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                OrganisationPolicy? organisation = PolicyFile.Load(parseResult.GetValue(policy), error);
                if (organisation is null)
                {
                    return ExitCodes.InputUnreadable;
                }

                EstateScan scan = EstateScan.Read(parseResult.GetValue(paths)!, organisation, showProgress ? error : null);
                scan.ReportProblems(error);
                var entries = scan.Entries.ToList();
                var problems = new List<ExportProblem>();
                var written = new List<(string Format, ExportedFile File)>();
                int code = scan.ExitCode;
                try
                {
                    if (parseResult.GetValue(backstage) is string catalog)
                    {
                        written.AddRange(BackstageExport.Write(entries, organisation, catalog, parseResult.GetValue(lifecycle)!, problems).Select(f => ("backstage", f)));
                    }

                    if (parseResult.GetValue(openSlo) is string slo)
                    {
                        written.AddRange(OpenSloExport.Write(entries, slo, problems).Select(f => ("openslo", f)));
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine("error: the export could not be written: " + e.Message);
                    code = ExitCodes.Worst(code, ExitCodes.InputUnreadable);
                }

                foreach (ExportProblem problem in problems)
                {
                    error.WriteLine(problem.Source + ": " + (problem.IsError ? "error" : "warning") + ": " + problem.Message);
                }

                if (problems.Any(p => p.IsError))
                {
                    code = ExitCodes.Worst(code, ExitCodes.Findings);
                }

                output.Write(Render(written, problems, parseResult.GetValue(format)));
                return code;
            });
            return command;
        }

        private static string Render(List<(string Format, ExportedFile File)> written, List<ExportProblem> problems, OutputFormat format)
        {
            if (format == OutputFormat.Json)
            {
                var json = new JsonObject
                {
                    ["files"] = new JsonArray(written.Select(w => (JsonNode?)new JsonObject
                    {
                        ["format"] = w.Format,
                        ["path"] = w.File.Path,
                        ["entities"] = new JsonArray(w.File.Entities.Select(e => (JsonNode?)e).ToArray()),
                    }).ToArray()),
                    ["problems"] = new JsonArray(problems.Select(p => (JsonNode?)new JsonObject
                    {
                        ["source"] = p.Source,
                        ["level"] = p.IsError ? "error" : "warning",
                        ["message"] = p.Message,
                    }).ToArray()),
                };
                return json.ToJsonString(JsonOutput.Options) + "\n";
            }

            var text = new StringBuilder();
            if (format == OutputFormat.Markdown)
            {
                text.AppendLine("| format | file | entities |").AppendLine("|---|---|---|");
            }

            foreach (var (kind, file) in written)
            {
                string entities = string.Join(", ", file.Entities);
                text.AppendLine(format == OutputFormat.Markdown ? "| " + kind + " | " + file.Path + " | " + entities + " |" : kind.PadRight(10) + file.Path + "  " + entities);
            }

            int leftOut = problems.Count(p => p.IsError);
            text.AppendLine((format == OutputFormat.Markdown ? "\n" : string.Empty) + written.Count + " file(s) written, " + written.Sum(w => w.File.Entities.Count) + " entities"
                + (leftOut == 0 ? string.Empty : "; " + leftOut + " left out (see stderr)"));
            return text.ToString();
        }
    }
}
