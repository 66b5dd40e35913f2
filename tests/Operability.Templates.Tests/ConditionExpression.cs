using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Operability.Templates.Tests
{
    /// <summary>
    /// Evaluates the C++-style conditions of template.json (<c>(a == "x" &amp;&amp; !b || n &lt;= 7000)</c>) the way the
    /// template engine does where the template relies on it: both sides of <c>&amp;&amp;</c> and <c>||</c> are always
    /// evaluated (the engine does not short-circuit), numbers compare as numbers, anything else compares as text,
    /// and an ordering comparison with text that is not a number fails — as it fails instantiation in the engine.
    /// </summary>
    internal sealed class ConditionExpression
    {
        private readonly List<string> _tokens;
        private readonly Func<string, object?> _lookup;
        private int _position;

        private ConditionExpression(List<string> tokens, Func<string, object?> lookup)
        {
            _tokens = tokens;
            _lookup = lookup;
        }

        /// <summary>Evaluates <paramref name="text"/>, reading identifiers through <paramref name="lookup"/>.</summary>
        public static bool Evaluate(string text, Func<string, object?> lookup)
        {
            var expression = new ConditionExpression(Tokenize(text), lookup);
            var value = expression.ParseOr();
            if (expression._position != expression._tokens.Count)
            {
                throw new FormatException($"Unexpected '{expression._tokens[expression._position]}' in condition '{text}'.");
            }

            return Truth(value, text);
        }

        /// <summary>The identifiers a condition reads.</summary>
        public static IEnumerable<string> Identifiers(string text)
        {
            foreach (var token in Tokenize(text))
            {
                if (IsIdentifier(token) && token != "true" && token != "false")
                {
                    yield return token;
                }
            }
        }

        private object? ParseOr()
        {
            var left = ParseAnd();
            while (Accept("||"))
            {
                var right = ParseAnd();
                left = Truth(left, "||") | Truth(right, "||");
            }

            return left;
        }

        private object? ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("&&"))
            {
                var right = ParseUnary();
                left = Truth(left, "&&") & Truth(right, "&&");
            }

            return left;
        }

        private object? ParseUnary()
        {
            if (Accept("!"))
            {
                return !Truth(ParseUnary(), "!");
            }

            var left = ParsePrimary();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (Accept(op))
                {
                    return Compare(left, op, ParsePrimary());
                }
            }

            return left;
        }

        private object? ParsePrimary()
        {
            if (_position >= _tokens.Count)
            {
                throw new FormatException("Condition ends too early.");
            }

            var token = _tokens[_position++];
            if (token == "(")
            {
                var inner = ParseOr();
                if (!Accept(")"))
                {
                    throw new FormatException("Missing ')'.");
                }

                return inner;
            }

            if (token.StartsWith('"'))
            {
                return token[1..^1];
            }

            if (token == "true" || token == "false")
            {
                return token == "true";
            }

            if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return token;
            }

            if (IsIdentifier(token))
            {
                return _lookup(token);
            }

            throw new FormatException($"Unexpected '{token}'.");
        }

        private static bool Compare(object? left, string op, object? right)
        {
            var l = AsText(left);
            var r = AsText(right);
            var numeric = decimal.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var ln)
                & decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rn);
            if (op is "==" or "!=")
            {
                var equal = numeric ? ln == rn : string.Equals(l, r, StringComparison.Ordinal);
                return op == "==" ? equal : !equal;
            }

            if (!numeric)
            {
                throw new FormatException($"The template engine cannot order '{l}' and '{r}': the input string was not in a correct format.");
            }

            return op switch
            {
                "<" => ln < rn,
                "<=" => ln <= rn,
                ">" => ln > rn,
                _ => ln >= rn,
            };
        }

        private static string AsText(object? value) => value switch
        {
            null => string.Empty,
            bool b => b ? "true" : "false",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        private static bool Truth(object? value, string context) => value switch
        {
            bool b => b,
            string s when bool.TryParse(s, out var b) => b,
            null => false,
            string s when s.Length == 0 => false,
            _ => throw new FormatException($"'{value}' is not a boolean (in '{context}')."),
        };

        private bool Accept(string token)
        {
            if (_position < _tokens.Count && _tokens[_position] == token)
            {
                _position++;
                return true;
            }

            return false;
        }

        private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_');

        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '"')
                {
                    var end = text.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"Unterminated string in '{text}'.");
                    }

                    tokens.Add(text[i..(end + 1)]);
                    i = end + 1;
                }
                else if (i + 1 < text.Length && text.Substring(i, 2) is "&&" or "||" or "==" or "!=" or "<=" or ">=")
                {
                    tokens.Add(text.Substring(i, 2));
                    i += 2;
                }
                else if (c is '(' or ')' or '!' or '<' or '>')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-')
                {
                    var start = i;
                    var builder = new StringBuilder();
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' || (text[i] == '-' && i == start)))
                    {
                        builder.Append(text[i]);
                        i++;
                    }

                    tokens.Add(builder.ToString());
                }
                else
                {
                    throw new FormatException($"Unexpected character '{c}' in condition '{text}'.");
                }
            }

            return tokens;
        }
    }
}
