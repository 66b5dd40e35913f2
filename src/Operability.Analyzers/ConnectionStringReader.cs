using System;
using System.Collections.Generic;

namespace Operability.Analyzers
{
    /// <summary>
    /// Reads an ADO.NET connection string with the rules of <c>System.Data.Common.DbConnectionStringBuilder</c>:
    /// <c>key=value</c> pairs separated by <c>;</c>, keys case-insensitive and trimmed, <c>==</c> in a key for a
    /// literal <c>=</c>, values trimmed unless quoted with <c>'</c> or <c>"</c> (the quote doubled inside for a
    /// literal quote), empty pairs ignored, and the last occurrence of a key wins. (The analyzer host may lack
    /// System.Data.Common, and the real builder throws on bad input; this never throws.)
    /// </summary>
    internal static class ConnectionStringReader
    {
        /// <summary>Reads <paramref name="text"/>; null when it is not a well-formed connection string.</summary>
        public static Dictionary<string, string>? Read(string? text)
        {
            if (text is null)
            {
                return null;
            }

            var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var position = 0;
            var length = text.Length;
            while (position < length)
            {
                position = SkipWhitespace(text, position);
                if (position >= length)
                {
                    break;
                }

                if (text[position] == ';')
                {
                    position++;
                    continue;
                }

                // The key runs to the first '=' that is not doubled.
                var key = new System.Text.StringBuilder();
                var foundEquals = false;
                while (position < length)
                {
                    var c = text[position];
                    if (c == '=')
                    {
                        if (position + 1 < length && text[position + 1] == '=')
                        {
                            key.Append('=');
                            position += 2;
                            continue;
                        }

                        foundEquals = true;
                        position++;
                        break;
                    }

                    if (c == ';')
                    {
                        return null;
                    }

                    key.Append(c);
                    position++;
                }

                var name = key.ToString().Trim();
                if (!foundEquals || name.Length == 0)
                {
                    return null;
                }

                position = SkipWhitespace(text, position);
                string value;
                if (position < length && (text[position] == '"' || text[position] == '\''))
                {
                    var quote = text[position];
                    position++;
                    var quoted = new System.Text.StringBuilder();
                    var closed = false;
                    while (position < length)
                    {
                        var c = text[position];
                        if (c == quote)
                        {
                            if (position + 1 < length && text[position + 1] == quote)
                            {
                                quoted.Append(quote);
                                position += 2;
                                continue;
                            }

                            closed = true;
                            position++;
                            break;
                        }

                        quoted.Append(c);
                        position++;
                    }

                    if (!closed)
                    {
                        return null;
                    }

                    position = SkipWhitespace(text, position);
                    if (position < length && text[position] != ';')
                    {
                        return null;
                    }

                    value = quoted.ToString();
                }
                else
                {
                    var end = text.IndexOf(';', position);
                    if (end < 0)
                    {
                        end = length;
                    }

                    value = text.Substring(position, end - position).Trim();
                    position = end;
                }

                pairs[name] = value;
            }

            return pairs;
        }

        /// <summary>The first of <paramref name="keys"/> that has a non-empty value, or null.</summary>
        public static string? Find(Dictionary<string, string> pairs, params string[] keys)
        {
            foreach (var key in keys)
            {
                if (pairs.TryGetValue(key, out var value) && value.Length > 0)
                {
                    return value;
                }
            }

            return null;
        }

        private static int SkipWhitespace(string text, int position)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            return position;
        }
    }
}
