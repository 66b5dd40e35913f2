using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>
    /// The files the build handed to the analyzers as AdditionalFiles, sorted by the role the
    /// package's targets gave them (<c>OperabilityRole</c> metadata). The analyzers read no other file.
    /// </summary>
    internal sealed class OperabilityFiles
    {
        public const string ManifestFileName = "operability.json";
        internal const string RoleKey = "build_metadata.AdditionalFiles.OperabilityRole";

        private readonly ImmutableArray<AdditionalText> _all;

        private OperabilityFiles(AdditionalText? manifest, AdditionalText? policy, ImmutableArray<AdditionalText> estate, ImmutableArray<AdditionalText> configuration, ImmutableArray<AdditionalText> all)
        {
            Manifest = manifest;
            Policy = policy;
            Estate = estate;
            Configuration = configuration;
            _all = all;
        }

        /// <summary>This project's own manifest, or null.</summary>
        public AdditionalText? Manifest { get; }

        /// <summary>
        /// The organisation policy: the file tagged <c>Policy</c>, else the only untagged file named
        /// <c>operability.organisation.json</c>; null when there is none (the playbook's values apply).
        /// </summary>
        public AdditionalText? Policy { get; }

        /// <summary>Manifests (or catalogues) of the other services in the estate.</summary>
        public ImmutableArray<AdditionalText> Estate { get; }

        /// <summary>The project's configuration files (<c>appsettings*.json</c>), only as tagged by the package: its opt-out then holds.</summary>
        public ImmutableArray<AdditionalText> Configuration { get; }

        public static OperabilityFiles Find(ImmutableArray<AdditionalText> files, AnalyzerConfigOptionsProvider options, string? projectDirectory)
        {
            AdditionalText? byRole = null;
            AdditionalText? inProjectDirectory = null;
            AdditionalText? onlyCandidate = null;
            var candidates = 0;
            AdditionalText? policyByRole = null;
            AdditionalText? policyByName = null;
            var policyCandidates = 0;
            var estate = ImmutableArray.CreateBuilder<AdditionalText>();
            var configuration = ImmutableArray.CreateBuilder<AdditionalText>();

            foreach (var file in files)
            {
                options.GetOptions(file).TryGetValue(RoleKey, out var role);
                if (string.Equals(role, "Manifest", StringComparison.OrdinalIgnoreCase))
                {
                    byRole ??= file;
                    continue;
                }

                if (string.Equals(role, "Estate", StringComparison.OrdinalIgnoreCase))
                {
                    estate.Add(file);
                    continue;
                }

                if (string.Equals(role, "Configuration", StringComparison.OrdinalIgnoreCase))
                {
                    configuration.Add(file);
                    continue;
                }

                if (string.Equals(role, "Policy", StringComparison.OrdinalIgnoreCase))
                {
                    policyByRole ??= file;
                    continue;
                }

                if (string.IsNullOrEmpty(role) && string.Equals(SafeFileName(file.Path), OrganisationPolicy.FileName, StringComparison.OrdinalIgnoreCase))
                {
                    policyCandidates++;
                    policyByName = file;
                    continue;
                }

                if (string.IsNullOrEmpty(role) && string.Equals(SafeFileName(file.Path), ManifestFileName, StringComparison.OrdinalIgnoreCase))
                {
                    candidates++;
                    onlyCandidate = file;
                    if (projectDirectory is not null && PathsEqual(SafeDirectoryName(file.Path), projectDirectory))
                    {
                        inProjectDirectory ??= file;
                    }
                }
            }

            var manifest = byRole ?? inProjectDirectory ?? (candidates == 1 ? onlyCandidate : null);
            var policy = policyByRole ?? (policyCandidates == 1 ? policyByName : null);
            return new OperabilityFiles(manifest, policy, estate.ToImmutable(), configuration.ToImmutable(), files);
        }

        /// <summary>Whether the build handed over a file at <paramref name="path"/> (any role).</summary>
        public bool Contains(string path)
        {
            foreach (var file in _all)
            {
                if (PathsEqual(file.Path, path))
                {
                    return true;
                }
            }

            return false;
        }

        public static bool PathsEqual(string? a, string? b)
        {
            if (a is null || b is null)
            {
                return false;
            }

            return string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);
        }

        public static string Normalize(string path)
        {
            var unified = path.Replace('\\', '/');
            var parts = unified.Split('/');
            var stack = new System.Collections.Generic.List<string>(parts.Length);
            foreach (var part in parts)
            {
                if (part == "." || (part.Length == 0 && stack.Count > 0))
                {
                    continue;
                }

                if (part == ".." && stack.Count > 0 && stack[stack.Count - 1] != "..")
                {
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }

                stack.Add(part);
            }

            return string.Join("/", stack).TrimEnd('/');
        }

        public static string SafeFileName(string path)
        {
            var normalized = path.Replace('\\', '/');
            var slash = normalized.LastIndexOf('/');
            return slash < 0 ? normalized : normalized.Substring(slash + 1);
        }

        public static string SafeDirectoryName(string path)
        {
            var normalized = path.Replace('\\', '/');
            var slash = normalized.LastIndexOf('/');
            return slash < 0 ? string.Empty : normalized.Substring(0, slash);
        }

        /// <summary>Resolves <paramref name="relative"/> against the manifest's folder.</summary>
        public static string Resolve(string manifestPath, string relative)
        {
            var normalized = relative.Replace('\\', '/');
            if (normalized.StartsWith("/", StringComparison.Ordinal) || (normalized.Length > 1 && normalized[1] == ':'))
            {
                return Normalize(normalized);
            }

            return Normalize(SafeDirectoryName(manifestPath) + "/" + normalized);
        }
    }
}
