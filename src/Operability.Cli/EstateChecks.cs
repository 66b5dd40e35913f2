using System;
using System.Collections.Generic;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>What <c>estate check</c> finds: the scan's own problems, each manifest's diagnostics, and the checks across manifests.</summary>
    internal static class EstateChecks
    {
        public static IReadOnlyList<Finding> Find(EstateScan scan, OrganisationPolicy policy)
        {
            var findings = new List<Finding>();
            foreach (InputProblem problem in scan.Problems)
            {
                if (problem.RuleId != EstateRules.ManifestSyntax.Id)
                {
                    findings.Add(new Finding(problem.RuleId == EstateRules.NoManifests.Id ? EstateRules.NoManifests : EstateRules.InputUnreadable, problem.Message, problem.Path, problem.Position));
                }
            }

            var fileOf = new Dictionary<EstateEntry, string>();
            foreach (ScannedFile file in scan.Files)
            {
                foreach (ManifestDiagnostic diagnostic in file.Diagnostics)
                {
                    findings.Add(new Finding(RuleFor(diagnostic.Kind), diagnostic.Message, file.Path, diagnostic.Position));
                }

                foreach (EstateEntry entry in file.Entries)
                {
                    fileOf[entry] = file.Path;
                }
            }

            if (policy.Teams.Count > 0)
            {
                foreach (EstateEntry entry in scan.Entries)
                {
                    if (entry.Manifest.Owner is string owner && policy.FindTeam(owner) is null)
                    {
                        findings.Add(new Finding(
                            EstateRules.UnknownOwner,
                            "Service '" + (entry.Manifest.Service ?? "(unnamed)") + "' is owned by '" + owner + "', which is not a team of the policy (" + TeamList(policy) + ")",
                            fileOf[entry],
                            entry.Manifest.OwnerPosition));
                    }
                }
            }

            var firstByName = new Dictionary<string, EstateEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (EstateEntry entry in scan.Entries)
            {
                if (entry.Manifest.Service is not string name)
                {
                    continue;
                }

                if (firstByName.TryGetValue(name, out EstateEntry? first))
                {
                    findings.Add(new Finding(
                        EstateRules.DuplicateService,
                        "Service '" + name + "' is declared in " + entry.Source + " and already in " + first.Source + "; keep one manifest per service",
                        fileOf[entry],
                        entry.Manifest.ServicePosition));
                }
                else
                {
                    firstByName.Add(name, entry);
                }
            }

            foreach (EstateConflict conflict in EstateValidator.FindDatabaseClaimedTwice(scan.Entries))
            {
                // One service declared twice is reported once, as a duplicate service.
                if (!string.Equals(conflict.First.Manifest.Service, conflict.Second.Manifest.Service, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(new Finding(EstateRules.DatabaseClaimedTwice, conflict.Message, fileOf[conflict.Second], conflict.SecondPosition));
                }
            }

            findings.Sort((a, b) =>
            {
                int byPath = string.CompareOrdinal(a.Path, b.Path);
                if (byPath != 0)
                {
                    return byPath;
                }

                int byLine = a.Position.Line.CompareTo(b.Position.Line);
                return byLine != 0 ? byLine : a.Position.Column.CompareTo(b.Position.Column);
            });
            return findings;
        }

        private static EstateRule RuleFor(ManifestDiagnosticKind kind) => kind switch
        {
            ManifestDiagnosticKind.Syntax => EstateRules.ManifestSyntax,
            ManifestDiagnosticKind.Owner => EstateRules.Owner,
            ManifestDiagnosticKind.AvailabilityMismatch => EstateRules.AvailabilityMismatch,
            _ => EstateRules.ManifestInvalid,
        };

        private static string TeamList(OrganisationPolicy policy)
        {
            var ids = new List<string>();
            foreach (PolicyTeam team in policy.Teams)
            {
                ids.Add(team.Id);
            }

            return string.Join(", ", ids);
        }
    }
}
