using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>estate check</c>: what the per-service build cannot see, across every manifest of an estate.</summary>
    internal static class EstateCheckCommand
    {
        public static Command Create(bool showProgress)
        {
            Argument<string[]> paths = EstatePaths();
            Option<string?> policy = CommonOptions.Policy();
            Option<OutputFormat> format = CommonOptions.Format(sarif: true);
            var command = new Command(
                "check",
                "Checks every operability.json under the folders (or exported catalogues): services with no or several owners, "
                + "owners the policy does not list, databases claimed by several services, manifests that fail validation, "
                + "targets that disagree with the policy's bands, duplicate service names. Exit code 1 when any finding is an error; "
                + "--format sarif for code-scanning upload.\n\n"
                + "Example:\n  dotnet operability estate check services/ --policy operability.organisation.json --format sarif > estate.sarif");
            command.Arguments.Add(paths);
            command.Options.Add(policy);
            command.Options.Add(format);
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
                IReadOnlyList<Finding> findings = EstateChecks.Find(scan, organisation);
                int manifests = scan.Entries.Count();
                switch (parseResult.GetValue(format))
                {
                    case OutputFormat.Sarif:
                        output.WriteLine(Sarif.Write(findings).ToJsonString(JsonOutput.Options));
                        break;
                    case OutputFormat.Json:
                        output.WriteLine(Json(findings, manifests, scan.Files.Count).ToJsonString(JsonOutput.Options));
                        break;
                    case OutputFormat.Markdown:
                        output.Write(Markdown(findings, manifests, scan.Files.Count));
                        break;
                    default:
                        output.Write(Text(findings, manifests, scan.Files.Count));
                        break;
                }

                bool errors = findings.Any(f => f.Rule.Level == FindingLevel.Error);
                return ExitCodes.Worst(scan.ExitCode, errors ? ExitCodes.Findings : ExitCodes.Ok);
            });
            return command;
        }

        /// <summary>The paths every estate view reads: folders to search, or manifest and catalogue files.</summary>
        public static Argument<string[]> EstatePaths()
        {
            var paths = new Argument<string[]>("paths")
            {
                Description = "Folders to search for operability.json (bin, obj, node_modules and .git are skipped), or manifest and exported catalogue files.",
                Arity = ArgumentArity.OneOrMore,
            };

            // The parser hands an unknown option to a many-valued argument; a misspelt option is a usage error, not a path.
            paths.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (token.Value.StartsWith('-') && token.Value.Length > 1)
                    {
                        result.AddError("Unknown option '" + token.Value + "' (a path that starts with '-' can be given as ./" + token.Value + ").");
                    }
                }
            });
            return paths;
        }

        public static string Level(FindingLevel level) => level == FindingLevel.Error ? "error" : "warning";

        public static string Location(Finding finding) => finding.Path + (finding.Position.IsKnown ? ":" + finding.Position : string.Empty);

        internal static string Summary(IReadOnlyList<Finding> findings, int manifests, int files) =>
            findings.Count(f => f.Rule.Level == FindingLevel.Error) + " error(s), " + findings.Count(f => f.Rule.Level == FindingLevel.Warning)
            + " warning(s) in " + manifests + " manifest(s) from " + files + " file(s)";

        private static string Text(IReadOnlyList<Finding> findings, int manifests, int files)
        {
            var text = new StringBuilder();
            foreach (Finding finding in findings)
            {
                text.Append(Location(finding)).Append(": ").Append(Level(finding.Rule.Level)).Append(' ').Append(finding.Rule.Id).Append(": ").AppendLine(finding.Message);
            }

            return text.AppendLine(Summary(findings, manifests, files)).ToString();
        }

        internal static string Markdown(IReadOnlyList<Finding> findings, int manifests, int files)
        {
            var text = new StringBuilder("## Estate check\n\n").AppendLine(Summary(findings, manifests, files)).AppendLine();
            if (findings.Count > 0)
            {
                text.AppendLine("| level | rule | where | finding |").AppendLine("|---|---|---|---|");
                foreach (Finding finding in findings)
                {
                    text.Append("| ").Append(Level(finding.Rule.Level)).Append(" | ").Append(finding.Rule.Id).Append(" | `").Append(Location(finding)).Append("` | ")
                        .Append(finding.Message.Replace("|", "\\|")).AppendLine(" |");
                }
            }

            return text.ToString();
        }

        private static JsonObject Json(IReadOnlyList<Finding> findings, int manifests, int files)
        {
            var list = new JsonArray();
            foreach (Finding finding in findings)
            {
                list.Add(new JsonObject
                {
                    ["rule"] = finding.Rule.Id,
                    ["level"] = Level(finding.Rule.Level),
                    ["message"] = finding.Message,
                    ["path"] = finding.Path,
                    ["line"] = finding.Position.IsKnown ? finding.Position.Line : null,
                    ["column"] = finding.Position.IsKnown ? finding.Position.Column : null,
                });
            }

            return new JsonObject
            {
                ["manifests"] = manifests,
                ["files"] = files,
                ["errors"] = findings.Count(f => f.Rule.Level == FindingLevel.Error),
                ["warnings"] = findings.Count(f => f.Rule.Level == FindingLevel.Warning),
                ["findings"] = list,
            };
        }
    }
}
