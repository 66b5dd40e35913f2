using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using Operability.Manifest.Json;

namespace Operability.Manifest
{
    /// <summary>Parses and validates <c>operability.json</c>. Never throws on any text.</summary>
    public static class ManifestParser
    {
        /// <summary>Parses a manifest and reports every problem with its kind, property path and position.</summary>
        /// <param name="text">The manifest's text (a leading BOM, comments and trailing commas are fine).</param>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static ManifestParseResult Parse(string text) => Parse(text, null);

        /// <summary>
        /// Parses a manifest as <see cref="Parse(string)"/> does, deriving what the manifest leaves out (availability
        /// target from exposure, on-call levels, deployment frequency) from <paramref name="policy"/>'s tables, and
        /// reporting a declared target that its exposure bands disagree with.
        /// </summary>
        /// <param name="text">The manifest's text.</param>
        /// <param name="policy">The organisation's policy; null for the playbook's (<see cref="OrganisationPolicy.Playbook"/>).</param>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static ManifestParseResult Parse(string text, OrganisationPolicy? policy)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var diagnostics = new List<ManifestDiagnostic>();
            JsonNode? root = ReadDocument(text, "manifest", diagnostics);
            if (root == null)
            {
                return new ManifestParseResult(null, diagnostics.AsReadOnly());
            }

            ServiceManifest manifest = ManifestBuilder.BuildOrReport(root, diagnostics, policy);
            return new ManifestParseResult(manifest, SortByPosition(diagnostics));
        }

        /// <summary>
        /// Reads JSON text: a syntax error becomes the one diagnostic and null is returned; otherwise each duplicated
        /// property is reported (the first value is kept) and the root is returned. Shared by every file the library reads.
        /// </summary>
        internal static JsonNode? ReadDocument(string text, string what, List<ManifestDiagnostic> diagnostics)
        {
            JsonReadResult json = JsonReader.Read(text);
            if (json.Error != null || json.Root == null)
            {
                SourcePosition position = json.Error?.Position ?? new SourcePosition(1, 1);
                string message = json.Error?.Message ?? "The " + what + " could not be read";
                diagnostics.Add(new ManifestDiagnostic(ManifestDiagnosticKind.Syntax, message, string.Empty, position));
                return null;
            }

            foreach (JsonDuplicateProperty duplicate in json.Duplicates)
            {
                diagnostics.Add(new ManifestDiagnostic(
                    ManifestDiagnosticKind.Structure,
                    "Property '" + duplicate.Path + "' is declared twice (first at " + duplicate.FirstPosition + "); only the first value is used",
                    duplicate.Path,
                    duplicate.Position));
            }

            return json.Root;
        }

        internal static IReadOnlyList<ManifestDiagnostic> SortByPosition(List<ManifestDiagnostic> diagnostics)
        {
            // Stable: diagnostics at the same position keep the order they were found in.
            var indexed = new List<KeyValuePair<int, ManifestDiagnostic>>(diagnostics.Count);
            for (int i = 0; i < diagnostics.Count; i++)
            {
                indexed.Add(new KeyValuePair<int, ManifestDiagnostic>(i, diagnostics[i]));
            }

            indexed.Sort((a, b) =>
            {
                int byLine = a.Value.Position.Line.CompareTo(b.Value.Position.Line);
                if (byLine != 0)
                {
                    return byLine;
                }

                int byColumn = a.Value.Position.Column.CompareTo(b.Value.Position.Column);
                return byColumn != 0 ? byColumn : a.Key.CompareTo(b.Key);
            });
            var sorted = new ManifestDiagnostic[indexed.Count];
            for (int i = 0; i < sorted.Length; i++)
            {
                sorted[i] = indexed[i].Value;
            }

            return new ReadOnlyCollection<ManifestDiagnostic>(sorted);
        }
    }
}
