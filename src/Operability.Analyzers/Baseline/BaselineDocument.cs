using System.Collections.Generic;
using Operability.Manifest;
using Operability.Manifest.Json;

namespace Operability.Analyzers.Baseline
{
    /// <summary>One accepted violation in <c>operability.baseline.json</c>.</summary>
    internal sealed class BaselineEntry
    {
        public BaselineEntry(int index, BaselineFingerprint fingerprint, string justification, SourcePosition position)
        {
            Index = index;
            Fingerprint = fingerprint;
            Justification = justification;
            Position = position;
        }

        /// <summary>The entry's place in the file's <c>entries</c> array, from 0.</summary>
        public int Index { get; }

        public BaselineFingerprint Fingerprint { get; }

        public string Justification { get; }

        /// <summary>Where the entry's object starts in the file.</summary>
        public SourcePosition Position { get; }
    }

    /// <summary>A part of the baseline file that is not understood, with where it is.</summary>
    internal sealed class BaselineProblem
    {
        public BaselineProblem(string message, SourcePosition position)
        {
            Message = message;
            Position = position;
        }

        public string Message { get; }

        public SourcePosition Position { get; }
    }

    /// <summary>
    /// The baseline file: <c>{ "version": 1, "entries": [ { "rule", "file", "member", "expression", "occurrence",
    /// "justification" } ] }</c>. Read with the manifest's JSON reader (no System.Text.Json in the compiler host);
    /// an entry that is not understood is left out and named in <see cref="Problems"/>, the others still count.
    /// </summary>
    internal sealed class BaselineDocument
    {
        public const string FileName = "operability.baseline.json";
        public const int CurrentVersion = 1;

        /// <summary>The suppressor's suppression IDs are the rule's with this prefix (<c>OPSB101</c> suppresses OPS101); the writer recognises its own suppressions in SARIF by it.</summary>
        public const string SuppressionIdPrefix = "OPSB";

        private static readonly string[] EntryProperties = { "rule", "file", "member", "expression", "occurrence", "justification" };

        private BaselineDocument(List<BaselineEntry> entries, List<BaselineProblem> problems)
        {
            Entries = entries;
            Problems = problems;
        }

        public IReadOnlyList<BaselineEntry> Entries { get; }

        public IReadOnlyList<BaselineProblem> Problems { get; }

        public static BaselineDocument Parse(string text)
        {
            var entries = new List<BaselineEntry>();
            var problems = new List<BaselineProblem>();
            var read = JsonReader.Read(text);
            if (read.Error is { } error)
            {
                problems.Add(new BaselineProblem(error.Message, error.Position));
                return new BaselineDocument(entries, problems);
            }

            if (read.Root is not JsonObject root)
            {
                problems.Add(new BaselineProblem("the baseline must be a JSON object with \"version\" and \"entries\", not " + read.Root!.KindDescription, read.Root.Position));
                return new BaselineDocument(entries, problems);
            }

            var version = root.Find("version");
            if (version is null)
            {
                problems.Add(new BaselineProblem("\"version\" is missing; this tool writes version " + CurrentVersion, root.Position));
            }
            else if (version.Value is not JsonNumber { DecimalValue: CurrentVersion })
            {
                problems.Add(new BaselineProblem("\"version\" must be " + CurrentVersion + ", the only format this package reads", version.Value.Position));
                return new BaselineDocument(entries, problems);
            }

            var list = root.Find("entries");
            if (list?.Value is not JsonArray array)
            {
                problems.Add(new BaselineProblem("\"entries\" must be an array of entries", list?.Value.Position ?? root.Position));
                return new BaselineDocument(entries, problems);
            }

            for (var i = 0; i < array.Items.Count; i++)
            {
                if (ReadEntry(i, array.Items[i], problems) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            return new BaselineDocument(entries, problems);
        }

        private static BaselineEntry? ReadEntry(int index, JsonNode node, List<BaselineProblem> problems)
        {
            var where = "entries[" + index + "]";
            if (node is not JsonObject entry)
            {
                problems.Add(new BaselineProblem(where + " must be an object, not " + node.KindDescription, node.Position));
                return null;
            }

            var valid = true;
            foreach (var property in entry.Properties)
            {
                if (System.Array.IndexOf(EntryProperties, property.Name) < 0)
                {
                    problems.Add(new BaselineProblem(where + " has an unknown property \"" + property.Name + "\"; an entry has " + string.Join(", ", EntryProperties), property.NamePosition));
                    valid = false;
                }
            }

            var rule = String(entry, "rule", where, required: true, problems, ref valid);
            var file = String(entry, "file", where, required: true, problems, ref valid);
            var member = String(entry, "member", where, required: false, problems, ref valid);
            var expression = String(entry, "expression", where, required: false, problems, ref valid);
            var justification = String(entry, "justification", where, required: true, problems, ref valid);
            if (justification is { Length: 0 })
            {
                problems.Add(new BaselineProblem(where + " has an empty \"justification\"; say why the violation is accepted for now", entry.Find("justification")!.Value.Position));
                valid = false;
            }

            var occurrence = 0;
            if (entry.Find("occurrence") is { } occurrenceProperty)
            {
                if (occurrenceProperty.Value is JsonNumber { DecimalValue: { } number } && number >= 0 && number <= int.MaxValue && decimal.Truncate(number) == number)
                {
                    occurrence = (int)number;
                }
                else
                {
                    problems.Add(new BaselineProblem(where + " \"occurrence\" must be a whole number from 0, not " + Describe(occurrenceProperty.Value), occurrenceProperty.Value.Position));
                    valid = false;
                }
            }

            if (!valid || rule is null || file is null || justification is null)
            {
                return null;
            }

            return new BaselineEntry(index, new BaselineFingerprint(rule, file, member ?? string.Empty, expression ?? string.Empty, occurrence), justification, entry.Position);
        }

        private static string? String(JsonObject entry, string name, string where, bool required, List<BaselineProblem> problems, ref bool valid)
        {
            var property = entry.Find(name);
            if (property is null)
            {
                if (required)
                {
                    problems.Add(new BaselineProblem(where + " has no \"" + name + "\"", entry.Position));
                    valid = false;
                }

                return null;
            }

            if (property.Value is JsonString text)
            {
                return text.Value;
            }

            problems.Add(new BaselineProblem(where + " \"" + name + "\" must be a string, not " + property.Value.KindDescription, property.Value.Position));
            valid = false;
            return null;
        }

        private static string Describe(JsonNode node) => node is JsonNumber number ? number.RawText : node.KindDescription;
    }
}
