using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Operability.Analyzers.Baseline;

namespace Operability.Cli
{
    /// <summary>
    /// The Operability violations in a compiler's SARIF log (<c>-p:ErrorLog=build.sarif%2Cversion=2.1</c>), as baseline
    /// fingerprints computed over the same files the compiler read, with the code the analyzers' suppressor uses.
    /// </summary>
    internal sealed class SarifFindings
    {
        private static readonly Regex BaselinedRule = new("^OPS[1-4][0-9][0-9]$", RegexOptions.CultureInvariant);

        private readonly Dictionary<string, SourceText?> _texts = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, SyntaxTree> _trees = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _projectDirectory;

        private SarifFindings(string projectDirectory) => _projectDirectory = projectDirectory;

        /// <summary>The violations to baseline, numbered as the suppressor numbers them.</summary>
        public List<BaselineFingerprint> Fingerprints { get; } = new();

        /// <summary>Violations of rules that are errors by default, which no suppressor may suppress.</summary>
        public List<string> NotBaselinable { get; } = new();

        /// <summary>Files a result names that could not be read.</summary>
        public List<string> Unreadable { get; } = new();

        /// <summary>Reads <paramref name="sarif"/>; throws <see cref="JsonException"/> or <see cref="IOException"/> when it cannot.</summary>
        public static SarifFindings Read(string sarif, string projectDirectory)
        {
            var findings = new SarifFindings(projectDirectory);
            using var document = JsonDocument.Parse(File.ReadAllText(sarif), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!document.RootElement.TryGetProperty("runs", out JsonElement runs) || runs.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("it has no \"runs\" array; pass the compiler's error log in SARIF 2.1 (-p:ErrorLog=build.sarif%2Cversion=2.1)");
            }

            var seen = new HashSet<BaselineFingerprint>();
            foreach (JsonElement run in runs.EnumerateArray())
            {
                foreach (BaselineFingerprint fingerprint in findings.ReadRun(run))
                {
                    // Several runs (one per target framework) report the same violation: list it once.
                    if (seen.Add(fingerprint))
                    {
                        findings.Fingerprints.Add(fingerprint);
                    }
                }
            }

            return findings;
        }

        private List<BaselineFingerprint> ReadRun(JsonElement run)
        {
            HashSet<string> errorsByDefault = ErrorsByDefault(run);
            var located = new List<(BaselineFingerprint Fingerprint, int Line, int Column)>();
            if (!run.TryGetProperty("results", out JsonElement results) || results.ValueKind != JsonValueKind.Array)
            {
                return new List<BaselineFingerprint>();
            }

            foreach (JsonElement result in results.EnumerateArray())
            {
                string rule = String(result, "ruleId") ?? string.Empty;
                string level = String(result, "level") ?? "warning";
                if (!BaselinedRule.IsMatch(rule) || (level != "warning" && level != "error") || SuppressedOtherwise(result))
                {
                    continue;
                }

                (BaselineFingerprint fingerprint, int line, int column, string where) = Locate(rule, result);
                if (errorsByDefault.Contains(rule))
                {
                    NotBaselinable.Add(rule + " at " + where);
                    continue;
                }

                located.Add((fingerprint, line, column));
            }

            // The suppressor's order: by file, then position.
            located.Sort((a, b) =>
            {
                int byFile = string.CompareOrdinal(a.Fingerprint.File, b.Fingerprint.File);
                return byFile != 0 ? byFile : a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column);
            });
            return BaselineFingerprint.Number(located.ConvertAll(l => l.Fingerprint));
        }

        private (BaselineFingerprint Fingerprint, int Line, int Column, string Where) Locate(string rule, JsonElement result)
        {
            if (!result.TryGetProperty("locations", out JsonElement locations) || locations.ValueKind != JsonValueKind.Array || locations.GetArrayLength() == 0
                || !locations[0].TryGetProperty("physicalLocation", out JsonElement physical)
                || !physical.TryGetProperty("artifactLocation", out JsonElement artifact)
                || String(artifact, "uri") is not { } uri)
            {
                return (BaselineFingerprint.Unlocated(rule), 0, 0, "(no location)");
            }

            string path = Uri.TryCreate(uri, UriKind.Absolute, out Uri? absolute) && absolute.IsFile
                ? absolute.LocalPath
                : Path.GetFullPath(Path.Combine(_projectDirectory, Uri.UnescapeDataString(uri)));
            string file = BaselineFingerprint.RelativePath(path, _projectDirectory);
            physical.TryGetProperty("region", out JsonElement region);
            int startLine = Number(region, "startLine", 1);
            int startColumn = Number(region, "startColumn", 1);
            var span = new LinePositionSpan(
                new LinePosition(startLine - 1, startColumn - 1),
                new LinePosition(Number(region, "endLine", startLine) - 1, Number(region, "endColumn", startColumn) - 1));
            string where = file + "(" + startLine + "," + startColumn + ")";
            if (Text(path) is not { } text)
            {
                Unreadable.Add(path);
                return (new BaselineFingerprint(rule, file, string.Empty, string.Empty, 0), startLine, startColumn, where);
            }

            BaselineFingerprint fingerprint = path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)
                ? BaselineFingerprint.InSource(rule, file, Tree(path, text), BaselineFingerprint.ToTextSpan(text, span), text)
                : BaselineFingerprint.InFile(rule, file, text, span);
            return (fingerprint, startLine, startColumn, where);
        }

        private SourceText? Text(string path)
        {
            if (!_texts.TryGetValue(path, out SourceText? text))
            {
                try
                {
                    using FileStream stream = File.OpenRead(path);
                    text = SourceText.From(stream);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    text = null;
                }

                _texts[path] = text;
            }

            return text;
        }

        private SyntaxTree Tree(string path, SourceText text)
        {
            if (!_trees.TryGetValue(path, out SyntaxTree? tree))
            {
                // The newest language version: the compiler that wrote the log parsed the file at least as new.
                tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), path);
                _trees[path] = tree;
            }

            return tree;
        }

        // A result the team suppressed some other way (#pragma, [SuppressMessage], a suppressor of its own) stays out;
        // one this package's baseline suppressed is a violation still, and is written again.
        private static bool SuppressedOtherwise(JsonElement result)
        {
            if (!result.TryGetProperty("suppressions", out JsonElement suppressions) || suppressions.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (JsonElement suppression in suppressions.EnumerateArray())
            {
                string type = suppression.TryGetProperty("properties", out JsonElement properties) ? String(properties, "suppressionType") ?? string.Empty : string.Empty;
                if (!type.Contains("Suppression Id: " + BaselineDocument.SuppressionIdPrefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static HashSet<string> ErrorsByDefault(JsonElement run)
        {
            var errors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (run.TryGetProperty("tool", out JsonElement tool) && tool.TryGetProperty("driver", out JsonElement driver)
                && driver.TryGetProperty("rules", out JsonElement rules) && rules.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement rule in rules.EnumerateArray())
                {
                    if (rule.TryGetProperty("defaultConfiguration", out JsonElement configuration) && String(configuration, "level") == "error" && String(rule, "id") is { } id)
                    {
                        errors.Add(id);
                    }
                }
            }

            return errors;
        }

        private static string? String(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static int Number(JsonElement element, string name, int fallback) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.TryGetInt32(out int number) && number > 0 ? number : fallback;
    }
}
