using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Operability.Cli
{
    /// <summary>Findings as SARIF 2.1.0: one run, every rule with its id and help, each result at a file URI and region.</summary>
    internal static class Sarif
    {
        public static JsonObject Write(IReadOnlyList<Finding> findings)
        {
            var rules = new JsonArray();
            var ruleIndex = new Dictionary<string, int>();
            foreach (EstateRule rule in EstateRules.All)
            {
                ruleIndex[rule.Id] = rules.Count;
                rules.Add(new JsonObject
                {
                    ["id"] = rule.Id,
                    ["name"] = rule.Name,
                    ["shortDescription"] = new JsonObject { ["text"] = rule.Title },
                    ["fullDescription"] = new JsonObject { ["text"] = rule.Help },
                    ["help"] = new JsonObject { ["text"] = rule.Help },
                    ["helpUri"] = rule.HelpUri,
                    ["defaultConfiguration"] = new JsonObject { ["level"] = EstateCheckCommand.Level(rule.Level) },
                });
            }

            string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Environment.CurrentDirectory)) + Path.DirectorySeparatorChar;
            var results = new JsonArray();
            foreach (Finding finding in findings)
            {
                var physical = new JsonObject { ["artifactLocation"] = ArtifactLocation(finding.Path, root) };
                if (finding.Position.IsKnown)
                {
                    physical["region"] = new JsonObject { ["startLine"] = finding.Position.Line, ["startColumn"] = finding.Position.Column };
                }

                results.Add(new JsonObject
                {
                    ["ruleId"] = finding.Rule.Id,
                    ["ruleIndex"] = ruleIndex[finding.Rule.Id],
                    ["level"] = EstateCheckCommand.Level(finding.Rule.Level),
                    ["message"] = new JsonObject { ["text"] = finding.Message },
                    ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical }),
                });
            }

            return new JsonObject
            {
                ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
                ["version"] = "2.1.0",
                ["runs"] = new JsonArray(new JsonObject
                {
                    ["tool"] = new JsonObject
                    {
                        ["driver"] = new JsonObject
                        {
                            ["name"] = "dotnet-operability",
                            ["informationUri"] = "https://github.com/operability/operability/blob/main/docs/cli.md",
                            ["semanticVersion"] = Version(),
                            ["rules"] = rules,
                        },
                    },
                    ["originalUriBaseIds"] = new JsonObject { ["SRCROOT"] = new JsonObject { ["uri"] = new Uri(root).AbsoluteUri } },
                    ["results"] = results,
                }),
            };
        }

        // Code scanning resolves files relative to the repository: a path under the working directory is relative
        // to SRCROOT; any other is an absolute file URI.
        private static JsonObject ArtifactLocation(string path, string root)
        {
            string full = Path.GetFullPath(path);
            if (full.StartsWith(root, StringComparison.Ordinal))
            {
                string relative = full.Substring(root.Length).Replace(Path.DirectorySeparatorChar, '/');
                return new JsonObject { ["uri"] = Uri.EscapeDataString(relative).Replace("%2F", "/"), ["uriBaseId"] = "SRCROOT" };
            }

            return new JsonObject { ["uri"] = new Uri(full).AbsoluteUri };
        }

        private static string Version()
        {
            string? informational = typeof(Sarif).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return informational is null ? "0.0.0" : informational.Split('+')[0];
        }
    }
}
