using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Operability.Templates.Tests
{
    /// <summary>The template hangs together: every condition reads real symbols, every error is reported, no token eats another.</summary>
    public sealed class TemplateStructureTests
    {
        private static readonly TemplateDefinition Template = TemplateDefinition.OperableService;

        private static readonly string[] ErrorSymbols =
        {
            "nameInvalid", "ownerInvalid", "contactsInvalid", "exposureNegative", "exposureMalformed",
            "targetConflict", "deploymentConflict", "databaseInvalid", "dependencyInvalid",
        };

        [Fact]
        public void Identity()
        {
            Assert.Equal("Operability.Templates.OperableService", Template.Root.GetProperty("identity").GetString());
            Assert.Equal("operable-service", Template.Root.GetProperty("shortName").GetString());
            Assert.Equal("OperableService.1", Template.Root.GetProperty("sourceName").GetString());
            Assert.True(Template.Symbols["owner"].GetProperty("isRequired").GetBoolean());
        }

        [Fact]
        public void EveryConditionInTemplateJson_ReadsOnlySymbols()
        {
            var conditions = new List<string>();
            foreach (var (name, symbol) in Template.Symbols)
            {
                if (symbol.GetProperty("type").GetString() == "computed")
                {
                    conditions.Add(symbol.GetProperty("value").GetString()!);
                }
                else if (symbol.TryGetProperty("generator", out var generator) && generator.GetString() == "switch")
                {
                    conditions.AddRange(Template.SwitchCases(name).Select(c => c.Condition));
                }
            }

            conditions.AddRange(Template.Root.GetProperty("postActions").EnumerateArray().Select(a => a.GetProperty("condition").GetString()!));
            foreach (var source in Template.Root.GetProperty("sources").EnumerateArray())
            {
                conditions.AddRange(source.GetProperty("modifiers").EnumerateArray().Select(m => m.GetProperty("condition").GetString()!));
            }

            AssertSymbols(conditions, "template.json");
        }

        [Fact]
        public void EveryConditionInTheContent_ReadsOnlySymbols()
        {
            var directive = new Regex(@"#(?:if|elif)\s*(\(.*\))\s*(?:-->)?\s*$", RegexOptions.Multiline);
            foreach (var file in ContentFiles())
            {
                var conditions = directive.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).ToList();
                AssertSymbols(conditions, Path.GetRelativePath(Template.ContentDirectory, file));
            }
        }

        [Fact]
        public void EveryParameterError_IsPrintedByAPostAction_AndStopsTheBuild()
        {
            var postActionConditions = Template.Root.GetProperty("postActions").EnumerateArray().Select(a => a.GetProperty("condition").GetString()!).ToList();
            var props = File.ReadAllText(Path.Combine(Template.ContentDirectory, "Directory.Build.props"));
            var parameterError = Template.Symbols["parameterError"].GetProperty("value").GetString()!;

            foreach (var error in ErrorSymbols)
            {
                Assert.Contains(postActionConditions, c => ConditionExpression.Identifiers(c).Contains(error));
                Assert.Contains($"<!--#if ({error}) -->", props, StringComparison.Ordinal);
                Assert.Contains(error, ConditionExpression.Identifiers(parameterError));
            }
        }

        [Fact]
        public void RestoreRuns_OnlyWithoutErrors_AndUnlessSkipped()
        {
            var restore = Template.Root.GetProperty("postActions").EnumerateArray()
                .Single(a => a.GetProperty("actionId").GetString()!.Equals("210D431B-A78B-4D2F-B762-4ED3E3EA9025", StringComparison.OrdinalIgnoreCase));
            var condition = restore.GetProperty("condition").GetString()!;

            Assert.True(ConditionExpression.Evaluate(condition, s => s switch { "skipRestore" => false, "parameterError" => false, _ => null }));
            Assert.False(ConditionExpression.Evaluate(condition, s => s switch { "skipRestore" => true, "parameterError" => false, _ => null }));
            Assert.False(ConditionExpression.Evaluate(condition, s => s switch { "skipRestore" => false, "parameterError" => true, _ => null }));
        }

        [Fact]
        public void ReplacedTokens_AreDeclaredOnce_AndNoneContainsAnother()
        {
            var tokens = Template.Symbols.Values
                .Where(s => s.TryGetProperty("replaces", out _))
                .Select(s => s.GetProperty("replaces").GetString()!)
                .ToList();

            Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(tokens, other => other != token && other.Contains(token, StringComparison.Ordinal));
                Assert.False(token.Contains("OperableService", StringComparison.Ordinal), token);
            }

            var used = ContentFiles().SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bOPERABLE_[A-Z_]+\b").Select(m => m.Value)).Distinct();
            Assert.All(used, token => Assert.Contains(token, tokens));
        }

        [Fact]
        public void PrimaryOutputs_AndExcludedFiles_Exist()
        {
            foreach (var output in Template.Root.GetProperty("primaryOutputs").EnumerateArray())
            {
                Assert.True(File.Exists(Path.Combine(Template.ContentDirectory, output.GetProperty("path").GetString()!)), output.ToString());
            }

            foreach (var modifier in Template.Root.GetProperty("sources").EnumerateArray().SelectMany(s => s.GetProperty("modifiers").EnumerateArray()))
            {
                foreach (var pattern in modifier.GetProperty("exclude").EnumerateArray().Select(e => e.GetString()!))
                {
                    var path = Path.Combine(Template.ContentDirectory, pattern.Replace("/**", string.Empty, StringComparison.Ordinal));
                    Assert.True(File.Exists(path) || Directory.Exists(path), pattern);
                }
            }
        }

        [Fact]
        public void ScaffoldVersion_IsAPropertyThePackStamps()
        {
            var props = File.ReadAllText(Path.Combine(Template.ContentDirectory, "Directory.Build.props"));
            var packages = File.ReadAllText(Path.Combine(Template.ContentDirectory, "Directory.Packages.props"));

            Assert.Single(Regex.Matches(props, "<OperabilityVersion>[^<]*</OperabilityVersion>"));
            Assert.Contains("<PackageVersion Include=\"Operability.AspNetCore\" Version=\"$(OperabilityVersion)\" />", packages, StringComparison.Ordinal);
            Assert.Contains("<PackageVersion Include=\"Operability.Analyzers\" Version=\"$(OperabilityVersion)\" />", packages, StringComparison.Ordinal);
        }

        [Fact]
        public void ScaffoldPackageVersions_AreTheRepositorysCentralVersions()
        {
            static Dictionary<string, string> Versions(string props) =>
                Regex.Matches(props, "<PackageVersion Include=\"([^\"]+)\" Version=\"([^\"]+)\" />").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(root.FullName, "Operability.sln")))
            {
                root = root.Parent ?? throw new InvalidOperationException("Operability.sln not found above " + AppContext.BaseDirectory);
            }

            var scaffold = Versions(File.ReadAllText(Path.Combine(Template.ContentDirectory, "Directory.Packages.props")));
            var central = Versions(File.ReadAllText(Path.Combine(root.FullName, "Directory.Packages.props")));

            Assert.Contains("OpenTelemetry.Exporter.OpenTelemetryProtocol", scaffold.Keys);
            foreach (var (id, version) in scaffold.Where(p => !p.Key.StartsWith("Operability.", StringComparison.Ordinal)))
            {
                Assert.True(central.TryGetValue(id, out var pinned) && pinned == version, $"The scaffold pins {id} {version}; the repository's Directory.Packages.props has {pinned ?? "none"}.");
            }
        }

        [Fact]
        public void AlertRules_SelectTheJobThePodMonitorSets()
        {
            var serviceToken = Template.Symbols["serviceName"].GetProperty("replaces").GetString()!;
            var kubernetes = Path.Combine(Template.ContentDirectory, "deploy", "kubernetes");
            var monitor = File.ReadAllText(Path.Combine(kubernetes, "podmonitor.yaml"));
            var alerts = File.ReadAllText(Path.Combine(Template.ContentDirectory, "deploy", "prometheus", "alerts.yml"));

            Assert.Contains("kind: PodMonitor", monitor, StringComparison.Ordinal);
            Assert.Contains("jobLabel: app.kubernetes.io/name", monitor, StringComparison.Ordinal);
            Assert.Matches(new Regex(@"- action: replace\s+targetLabel: job\s+replacement: " + Regex.Escape(serviceToken) + @"\s*$", RegexOptions.Multiline), monitor);
            Assert.Contains("  - podmonitor.yaml", File.ReadAllText(Path.Combine(kubernetes, "kustomization.yaml")), StringComparison.Ordinal);
            Assert.Equal(new[] { serviceToken }, Regex.Matches(alerts, "\\bjob=\"([^\"]*)\"").Select(m => m.Groups[1].Value).Distinct());
        }

        [Fact]
        public void OnlyTheServiceProject_WritesTheSarifLog_TheWorkflowUploads()
        {
            var props = File.ReadAllText(Path.Combine(Template.ContentDirectory, "Directory.Build.props"));
            var ci = File.ReadAllText(Path.Combine(Template.ContentDirectory, ".github", "workflows", "ci.yml"));
            var sourceName = Template.Root.GetProperty("sourceName").GetString()!;

            Assert.Single(Regex.Matches(props, "<ErrorLog>"));
            Assert.Contains("<ErrorLog>$(SarifDirectory)$(MSBuildProjectName).sarif,version=2.1</ErrorLog>", props, StringComparison.Ordinal);
            Assert.Contains("!$(MSBuildProjectName.EndsWith('.Tests'))", props, StringComparison.Ordinal);
            Assert.Single(Regex.Matches(ci, "upload-sarif@"));
            Assert.Contains($"sarif_file: artifacts/sarif/{sourceName}.sarif", ci, StringComparison.Ordinal);
            Assert.Contains($"hashFiles('artifacts/sarif/{sourceName}.sarif')", ci, StringComparison.Ordinal);
            Assert.Contains("github.event.pull_request.head.repo.fork != true", ci, StringComparison.Ordinal);
        }

        private static IEnumerable<string> ContentFiles() =>
            Directory.EnumerateFiles(Template.ContentDirectory, "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + ".template.config" + Path.DirectorySeparatorChar, StringComparison.Ordinal));

        private static void AssertSymbols(IEnumerable<string> conditions, string where)
        {
            foreach (var condition in conditions)
            {
                foreach (var identifier in ConditionExpression.Identifiers(condition))
                {
                    Assert.True(Template.Symbols.ContainsKey(identifier), $"{where}: condition '{condition}' reads '{identifier}', which is not a symbol.");
                }
            }
        }
    }
}
