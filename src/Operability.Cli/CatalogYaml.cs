using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Operability.Cli
{
    /// <summary>
    /// Builds and writes the YAML documents of the exports. Every string is written so that it reads back as that
    /// same string: plain only when it is a plain word no YAML 1.1 or 1.2 reader takes for anything else, double-quoted
    /// (with YamlDotNet's escaping) otherwise — a value that starts with <c>#</c>, <c>-</c> or a digit, holds <c>: </c>,
    /// quotes or a line break, or reads as a boolean or null (<c>yes</c>, <c>off</c>, <c>null</c>, <c>~</c>).
    /// </summary>
    internal static class CatalogYaml
    {
        // YAML 1.1 readers (and Backstage's, which accepts 1.1 booleans) take these words, in any case, as booleans or null.
        private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
        {
            "y", "n", "yes", "no", "true", "false", "on", "off", "null",
        };

        public static YamlScalarNode String(string value) => new(value) { Style = IsPlainSafe(value) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted };

        // Every digit kept: a rounded 99.9999999999999% would read as 1, which no objective may be.
        public static YamlScalarNode Number(decimal value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

        public static YamlScalarNode Boolean(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

        public static YamlSequenceNode Sequence(IEnumerable<YamlNode> items) => new(items);

        public static YamlSequenceNode Strings(IEnumerable<string> items) => new(items.Select(i => (YamlNode)String(i)));

        /// <summary>A mapping of the entries whose value is not null, in the order given.</summary>
        public static YamlMappingNode Mapping(params (string Key, YamlNode? Value)[] entries)
        {
            var mapping = new YamlMappingNode();
            foreach (var (key, value) in entries)
            {
                if (value is not null)
                {
                    mapping.Add(String(key), value);
                }
            }

            return mapping;
        }

        /// <summary>True when <paramref name="value"/> can be written plain and reads back as the same string.</summary>
        public static bool IsPlainSafe(string value)
        {
            if (value.Length == 0 || !char.IsAsciiLetter(value[0]) || ReservedWords.Contains(value))
            {
                return false;
            }

            foreach (char c in value)
            {
                // ':' is safe inside a plain scalar when no space follows it, and none can here; it may not end one.
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':'))
                {
                    return false;
                }
            }

            return value[^1] != ':';
        }

        /// <summary>Writes the documents, each started by <c>---</c>, to <paramref name="path"/> (creating its folder).</summary>
        public static void Write(string path, IEnumerable<YamlNode> documents, string? header = null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
            writer.Write(ToText(documents, header));
        }

        /// <summary>The documents as YAML text.</summary>
        public static string ToText(IEnumerable<YamlNode> documents, string? header = null)
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            if (header is not null)
            {
                foreach (string line in header.Split('\n'))
                {
                    text.WriteLine("# " + line);
                }
            }

            foreach (YamlNode document in documents)
            {
                // One stream per document, so each starts with '---' and none ends with YamlDotNet's '...' marker.
                using var one = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                new YamlStream(new YamlDocument(document)).Save(new Emitter(one, new EmitterSettings().WithBestWidth(int.MaxValue)), assignAnchors: false);
                string yaml = one.ToString();
                text.Write("---\n");
                text.Write(yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml.Substring(0, yaml.Length - 4) : yaml);
            }

            return text.ToString();
        }
    }
}
