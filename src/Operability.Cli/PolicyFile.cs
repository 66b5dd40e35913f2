using System;
using System.IO;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>Reads the <c>--policy</c> file, reporting every problem with its path and position.</summary>
    internal static class PolicyFile
    {
        /// <summary>The policy at <paramref name="path"/>, or the playbook's when no path is given; null (after reporting) when it is unreadable or malformed.</summary>
        public static OrganisationPolicy? Load(string? path, TextWriter error)
        {
            if (path is null)
            {
                return OrganisationPolicy.Playbook;
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine(path + ": error: the organisation policy cannot be read: " + e.Message);
                return null;
            }

            OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);
            foreach (ManifestDiagnostic diagnostic in result.Diagnostics)
            {
                string level = diagnostic.Kind == ManifestDiagnosticKind.PolicyWarning ? "warning" : "error";
                error.WriteLine(path + ":" + diagnostic.Position + ": " + level + ": " + diagnostic.Message);
            }

            if (result.Policy is null)
            {
                error.WriteLine(path + ": error: the organisation policy is malformed; nothing was judged against it.");
            }

            return result.Policy;
        }

        /// <summary>The name of the policy in messages: its path, or "the playbook's".</summary>
        public static string Describe(string? path) => path is null ? "the playbook's defaults" : "the policy " + path;
    }
}
