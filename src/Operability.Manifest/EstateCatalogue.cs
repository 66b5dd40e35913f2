using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using Operability.Manifest.Json;

namespace Operability.Manifest
{
    /// <summary>
    /// Reads an estate file: either one service manifest (an <c>operability.json</c>), or an exported catalogue of
    /// many — a JSON object <c>{ "services": [ manifest, ... ] }</c> or a JSON array <c>[ manifest, ... ]</c>. Every
    /// entry is read exactly as <see cref="ManifestParser"/> reads a manifest; positions are positions in the whole file.
    /// Never throws on any text.
    /// </summary>
    public static class EstateCatalogue
    {
        /// <summary>Parses an estate file.</summary>
        /// <param name="text">The file's text (a leading BOM, comments and trailing commas are fine).</param>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static EstateCatalogueResult Parse(string text) => Parse(text, null);

        /// <summary>
        /// Parses an estate file as <see cref="Parse(string)"/> does, reading every entry against
        /// <paramref name="policy"/>'s tables as <see cref="ManifestParser.Parse(string, OrganisationPolicy)"/> does.
        /// </summary>
        /// <param name="text">The file's text.</param>
        /// <param name="policy">The organisation's policy; null for the playbook's.</param>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static EstateCatalogueResult Parse(string text, OrganisationPolicy? policy)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            JsonReadResult json = JsonReader.Read(text);
            var diagnostics = new List<ManifestDiagnostic>();
            var manifests = new List<ServiceManifest>();
            if (json.Error != null || json.Root == null)
            {
                SourcePosition position = json.Error?.Position ?? new SourcePosition(1, 1);
                string message = json.Error?.Message ?? "The estate file could not be read";
                diagnostics.Add(new ManifestDiagnostic(ManifestDiagnosticKind.Syntax, message, string.Empty, position));
                return new EstateCatalogueResult(manifests.AsReadOnly(), diagnostics.AsReadOnly(), isCatalogue: false);
            }

            JsonArray? entries = null;
            string entriesPath = string.Empty;
            if (json.Root is JsonArray array)
            {
                entries = array;
            }
            else if (json.Root is JsonObject root && root.Find("service") == null && root.Find("services") is JsonProperty services)
            {
                if (services.Value is JsonArray list)
                {
                    entries = list;
                    entriesPath = "services";
                }
                else
                {
                    diagnostics.Add(new ManifestDiagnostic(
                        ManifestDiagnosticKind.Structure,
                        "Property 'services' must be an array of service manifests but found " + services.Value.KindDescription,
                        "services",
                        services.Value.Position));
                    return new EstateCatalogueResult(manifests.AsReadOnly(), diagnostics.AsReadOnly(), isCatalogue: true);
                }
            }

            if (entries == null)
            {
                // A single manifest.
                foreach (JsonDuplicateProperty duplicate in json.Duplicates)
                {
                    diagnostics.Add(Duplicate(duplicate));
                }

                manifests.Add(ManifestBuilder.BuildOrReport(json.Root, diagnostics, policy));
                return new EstateCatalogueResult(manifests.AsReadOnly(), diagnostics.AsReadOnly(), isCatalogue: false);
            }

            foreach (JsonDuplicateProperty duplicate in json.Duplicates)
            {
                diagnostics.Add(Duplicate(duplicate));
            }

            for (int i = 0; i < entries.Items.Count; i++)
            {
                JsonNode entry = entries.Items[i];
                if (!(entry is JsonObject))
                {
                    string path = JsonPath.Element(entriesPath, i);
                    diagnostics.Add(new ManifestDiagnostic(
                        ManifestDiagnosticKind.Structure,
                        "Catalogue entry '" + path + "' must be a service manifest (a JSON object) but found " + entry.KindDescription,
                        path,
                        entry.Position));
                    continue;
                }

                manifests.Add(ManifestBuilder.BuildOrReport(entry, diagnostics, policy));
            }

            return new EstateCatalogueResult(manifests.AsReadOnly(), diagnostics.AsReadOnly(), isCatalogue: true);
        }

        private static ManifestDiagnostic Duplicate(JsonDuplicateProperty duplicate) => new ManifestDiagnostic(
            ManifestDiagnosticKind.Structure,
            "Property '" + duplicate.Path + "' is declared twice (first at " + duplicate.FirstPosition + "); only the first value is used",
            duplicate.Path,
            duplicate.Position);
    }

    /// <summary>The outcome of <see cref="EstateCatalogue.Parse(string, OrganisationPolicy)"/>.</summary>
    public sealed class EstateCatalogueResult
    {
        internal EstateCatalogueResult(IReadOnlyList<ServiceManifest> manifests, IReadOnlyList<ManifestDiagnostic> diagnostics, bool isCatalogue)
        {
            Manifests = manifests;
            Diagnostics = diagnostics;
            IsCatalogue = isCatalogue;
        }

        /// <summary>Every manifest read, as far as it could be read, in file order; empty on a syntax error.</summary>
        public IReadOnlyList<ServiceManifest> Manifests { get; }

        /// <summary>Every problem found, over all entries.</summary>
        public IReadOnlyList<ManifestDiagnostic> Diagnostics { get; }

        /// <summary>True when the file is a catalogue (an array, or an object with <c>services</c>) rather than one manifest.</summary>
        public bool IsCatalogue { get; }
    }
}
