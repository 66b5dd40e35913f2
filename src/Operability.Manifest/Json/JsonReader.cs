using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Operability.Manifest.Json
{
    /// <summary>
    /// A small JSON reader for manifests. Tolerant the way editors are (comments, trailing commas, a BOM),
    /// strict per RFC 8259 otherwise. It stops at the first syntax error and reports it with the line and
    /// column of the offending character; it never throws. Hand-written because the analyzers load this
    /// assembly in the compiler host, where System.Text.Json may be missing.
    /// </summary>
    internal sealed class JsonReader
    {
        /// <summary>Deepest nesting of objects and arrays accepted; also bounds the reader's recursion.</summary>
        public const int MaxDepth = 64;

        private const int MaxWordInMessage = 20;

        private readonly string _text;
        private readonly List<JsonDuplicateProperty> _duplicates = new List<JsonDuplicateProperty>();
        private int _pos;
        private int _line = 1;
        private int _lineStart;

        private JsonReader(string text)
        {
            _text = text;
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                // The BOM is invisible in editors: the first visible character is column 1.
                _pos = 1;
                _lineStart = 1;
            }
        }

        /// <summary>Reads a whole document.</summary>
        public static JsonReadResult Read(string text)
        {
            var reader = new JsonReader(text ?? string.Empty);
            try
            {
                return new JsonReadResult(reader.ReadDocument(), null, reader._duplicates);
            }
            catch (SyntaxException e)
            {
                return new JsonReadResult(null, new JsonSyntaxError(e.Message, e.Position), reader._duplicates);
            }
#pragma warning disable CA1031 // Last line of defence: a reader bug must become a diagnostic, not crash the compiler host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return new JsonReadResult(
                    null,
                    new JsonSyntaxError("The JSON reader failed unexpectedly (" + e.GetType().Name + "); please report this manifest", reader.CurrentPosition()),
                    reader._duplicates);
            }
        }

        private JsonNode ReadDocument()
        {
            SkipTrivia();
            JsonNode root = ReadValue(0, JsonPathSegment.Root, null);
            SkipTrivia();
            if (_pos < _text.Length)
            {
                throw Error("Expected the end of the input after the root value but found " + DescribeAt(_pos));
            }

            return root;
        }

        /// <param name="depth">How deep the value is nested.</param>
        /// <param name="path">Where the value is; turned into text only for a diagnostic.</param>
        /// <param name="propertyName">The name of the property the value belongs to, or null for the root or an array element.</param>
        private JsonNode ReadValue(int depth, JsonPathSegment path, string? propertyName)
        {
            if (_pos >= _text.Length)
            {
                throw Error("Expected " + Expected(path, propertyName) + " but found the end of the input");
            }

            char c = _text[_pos];
            switch (c)
            {
                case '{':
                    return ReadObject(depth, path);
                case '[':
                    return ReadArray(depth, path);
                case '"':
                    SourcePosition position = CurrentPosition();
                    return new JsonString(position, ReadString());
                case '-':
                    return ReadNumber();
                default:
                    if (c >= '0' && c <= '9')
                    {
                        return ReadNumber();
                    }

                    return ReadLiteral(path, propertyName);
            }
        }

        // Built only for a message: a property's name can be long, and most values are fine.
        private static string Expected(JsonPathSegment path, string? propertyName) =>
            propertyName != null ? "a value for \"" + propertyName + "\""
            : path == JsonPathSegment.Root ? "a JSON value"
            : "a value or ']'";

        private JsonNode ReadLiteral(JsonPathSegment path, string? propertyName)
        {
            SourcePosition position = CurrentPosition();
            int length = WordLength(_pos);
            string word = _text.Substring(_pos, length);
            JsonKind kind;
            switch (word)
            {
                case "true":
                    kind = JsonKind.True;
                    break;
                case "false":
                    kind = JsonKind.False;
                    break;
                case "null":
                    kind = JsonKind.Null;
                    break;
                default:
                    throw Error("Expected " + Expected(path, propertyName) + " but found " + DescribeAt(_pos));
            }

            _pos += length;
            return new JsonLiteral(position, kind);
        }

        private JsonObject ReadObject(int depth, JsonPathSegment path)
        {
            CheckDepth(depth);
            var result = new JsonObject(CurrentPosition());
            var seen = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
            _pos++;
            while (true)
            {
                SkipTrivia();
                if (Peek() == '}')
                {
                    _pos++;
                    return result;
                }

                if (Peek() != '"')
                {
                    throw Error("Expected a property name in double quotes or '}' but found " + DescribeAt(_pos));
                }

                SourcePosition namePosition = CurrentPosition();
                string name = ReadString();
                SkipTrivia();
                if (Peek() != ':')
                {
                    throw Error("Expected ':' after the property name \"" + name + "\" but found " + DescribeAt(_pos));
                }

                _pos++;
                SkipTrivia();
                JsonPathSegment propertyPath = path.Property(name);
                JsonNode value = ReadValue(depth + 1, propertyPath, name);
                if (seen.TryGetValue(name, out SourcePosition first))
                {
                    _duplicates.Add(new JsonDuplicateProperty(propertyPath.ToString(), name, namePosition, first));
                }
                else
                {
                    seen.Add(name, namePosition);
                }

                result.Add(new JsonProperty(name, namePosition, value));
                SkipTrivia();
                switch (Peek())
                {
                    case ',':
                        _pos++;
                        continue;
                    case '}':
                        _pos++;
                        return result;
                    default:
                        throw Error("Expected ',' or '}' after a property value but found " + DescribeAt(_pos));
                }
            }
        }

        private JsonArray ReadArray(int depth, JsonPathSegment path)
        {
            CheckDepth(depth);
            var result = new JsonArray(CurrentPosition());
            _pos++;
            while (true)
            {
                SkipTrivia();
                if (Peek() == ']')
                {
                    _pos++;
                    return result;
                }

                result.Add(ReadValue(depth + 1, path.Element(result.Items.Count), null));
                SkipTrivia();
                switch (Peek())
                {
                    case ',':
                        _pos++;
                        continue;
                    case ']':
                        _pos++;
                        return result;
                    default:
                        throw Error("Expected ',' or ']' after an array element but found " + DescribeAt(_pos));
                }
            }
        }

        private void CheckDepth(int depth)
        {
            if (depth >= MaxDepth)
            {
                throw Error("Objects and arrays are nested more than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels deep");
            }
        }

        /// <summary>Reads a string starting at the opening quote and leaves the position after the closing one.</summary>
        private string ReadString()
        {
            SourcePosition start = CurrentPosition();
            _pos++;
            StringBuilder? builder = null;
            int runStart = _pos;
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw new SyntaxException("Unterminated string: expected a closing '\"' but found the end of the input", start);
                }

                char c = _text[_pos];
                if (c == '"')
                {
                    string value = builder == null
                        ? _text.Substring(runStart, _pos - runStart)
                        : builder.Append(_text, runStart, _pos - runStart).ToString();
                    _pos++;
                    return value;
                }

                if (c == '\\')
                {
                    builder ??= new StringBuilder();
                    builder.Append(_text, runStart, _pos - runStart);
                    ReadEscape(builder);
                    runStart = _pos;
                }
                else if (c < ' ')
                {
                    if (c == '\n' || c == '\r')
                    {
                        throw Error("Expected a closing '\"' for the string that starts at " + start + " but found a line break (escape it as \\n)");
                    }

                    string code = ((int)c).ToString("X4", CultureInfo.InvariantCulture);
                    throw Error("Control character U+" + code + " is not allowed in a string; escape it as \\u" + code);
                }
                else if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
                {
                    _pos += 2;
                }
                else if (char.IsSurrogate(c))
                {
                    throw Error("Lone surrogate U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " in a string: the text is not valid UTF-16");
                }
                else
                {
                    _pos++;
                }
            }
        }

        /// <summary>Reads an escape sequence starting at the backslash.</summary>
        private void ReadEscape(StringBuilder builder)
        {
            SourcePosition backslash = CurrentPosition();
            _pos++;
            char e = Peek();
            switch (e)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    _pos++;
                    char unit = ReadHex4();
                    if (char.IsHighSurrogate(unit))
                    {
                        if (Peek() != '\\' || Peek(1) != 'u')
                        {
                            throw new SyntaxException("Lone surrogate \\u" + Hex(unit) + ": a high surrogate must be followed by a low surrogate escape \\uDC00-\\uDFFF", backslash);
                        }

                        SourcePosition second = CurrentPosition();
                        _pos += 2;
                        char low = ReadHex4();
                        if (!char.IsLowSurrogate(low))
                        {
                            throw new SyntaxException("Expected a low surrogate escape \\uDC00-\\uDFFF after \\u" + Hex(unit) + " but found \\u" + Hex(low), second);
                        }

                        builder.Append(unit).Append(low);
                    }
                    else if (char.IsLowSurrogate(unit))
                    {
                        throw new SyntaxException("Lone surrogate \\u" + Hex(unit) + ": a low surrogate must follow a high surrogate escape \\uD800-\\uDBFF", backslash);
                    }
                    else
                    {
                        builder.Append(unit);
                    }

                    return;
                default:
                    if (_pos >= _text.Length)
                    {
                        throw new SyntaxException("Unterminated string: expected an escape sequence after '\\' but found the end of the input", backslash);
                    }

                    throw Error("Invalid escape sequence: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\' but found " + DescribeChar(_pos));
            }

            _pos++;
        }

        private char ReadHex4()
        {
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                char c = Peek();
                int digit = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1;
                if (digit < 0)
                {
                    throw Error("Expected 4 hexadecimal digits after \\u but found " + DescribeChar(_pos));
                }

                value = (value * 16) + digit;
                _pos++;
            }

            return (char)value;
        }

        private JsonNumber ReadNumber()
        {
            SourcePosition position = CurrentPosition();
            int start = _pos;
            if (Peek() == '-')
            {
                _pos++;
                if (!IsDigit(Peek()))
                {
                    throw Error("Expected a digit after '-' but found " + DescribeAt(_pos));
                }
            }

            if (Peek() == '0')
            {
                _pos++;
                if (IsDigit(Peek()))
                {
                    throw Error("Leading zeros are not allowed: expected '.', 'e' or the end of the number after '0' but found " + DescribeChar(_pos));
                }
            }
            else
            {
                SkipDigits();
            }

            if (Peek() == '.')
            {
                _pos++;
                if (!IsDigit(Peek()))
                {
                    throw Error("Expected a digit after the decimal point but found " + DescribeAt(_pos));
                }

                SkipDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _pos++;
                }

                if (!IsDigit(Peek()))
                {
                    throw Error("Expected a digit in the exponent but found " + DescribeAt(_pos));
                }

                SkipDigits();
            }

            string raw = _text.Substring(start, _pos - start);
            decimal? asDecimal = decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) ? d : (decimal?)null;
            double asDouble = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                ? x
                : raw[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity; // older frameworks fail on overflow
            return new JsonNumber(position, raw, asDecimal, asDouble);
        }

        private void SkipDigits()
        {
            while (IsDigit(Peek()))
            {
                _pos++;
            }
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        /// <summary>Skips whitespace and comments, counting lines.</summary>
        private void SkipTrivia()
        {
            while (_pos < _text.Length)
            {
                switch (_text[_pos])
                {
                    case ' ':
                    case '\t':
                        _pos++;
                        break;
                    case '\n':
                        NewLine(1);
                        break;
                    case '\r':
                        NewLine(Peek(1) == '\n' ? 2 : 1);
                        break;
                    case '/':
                        SkipComment();
                        break;
                    default:
                        return;
                }
            }
        }

        private void SkipComment()
        {
            SourcePosition start = CurrentPosition();
            char next = Peek(1);
            if (next == '/')
            {
                while (_pos < _text.Length && _text[_pos] != '\n' && _text[_pos] != '\r')
                {
                    _pos++;
                }

                return;
            }

            if (next != '*')
            {
                _pos++;
                throw Error("Expected '/' or '*' after '/' to start a comment but found " + DescribeAt(_pos));
            }

            _pos += 2;
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw new SyntaxException("Unterminated comment: expected '*/' to close the comment but found the end of the input", start);
                }

                char c = _text[_pos];
                if (c == '*' && Peek(1) == '/')
                {
                    _pos += 2;
                    return;
                }

                if (c == '\n')
                {
                    NewLine(1);
                }
                else if (c == '\r')
                {
                    NewLine(Peek(1) == '\n' ? 2 : 1);
                }
                else
                {
                    _pos++;
                }
            }
        }

        private void NewLine(int width)
        {
            _pos += width;
            _line++;
            _lineStart = _pos;
        }

        private char Peek(int offset = 0)
        {
            int index = _pos + offset;
            return index < _text.Length ? _text[index] : '\0';
        }

        private SourcePosition CurrentPosition() => new SourcePosition(_line, _pos - _lineStart + 1);

        private SyntaxException Error(string message) => new SyntaxException(message, CurrentPosition());

        /// <summary>Describes what stands at <paramref name="index"/>: a whole word when one starts there.</summary>
        private string DescribeAt(int index)
        {
            int length = WordLength(index);
            if (length == 0)
            {
                return DescribeChar(index);
            }

            return "'" + _text.Substring(index, Math.Min(length, MaxWordInMessage)) + (length > MaxWordInMessage ? "…'" : "'");
        }

        private string DescribeChar(int index)
        {
            if (index >= _text.Length)
            {
                return "the end of the input";
            }

            char c = _text[index];
            if (c == '\n' || c == '\r')
            {
                return "a line break";
            }

            if (char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c))
            {
                return "U+" + Hex(c);
            }

            return "'" + c + "'";
        }

        private int WordLength(int index)
        {
            int end = index;
            while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
            {
                end++;
            }

            return end - index;
        }

        private static string Hex(char c) => ((int)c).ToString("X4", CultureInfo.InvariantCulture);

        private sealed class SyntaxException : Exception
        {
            public SyntaxException(string message, SourcePosition position)
                : base(message) => Position = position;

            public SourcePosition Position { get; }
        }
    }
}
