using System;
using System.Text;
using Operability.Manifest.Json;

namespace Operability.Analyzers
{
    /// <summary>
    /// Adds a database to a manifest's <c>databases</c> by inserting text, so that comments, order and
    /// formatting of everything else stay as the team wrote them (no re-serialisation).
    /// </summary>
    internal static class ManifestDatabaseEdit
    {
        /// <summary>
        /// The manifest with <c>{ "name": name, "connectionStrings": [connectionString] }</c> appended to
        /// <c>databases</c> (the array is created when absent); null when the text cannot be edited safely
        /// (malformed JSON, <c>databases</c> that is not an array, a root that is not an object).
        /// </summary>
        public static string? AddDatabase(string text, string name, string? connectionString)
        {
            if (text is null || string.IsNullOrEmpty(name))
            {
                return null;
            }

            var json = JsonReader.Read(text);
            if (json.Error != null || !(json.Root is JsonObject root))
            {
                return null;
            }

            var entry = "{ \"name\": " + Quote(name)
                + (string.IsNullOrEmpty(connectionString) ? string.Empty : ", \"connectionStrings\": [" + Quote(connectionString!) + "]")
                + " }";

            var lines = LineStarts(text);
            var databases = root.Find("databases");
            if (databases != null)
            {
                if (!(databases.Value is JsonArray array))
                {
                    return null;
                }

                var open = Offset(lines, array.Position);
                var close = MatchingClose(text, open);
                if (close < 0)
                {
                    return null;
                }

                if (array.Items.Count == 0)
                {
                    return text.Substring(0, open + 1) + " " + entry + " " + text.Substring(close).TrimStartSpaces();
                }

                var last = LastSignificant(text, open + 1, close);
                var between = text.Substring(open, close - open);
                if (between.IndexOf('\n') >= 0)
                {
                    var lastItem = array.Items[array.Items.Count - 1];
                    var indent = new string(' ', Math.Max(0, lastItem.Position.Column - 1));
                    var comma = text[last] == ',' ? string.Empty : ",";
                    return text.Substring(0, last + 1) + comma + NewLine(text) + indent + entry + text.Substring(last + 1);
                }

                return text.Substring(0, last + 1) + (text[last] == ',' ? " " : ", ") + entry + text.Substring(last + 1);
            }

            var rootOpen = Offset(lines, root.Position);
            var rootClose = MatchingClose(text, rootOpen);
            if (rootClose < 0)
            {
                return null;
            }

            var property = "\"databases\": [ " + entry + " ]";
            if (root.Properties.Count == 0)
            {
                return text.Substring(0, rootOpen + 1) + " " + property + " " + text.Substring(rootClose);
            }

            var lastInRoot = LastSignificant(text, rootOpen + 1, rootClose);
            var firstName = root.Properties[0].NamePosition;
            var multiLine = firstName.Line != root.Position.Line;
            var separator = text[lastInRoot] == ',' || text[lastInRoot] == '{' ? string.Empty : ",";
            var insertion = multiLine
                ? separator + NewLine(text) + new string(' ', Math.Max(0, firstName.Column - 1)) + property
                : separator + " " + property;
            return text.Substring(0, lastInRoot + 1) + insertion + text.Substring(lastInRoot + 1);
        }

        private static string TrimStartSpaces(this string value) => value.TrimStart(' ', '\t');

        private static string Quote(string value)
        {
            var builder = new StringBuilder("\"");
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    default:
                        if (c < ' ')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }

        private static string NewLine(string text) => text.IndexOf("\r\n", StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";

        private static int[] LineStarts(string text)
        {
            var starts = new System.Collections.Generic.List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }

            return starts.ToArray();
        }

        private static int Offset(int[] lineStarts, Operability.Manifest.SourcePosition position) =>
            lineStarts[Math.Min(position.Line - 1, lineStarts.Length - 1)] + position.Column - 1;

        // The offset of the bracket that closes the one at 'open', skipping strings and comments; -1 if none.
        private static int MatchingClose(string text, int open)
        {
            var depth = 0;
            for (var i = open; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"')
                {
                    i = SkipString(text, i);
                }
                else if (c == '/' && i + 1 < text.Length && (text[i + 1] == '/' || text[i + 1] == '*'))
                {
                    i = SkipComment(text, i);
                }
                else if (c == '{' || c == '[')
                {
                    depth++;
                }
                else if (c == '}' || c == ']')
                {
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }
                }
            }

            return -1;
        }

        // The last character before 'end' (after 'start') that is neither whitespace nor in a comment.
        private static int LastSignificant(string text, int start, int end)
        {
            var last = start - 1;
            for (var i = start; i < end; i++)
            {
                var c = text[i];
                if (c == '"')
                {
                    i = SkipString(text, i);
                    last = i;
                }
                else if (c == '/' && i + 1 < text.Length && (text[i + 1] == '/' || text[i + 1] == '*'))
                {
                    i = SkipComment(text, i);
                }
                else if (!char.IsWhiteSpace(c))
                {
                    last = i;
                }
            }

            return last;
        }

        private static int SkipString(string text, int quote)
        {
            for (var i = quote + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '"')
                {
                    return i;
                }
            }

            return text.Length - 1;
        }

        private static int SkipComment(string text, int slash)
        {
            if (text[slash + 1] == '/')
            {
                var end = text.IndexOf('\n', slash);
                return end < 0 ? text.Length - 1 : end - 1;
            }

            var close = text.IndexOf("*/", slash + 2, StringComparison.Ordinal);
            return close < 0 ? text.Length - 1 : close + 1;
        }
    }
}
