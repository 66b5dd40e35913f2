using System;
using System.Collections.Generic;
using Operability.Manifest.Json;

namespace Operability.Manifest
{
    /// <summary>Parses and validates <c>operability.organisation.json</c>. Never throws on any text.</summary>
    public static class OrganisationPolicyParser
    {
        /// <summary>
        /// Parses a policy and reports every problem with its kind, property path and position. Fields the policy
        /// leaves out take <see cref="OrganisationPolicy.Playbook"/>'s values; a policy with any problem other than a
        /// <see cref="ManifestDiagnosticKind.PolicyWarning"/> gives no policy at all, never the defaults instead.
        /// </summary>
        /// <param name="text">The policy's text (a leading BOM, comments and trailing commas are fine).</param>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        public static OrganisationPolicyParseResult Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var diagnostics = new List<ManifestDiagnostic>();
            JsonNode? root = ManifestParser.ReadDocument(text, "organisation policy", diagnostics);
            OrganisationPolicy? policy = root == null ? null : OrganisationPolicyBuilder.BuildOrReport(root, diagnostics);
            IReadOnlyList<ManifestDiagnostic> sorted = ManifestParser.SortByPosition(diagnostics);
            bool valid = true;
            foreach (ManifestDiagnostic diagnostic in sorted)
            {
                valid &= diagnostic.Kind == ManifestDiagnosticKind.PolicyWarning;
            }

            return new OrganisationPolicyParseResult(valid ? policy : null, sorted);
        }
    }

    /// <summary>The outcome of <see cref="OrganisationPolicyParser.Parse"/>.</summary>
    public sealed class OrganisationPolicyParseResult
    {
        internal OrganisationPolicyParseResult(OrganisationPolicy? policy, IReadOnlyList<ManifestDiagnostic> diagnostics)
        {
            Policy = policy;
            Diagnostics = diagnostics;
        }

        /// <summary>The policy; null exactly when it is invalid (<see cref="IsValid"/> is false).</summary>
        public OrganisationPolicy? Policy { get; }

        /// <summary>Every problem found, in document order; warnings included.</summary>
        public IReadOnlyList<ManifestDiagnostic> Diagnostics { get; }

        /// <summary>True when the policy can be used: no diagnostic other than <see cref="ManifestDiagnosticKind.PolicyWarning"/>.</summary>
        public bool IsValid => Policy != null;
    }
}
