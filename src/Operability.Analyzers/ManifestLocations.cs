using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>Turns a manifest position (1-based line and column) into a location that covers the token there.</summary>
    internal static class ManifestLocations
    {
        public static Location At(AdditionalText file, SourceText text, SourcePosition position)
        {
            var lines = text.Lines;
            if (lines.Count == 0)
            {
                return Location.Create(file.Path, default, default);
            }

            var lineIndex = Clamp(position.Line - 1, 0, lines.Count - 1);
            var line = lines[lineIndex];
            var column = Clamp(position.Column - 1, 0, line.End - line.Start);
            var start = line.Start + column;
            var span = new TextSpan(start, TokenLength(text, start, line.End));
            return Location.Create(file.Path, span, lines.GetLinePositionSpan(span));
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
