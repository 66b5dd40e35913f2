using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>
    /// Writes the part of an <c>operability.json</c> that <c>select</c> decides — availability target (and exposure),
    /// deployment target (and feature demand), on-call levels, foundational — into a new file or an existing one.
    /// An existing file is edited in place: only the values written change, new properties are added after the last
    /// one of their object in its style (one line or one per line, its indentation and line endings), and every other
    /// byte — properties, order, comments, formatting — stays as it was.
    /// </summary>
    internal static class ManifestFragment
    {
        private const string Schema = "https://raw.githubusercontent.com/operability/operability/main/schemas/operability.schema.json";

        /// <summary>One property to set: a top-level scalar (<see cref="Member"/> null) or a member of a top-level object.</summary>
        internal sealed record Setting(string Top, string? Member, string Json);

        /// <summary>The settings a selection calls for; null (after a message) when the manifest cannot express it.</summary>
        internal static IReadOnlyList<Setting>? SettingsFor(SelectCommand.SelectOutcome outcome, string? service, string? owner, bool existingFoundational, TextWriter error)
        {
            var settings = new List<Setting>();
            if (service is not null)
            {
                settings.Add(new Setting("service", null, Text(service)));
            }

            if (owner is not null)
            {
                settings.Add(new Setting("owner", null, Text(owner)));
            }

            settings.Add(new Setting("availability", "target", CommonOptions.Number(outcome.Target)));
            if (outcome.Input.Exposure is decimal exposure)
            {
                settings.Add(new Setting("availability", "financialExposurePerHour", CommonOptions.Number(exposure)));
            }

            if (outcome.Input.Demand is FeatureDemand demand)
            {
                settings.Add(new Setting("deployment", "featureDemand", Text(ManifestBuilder.FeatureDemandWords[(int)demand])));
            }

            // deployment.target names one of the four targets; a policy's "N per week" follows from featureDemand instead.
            if (outcome.Deployment.Named is not null)
            {
                settings.Add(new Setting("deployment", "target", Text(outcome.Deployment.ToString())));
            }
            else if (outcome.Input.Demand is null)
            {
                error.WriteLine("error: --write: operability.json's deployment.target is monthly, fortnightly, weekly or daily; \""
                    + outcome.Deployment + "\" can only follow from deployment.featureDemand: give --feature-demand.");
                return null;
            }

            settings.Add(new Setting("onCall", "workingHours", Text(ManifestBuilder.OnCallWords[(int)outcome.WorkingHours])));
            settings.Add(new Setting("onCall", "outOfHours", Text(ManifestBuilder.OnCallWords[(int)outcome.OutOfHours])));

            // false is the default: written only to correct a file that says true, never added.
            if (outcome.Input.Foundational || existingFoundational)
            {
                settings.Add(new Setting("foundational", null, outcome.Input.Foundational ? "true" : "false"));
            }

            return settings;
        }

        /// <summary>
        /// Creates or updates <paramref name="path"/> with the selection. Refuses (and leaves the file alone) when it is
        /// not readable JSON, not an object, declares an edited property twice, or would not validate afterwards.
        /// </summary>
        /// <returns>One of <see cref="ExitCodes"/>.</returns>
        public static int Write(string path, SelectCommand.SelectOutcome outcome, string? service, string? owner, TextWriter error)
        {
            bool exists = File.Exists(path);
            byte[] original;
            if (exists)
            {
                try
                {
                    original = File.ReadAllBytes(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine(path + ": error: the manifest cannot be read: " + e.Message + "; nothing was written.");
                    return ExitCodes.InputUnreadable;
                }
            }
            else
            {
                if (service is null || owner is null)
                {
                    error.WriteLine("error: --write " + path + " creates the manifest: give --service and --owner too (a manifest names its service and its one owning team).");
                    return ExitCodes.Usage;
                }

                original = Encoding.UTF8.GetBytes("{\n  \"$schema\": \"" + Schema + "\"\n}\n");
            }

            string originalText = Decode(original);
            ManifestParseResult before = ManifestParser.Parse(originalText);
            ManifestDiagnostic? syntax = before.Diagnostics.FirstOrDefault(d => d.Kind == ManifestDiagnosticKind.Syntax);
            if (syntax is not null)
            {
                error.WriteLine(path + ":" + syntax.Position + ": error: " + syntax.Message + " The manifest is malformed; nothing was written.");
                return ExitCodes.InputUnreadable;
            }

            IReadOnlyList<Setting>? settings = SettingsFor(outcome, service, owner, before.Manifest?.Foundational == true, error);
            if (settings is null)
            {
                return ExitCodes.Usage;
            }

            byte[] updated;
            try
            {
                updated = Apply(original, settings);
            }
            catch (FragmentException e)
            {
                error.WriteLine(path + ":" + e.Position + ": error: " + e.Message + "; nothing was written.");
                return ExitCodes.InputUnreadable;
            }

            ManifestParseResult after = ManifestParser.Parse(Decode(updated));
            if (after.Diagnostics.Any(d => d.Kind == ManifestDiagnosticKind.Syntax) || (!exists && after.HasErrors))
            {
                foreach (ManifestDiagnostic diagnostic in after.Diagnostics)
                {
                    error.WriteLine(path + ":" + diagnostic.Position + ": error: " + diagnostic.Message);
                }

                error.WriteLine(path + ": error: the manifest would not validate; nothing was written.");
                return ExitCodes.Usage;
            }

            // Beside the target, then moved over it: a reader never sees half a file.
            string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                File.WriteAllBytes(temporary, updated);
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine(path + ": error: the manifest cannot be written: " + e.Message);
                return ExitCodes.InputUnreadable;
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            foreach (ManifestDiagnostic diagnostic in after.Diagnostics)
            {
                error.WriteLine(path + ":" + diagnostic.Position + ": warning: " + diagnostic.Message);
            }

            error.WriteLine((exists ? "updated " : "created ") + path);
            return ExitCodes.Ok;
        }

        /// <summary>The document with every setting applied; only the bytes of the values set, and the properties added, change.</summary>
        internal static byte[] Apply(byte[] document, IReadOnlyList<Setting> settings)
        {
            int bom = document.Length >= 3 && document[0] == 0xEF && document[1] == 0xBB && document[2] == 0xBF ? 3 : 0;
            ObjectSpan root = Spans(document, bom);
            string newline = Decode(document).Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
            var edits = new List<(int Start, int End, string Text)>();
            var rootAdditions = new List<(string Name, string Json)>();
            foreach (var group in settings.GroupBy(s => s.Top))
            {
                PropertySpan? existing = root.Find(group.Key, document);
                if (existing is null)
                {
                    string json = group.First().Member is null ? group.Last().Json : Inline(group);
                    rootAdditions.Add((group.Key, json));
                }
                else if (group.First().Member is null)
                {
                    edits.Add((existing.ValueStart, existing.ValueEnd, group.Last().Json));
                }
                else if (existing.Object is null)
                {
                    // Not an object (a wrong type): the whole value is replaced by the object it should be.
                    edits.Add((existing.ValueStart, existing.ValueEnd, Inline(group)));
                }
                else
                {
                    var additions = new List<(string, string)>();
                    foreach (Setting setting in group)
                    {
                        PropertySpan? member = existing.Object.Find(setting.Member!, document);
                        if (member is null)
                        {
                            additions.Add((setting.Member!, setting.Json));
                        }
                        else
                        {
                            edits.Add((member.ValueStart, member.ValueEnd, setting.Json));
                        }
                    }

                    Add(document, existing.Object, additions, newline, edits);
                }
            }

            Add(document, root, rootAdditions, newline, edits);

            var result = new List<byte>(document.Length + 256);
            int at = 0;
            foreach (var edit in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
            {
                result.AddRange(new ArraySegment<byte>(document, at, edit.Start - at));
                result.AddRange(Encoding.UTF8.GetBytes(edit.Text));
                at = edit.End;
            }

            result.AddRange(new ArraySegment<byte>(document, at, document.Length - at));
            return result.ToArray();
        }

        private static string Inline(IEnumerable<Setting> members) =>
            "{ " + string.Join(", ", members.Select(m => Text(m.Member!) + ": " + m.Json)) + " }";

        private static string Text(string value) => JsonSerializer.Serialize(value, JsonOutput.Options);

        private static string Decode(byte[] bytes) => new UTF8Encoding(false).GetString(bytes);

        /// <summary>Adds properties at the end of <paramref name="target"/>, on their own lines when its properties are.</summary>
        private static void Add(byte[] document, ObjectSpan target, List<(string Name, string Json)> additions, string newline, List<(int, int, string)> edits)
        {
            if (additions.Count == 0)
            {
                return;
            }

            IEnumerable<string> properties = additions.Select(a => Text(a.Name) + ": " + a.Json);
            if (target.Properties.Count == 0)
            {
                if (Line(document, target.Open) == Line(document, target.Close))
                {
                    edits.Add((target.Open + 1, target.Close, " " + string.Join(", ", properties) + " "));
                }
                else
                {
                    string indent = Indent(document, target.Close) + "  ";
                    edits.Add((target.Open + 1, target.Open + 1, newline + indent + string.Join("," + newline + indent, properties)));
                }

                return;
            }

            PropertySpan last = target.Properties[^1];
            if (Line(document, last.NameStart) == Line(document, target.Open))
            {
                edits.Add((last.ValueEnd, last.ValueEnd, string.Concat(properties.Select(p => ", " + p))));
                return;
            }

            string lineIndent = Indent(document, last.NameStart);
            string added = string.Concat(properties.Select(p => "," + newline + lineIndent + p));
            int afterValue = last.ValueEnd;
            int scan = afterValue;
            while (scan < target.Close && (document[scan] == (byte)' ' || document[scan] == (byte)'\t'))
            {
                scan++;
            }

            bool comma = scan < target.Close && document[scan] == (byte)',';
            int beyondComma = comma ? scan + 1 : scan;
            while (beyondComma < target.Close && (document[beyondComma] == (byte)' ' || document[beyondComma] == (byte)'\t'))
            {
                beyondComma++;
            }

            if (beyondComma + 1 < target.Close && document[beyondComma] == (byte)'/' && document[beyondComma + 1] == (byte)'/')
            {
                // A comment ends the last property's line: the new properties go after it, the comma before it.
                int lineEnd = beyondComma;
                while (lineEnd < target.Close && document[lineEnd] != (byte)'\n' && document[lineEnd] != (byte)'\r')
                {
                    lineEnd++;
                }

                if (!comma)
                {
                    edits.Add((afterValue, afterValue, ","));
                }

                edits.Add((lineEnd, lineEnd, newline + lineIndent + string.Join("," + newline + lineIndent, properties)));
                return;
            }

            edits.Add((afterValue, afterValue, added));
        }

        private static int Line(byte[] document, int offset)
        {
            int line = 0;
            for (int i = 0; i < offset; i++)
            {
                line += document[i] == (byte)'\n' ? 1 : 0;
            }

            return line;
        }

        private static string Indent(byte[] document, int offset)
        {
            int start = offset;
            while (start > 0 && document[start - 1] != (byte)'\n')
            {
                start--;
            }

            int end = start;
            while (end < offset && (document[end] == (byte)' ' || document[end] == (byte)'\t'))
            {
                end++;
            }

            return Encoding.UTF8.GetString(document, start, end - start);
        }

        private static ObjectSpan Spans(byte[] document, int bom)
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(document, bom, document.Length - bom), new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                MaxDepth = 64,
            });
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new FragmentException(new SourcePosition(1, 1), "the manifest is not a JSON object");
                }

                return ReadObject(ref reader, bom);
            }
            catch (JsonException e)
            {
                // The manifest parser accepted the text; this reader did not (an edge both treat differently).
                throw new FragmentException(new SourcePosition((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), "the manifest cannot be edited: " + e.Message.Split(" LineNumber:", 2)[0]);
            }
        }

        private static ObjectSpan ReadObject(ref Utf8JsonReader reader, int bom)
        {
            var span = new ObjectSpan((int)reader.TokenStartIndex + bom);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    span.Close = (int)reader.TokenStartIndex + bom;
                    return span;
                }

                string name = reader.GetString()!;
                int nameStart = (int)reader.TokenStartIndex + bom;
                reader.Read();
                int valueStart = (int)reader.TokenStartIndex + bom;
                ObjectSpan? child = null;
                int valueEnd;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    child = ReadObject(ref reader, bom);
                    valueEnd = child.Close + 1;
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    reader.Skip();
                    valueEnd = (int)reader.TokenStartIndex + bom + 1;
                }
                else
                {
                    valueEnd = valueStart + reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0);
                }

                span.Properties.Add(new PropertySpan(name, nameStart, valueStart, valueEnd, child));
            }

            throw new FragmentException(default, "the manifest ends inside an object");
        }

        /// <summary>Where a property and its value are in the bytes.</summary>
        private sealed record PropertySpan(string Name, int NameStart, int ValueStart, int ValueEnd, ObjectSpan? Object);

        /// <summary>Where an object's braces are, and its properties.</summary>
        private sealed class ObjectSpan(int open)
        {
            public int Open { get; } = open;

            public int Close { get; set; }

            public List<PropertySpan> Properties { get; } = new();

            /// <summary>The property named <paramref name="name"/>; a second one is refused: which of them counts is unclear.</summary>
            public PropertySpan? Find(string name, byte[] document)
            {
                PropertySpan[] found = Properties.Where(p => p.Name == name).ToArray();
                if (found.Length > 1)
                {
                    throw new FragmentException(Position(document, found[1].NameStart), "\"" + name + "\" is declared twice (also at " + Position(document, found[0].NameStart) + ")");
                }

                return found.Length == 1 ? found[0] : null;
            }

            private static SourcePosition Position(byte[] document, int offset)
            {
                int line = 1;
                int lineStart = 0;
                for (int i = 0; i < offset; i++)
                {
                    if (document[i] == (byte)'\n')
                    {
                        line++;
                        lineStart = i + 1;
                    }
                }

                // Columns count UTF-16 code units, as every other position the tool reports does.
                return new SourcePosition(line, Encoding.UTF8.GetString(document, lineStart, offset - lineStart).TrimStart('\uFEFF').Length + 1);
            }
        }

        /// <summary>The existing file cannot be edited safely, at a position.</summary>
        private sealed class FragmentException(SourcePosition position, string message) : Exception(message)
        {
            public SourcePosition Position { get; } = position;
        }
    }
}
