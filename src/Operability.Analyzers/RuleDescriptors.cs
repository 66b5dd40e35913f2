using Microsoft.CodeAnalysis;

namespace Operability.Analyzers
{
    /// <summary>
    /// Builds every descriptor of the package, so that category, severity, help link and
    /// tags are set the same way for all rules.
    /// </summary>
    public static class RuleDescriptors
    {
        /// <summary>Where rule pages live; a rule's page is <c>{HelpLinkBase}{id}.md</c>.</summary>
        public const string HelpLinkBase = "https://github.com/operability/operability/blob/main/docs/rules/";

        public static readonly DiagnosticDescriptor MissingManifest = Create(
            RuleIds.MissingManifest,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Service has no operability.json",
            messageFormat: "Service '{0}' has no operability.json; add one that names its owning team, availability target and runbook",
            description: "Every service declares, in operability.json beside its project file, the single team that owns it, its availability target and its runbook, so that the team that builds it can run it.");

        public static readonly DiagnosticDescriptor OwnerNotSingle = Create(
            RuleIds.OwnerNotSingle,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Service manifest does not name exactly one owning team",
            messageFormat: "{0}",
            description: "Single team ownership: a team may own many services, but a service has exactly one owning team, named in the manifest's 'owner'.");

        public static readonly DiagnosticDescriptor MalformedManifest = Create(
            RuleIds.MalformedManifest,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Service manifest is malformed",
            messageFormat: "operability.json: {0}",
            description: "The manifest could not be read, or a value in it has the wrong type or an unknown word. Nothing else is checked until it is fixed.");

        public static readonly DiagnosticDescriptor InvalidAvailabilityTarget = Create(
            RuleIds.InvalidAvailabilityTarget,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Availability target is missing or invalid",
            messageFormat: "{0}",
            description: "A service declares an availability target, chosen from its financial exposure, as a percentage strictly between 0 and 100; on-call levels and tolerable unavailability follow from it.");

        public static readonly DiagnosticDescriptor MissingRunbook = Create(
            RuleIds.MissingRunbook,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Runbook named by the manifest does not exist",
            messageFormat: "The runbook '{0}' named by operability.json does not exist; create it or correct 'runbook'",
            description: "A runbook from day one: failure scenarios, mitigations and the escalation path, kept next to the code and updated as features land.");

        public static readonly DiagnosticDescriptor AvailabilityTargetDisagreesWithExposure = Create(
            RuleIds.AvailabilityTargetDisagreesWithExposure,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Info,
            title: "Availability target differs from the one the financial exposure selects",
            messageFormat: "{0}",
            description: "The declared target and the target selected from the declared financial exposure per hour disagree. That can be deliberate (a peak business event), but it should be a decision.");

        private static DiagnosticDescriptor Create(
            string id,
            string category,
            DiagnosticSeverity severity,
            string title,
            string messageFormat,
            string description,
            params string[] customTags)
        {
            return new DiagnosticDescriptor(
                id,
                title,
                messageFormat,
                category,
                severity,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: HelpLinkBase + id + ".md",
                customTags: customTags);
        }
    }
}
