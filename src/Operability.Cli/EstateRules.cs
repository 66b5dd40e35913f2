using System.Collections.Generic;

namespace Operability.Cli
{
    /// <summary>The level of a finding, as SARIF names it.</summary>
    internal enum FindingLevel
    {
        Warning,
        Error,
    }

    /// <summary>A rule of <c>estate check</c>: its id (stable; the anchor of its section in docs/cli.md), level and help.</summary>
    internal sealed record EstateRule(string Id, string Name, FindingLevel Level, string Title, string Help)
    {
        public string HelpUri => "https://github.com/operability/operability/blob/main/docs/cli.md#" + Id;
    }

    /// <summary>A finding: a rule broken at a place.</summary>
    internal sealed record Finding(EstateRule Rule, string Message, string Path, Manifest.SourcePosition Position);

    /// <summary>Every rule of <c>estate check</c>, in one place.</summary>
    internal static class EstateRules
    {
        public static EstateRule InputUnreadable { get; } = new("input-unreadable", "InputUnreadable", FindingLevel.Error,
            "A path cannot be read", "The file or folder does not exist or cannot be read; the rest of the estate is still checked.");

        public static EstateRule NoManifests { get; } = new("no-manifests", "NoManifests", FindingLevel.Error,
            "A folder holds no operability.json", "Nothing under the folder was checked: every service needs an operability.json (bin, obj, node_modules and .git are skipped).");

        public static EstateRule ManifestSyntax { get; } = new("manifest-syntax", "ManifestSyntax", FindingLevel.Error,
            "A manifest is not valid JSON", "The file is not JSON (comments and trailing commas are accepted); nothing in it was checked.");

        public static EstateRule ManifestInvalid { get; } = new("manifest-invalid", "ManifestInvalid", FindingLevel.Error,
            "A manifest fails validation", "A value has the wrong type, an unknown word, is out of range or is declared twice; see docs/estate.md for the manifest's fields.");

        public static EstateRule Owner { get; } = new("owner", "Owner", FindingLevel.Error,
            "A service has no owner or several", "A service has exactly one owning team: 'owner' names one team.");

        public static EstateRule UnknownOwner { get; } = new("unknown-owner", "UnknownOwner", FindingLevel.Error,
            "An owner is not a team of the policy", "The owner is not among the teams the organisation policy lists (ids are compared case-insensitively).");

        public static EstateRule AvailabilityMismatch { get; } = new("availability-mismatch", "AvailabilityMismatch", FindingLevel.Warning,
            "A target disagrees with the policy's bands", "The declared availability target differs from the one the exposure bands select for the declared financial exposure.");

        public static EstateRule DatabaseClaimedTwice { get; } = new("database-claimed-twice", "DatabaseClaimedTwice", FindingLevel.Error,
            "A database is claimed by several services", "A database has exactly one owning service; others read it through that service's API or a published dataset.");

        public static EstateRule DuplicateService { get; } = new("duplicate-service", "DuplicateService", FindingLevel.Error,
            "A service name is declared twice", "Each service has one manifest; two manifests with one service name make owners and targets ambiguous.");

        public static IReadOnlyList<EstateRule> All { get; } = new[]
        {
            InputUnreadable, NoManifests, ManifestSyntax, ManifestInvalid, Owner, UnknownOwner, AvailabilityMismatch, DatabaseClaimedTwice, DuplicateService,
        };
    }
}
