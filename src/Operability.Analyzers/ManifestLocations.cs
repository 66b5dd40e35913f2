using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>
    /// Turns manifest positions (1-based line and column) into locations that cover the token there. Lines are
    /// counted as the manifest reader counts them — at \n, \r\n and \r only, with a leading byte-order mark taking
    /// no column — not as Roslyn does (which also breaks at U+2028, U+2029 and U+0085, legal inside a JSON string),
    /// so a diagnostic after such a character stays on its token. Built once per file: one pass over the text.
    /// </summary>
    internal sealed class ManifestLocations
    {
        private readonly AdditionalText _file;
        private readonly SourceText _text;
        private readonly List<int> _lineStarts = new List<int>();

        public ManifestLocations(AdditionalText file, SourceText text)
        {
            _file = file;
            _text = text;
            _lineStarts.Add(text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                if (c == '\n' || c == '\r')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public Location At(SourcePosition position)
        {
            if (_text.Length == 0)
            {
                return Location.Create(_file.Path, default, default);
            }

            var start = _lineStarts[Clamp(position.Line - 1, 0, _lineStarts.Count - 1)];
            var lineEnd = start;
            while (lineEnd < _text.Length && _text[lineEnd] != '\n' && _text[lineEnd] != '\r')
            {
                lineEnd++;
            }

            var offset = start + Clamp(position.Column - 1, 0, lineEnd - start);
            var span = new TextSpan(offset, TokenLength(_text, offset, lineEnd));
            return Location.Create(_file.Path, span, _text.Lines.GetLinePositionSpan(span));
        }

        // The length of the JSON token that starts at 'start', never past the end of its line.
        private static int TokenLength(SourceText text, int start, int lineEnd)
        {
            if (start >= lineEnd)
            {
                return 0;
            }

            var first = text[start];
            if (first == '{' || first == '[' || first == '}' || first == ']' || first == ',' || first == ':')
            {
                return 1;
            }

            var end = start + 1;
            if (first == '"')
            {
                while (end < lineEnd)
                {
                    var c = text[end];
                    end++;
                    if (c == '\\' && end < lineEnd)
                    {
                        end++;
                    }
                    else if (c == '"')
                    {
                        break;
                    }
                }

                return end - start;
            }

            while (end < lineEnd)
            {
                var c = text[end];
                if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '/' || c == ':' || c == '"')
                {
                    break;
                }

                end++;
            }

            return end - start;
        }

        private static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;
    }
}
