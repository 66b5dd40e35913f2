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

        public static readonly DiagnosticDescriptor HttpClientWithoutTimeout = Create(
            RuleIds.HttpClientWithoutTimeout,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Warning,
            title: "HttpClient is created without an explicit Timeout",
            messageFormat: "'{0}' is created without a Timeout and waits up to the 100-second default; set Timeout, or use IHttpClientFactory with a resilience handler",
            description: "A circuit breaker, a retry or a shutter can only act once a call gives up. An HttpClient created with 'new' waits 100 seconds by default, long enough to turn one slow dependency into an outage.");

        public static readonly DiagnosticDescriptor InfiniteTimeout = Create(
            RuleIds.InfiniteTimeout,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Error,
            title: "Timeout is infinite or disabled",
            messageFormat: "'{0}' is set to {1}, which means no timeout; give it a bounded value",
            description: "An infinite or disabled timeout (Timeout.InfiniteTimeSpan, TimeSpan.MaxValue, -1, or 0 where 0 means no limit) lets a call wait forever; there is no good reason for it in a service.");

        public static readonly DiagnosticDescriptor HttpClientRegistrationWithoutTimeout = Create(
            RuleIds.HttpClientRegistrationWithoutTimeout,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Warning,
            title: "HttpClient registration has no timeout",
            messageFormat: "The HttpClient registration '{0}' has no timeout; add a resilience handler (AddStandardResilienceHandler) or ConfigureHttpClient(c => c.Timeout = ...)",
            description: "A typed or named client registered with IHttpClientFactory inherits the 100-second default unless its registration chain, or the service's client defaults, add a timeout.");

        public static readonly DiagnosticDescriptor BlockingWaitWithoutTimeout = Create(
            RuleIds.BlockingWaitWithoutTimeout,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Warning,
            title: "Blocking wait has no timeout",
            messageFormat: "'{0}' blocks without a timeout; use the overload that takes a TimeSpan",
            description: "A blocking wait with no timeout hangs the thread for as long as the awaited work hangs. Every such wait has an overload that gives up after a bounded time.");

        public static readonly DiagnosticDescriptor ResiliencePipelineWithoutTimeout = Create(
            RuleIds.ResiliencePipelineWithoutTimeout,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Warning,
            title: "Resilience pipeline has no timeout",
            messageFormat: "{0} retries or breaks circuits but has no timeout; add {1} so a hung call gives up",
            description: "Retries and circuit breakers act only on calls that fail. A call that hangs never fails: without a timeout strategy the pipeline waits as long as the call does.");

        public static readonly DiagnosticDescriptor GrpcCallWithoutDeadline = Create(
            RuleIds.GrpcCallWithoutDeadline,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Warning,
            title: "Outbound gRPC call has no deadline",
            messageFormat: "'{0}' is called without a deadline; pass 'deadline:' or CallOptions with a deadline, or set one for the client's registration",
            description: "A gRPC call without a deadline waits for as long as the server takes. Deadlines are gRPC's timeouts and propagate to downstream calls.");

        public static readonly DiagnosticDescriptor TimeoutExceedsBudget = Create(
            RuleIds.TimeoutExceedsBudget,
            RuleCategories.Timeouts,
            DiagnosticSeverity.Info,
            title: "Timeout is longer than the service can afford",
            messageFormat: "{0} waits up to {1}, longer than the budget of {2}{3}; lower it",
            description: "A timeout only protects the service if it is shorter than what the service's own callers will wait. The budget comes from the manifest's dependency timeout or an .editorconfig option.");

        public static readonly DiagnosticDescriptor DatabaseNotOwned = Create(
            RuleIds.DatabaseNotOwned,
            RuleCategories.DatabaseOwnership,
            DiagnosticSeverity.Warning,
            title: "Code reaches a database the service does not own",
            messageFormat: "{0} reaches {1} not declared as owned in operability.json; declare it under 'databases' if it is this service's, or call the owning service's API",
            description: "Single service ownership for databases: a service may use many databases, but each database has exactly one consuming service, declared in that service's manifest.");

        public static readonly DiagnosticDescriptor DatabaseOwnedByAnotherService = Create(
            RuleIds.DatabaseOwnedByAnotherService,
            RuleCategories.DatabaseOwnership,
            DiagnosticSeverity.Warning,
            title: "Code reaches a database another service owns",
            messageFormat: "{0} reaches database '{1}', which service '{2}' (team '{3}') owns; call its API, or read a replica or dataset it publishes",
            description: "A second service that reads another's database couples their schemas, deployments and incidents. The estate's manifests prove who owns the database.");

        public static readonly DiagnosticDescriptor SharedDbContext = Create(
            RuleIds.SharedDbContext,
            RuleCategories.DatabaseOwnership,
            DiagnosticSeverity.Warning,
            title: "DbContext from another assembly is used",
            messageFormat: "'{0}' is declared in '{1}', not in this service; sharing a data-access library shares its database",
            description: "A DbContext declared in another service's assembly, or in a shared data-access library, gives this service direct access to a database it does not own.");

        public static readonly DiagnosticDescriptor DatabaseClaimedTwice = Create(
            RuleIds.DatabaseClaimedTwice,
            RuleCategories.DatabaseOwnership,
            DiagnosticSeverity.Error,
            title: "Database is claimed by two services",
            messageFormat: "Database '{0}' is also declared by service '{1}' in '{2}'; a database has exactly one owning service",
            description: "Two manifests of the estate declare the same database as owned. Exactly one service owns a database; the other must use that service's API or a published dataset.");

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

        public static readonly DiagnosticDescriptor MalformedPolicy = Create(
            RuleIds.MalformedPolicy,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Organisation policy is malformed",
            messageFormat: "Organisation policy: {0}; the rules that read the policy (OPS306, OPS308-OPS312) are not checked until it is fixed",
            description: "The organisation policy could not be read, contradicts itself (overlapping or unordered bands, an unknown level, duplicate ids), or is named by OperabilityOrganisationPolicy but does not exist. The playbook's example values are not used in its place.");

        public static readonly DiagnosticDescriptor OwnerNotAPolicyTeam = Create(
            RuleIds.OwnerNotAPolicyTeam,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Owner is not a team the organisation lists",
            messageFormat: "Owner '{0}' is not a team the organisation policy lists ({1}); name one of them, or add the team to the policy",
            description: "Single team ownership needs a real team: one the organisation knows, with an on-call contact and a rota. A misspelt owner pages nobody.");

        public static readonly DiagnosticDescriptor ProductDomainMissingOrUnknown = Create(
            RuleIds.ProductDomainMissingOrUnknown,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Domain out-of-hours schedule has no known product domain",
            messageFormat: "{0}",
            description: "At 99.0% and 99.5% (with the playbook's table) out-of-hours callouts go to a schedule shared by the sibling teams of one product domain. The manifest must say which domain, and the organisation must know it.");

        public static readonly DiagnosticDescriptor OnCallDiffersFromTarget = Create(
            RuleIds.OnCallDiffersFromTarget,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Warning,
            title: "Declared on-call level differs from the one the availability target calls for",
            messageFormat: "{0}",
            description: "On-call levels follow from the availability target. More cover than the target calls for is a cost (standby pay for a schedule nobody needs); less is a risk (callouts wait while the error budget burns). Both leave a team responsible but unaccountable.");

        public static readonly DiagnosticDescriptor LowTargetsWarningSign = Create(
            RuleIds.LowTargetsWarningSign,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Info,
            title: "Low availability target with a low deployment target",
            messageFormat: "{0}",
            description: "A service that hardly matters when it is down and hardly changes is the playbook's warning sign: check that the right thing is being built, before deciding who runs it.");

        public static readonly DiagnosticDescriptor PolicyReviewOverdue = Create(
            RuleIds.PolicyReviewOverdue,
            RuleCategories.ServiceOwnership,
            DiagnosticSeverity.Info,
            title: "Organisation policy's bands are due for review",
            messageFormat: "The organisation's bands were due for review on {0}; review the exposure and feature-demand bands against this quarter's forecasts and incident losses, then set the next 'bandsReviewDate'",
            description: "Exposure and feature-demand bands are estimates, revisited every quarter. A review date that has passed means the numbers every service is checked against may be stale.");

        // Failure design (OPS4xx).

        public static readonly DiagnosticDescriptor NoHealthEndpoint = Create(
            RuleIds.NoHealthEndpoint,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Warning,
            title: "Web service maps no health endpoint",
            messageFormat: "Web service '{0}' maps no health endpoint; call app.MapHealthChecks(\"/health\") (with builder.Services.AddHealthChecks()) or app.MapOperability()",
            description: "A load balancer, an orchestrator and an on-call engineer need to ask a service whether it can serve. Without a health endpoint a broken instance keeps receiving traffic and a healthy one cannot prove it.",
            WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor NoShutter = Create(
            RuleIds.NoShutter,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Info,
            title: "Web service maps no shutter",
            messageFormat: "Web service '{0}' maps no shutter; call app.MapOperability() so the service can be closed to users with a friendly page during an incident",
            description: "A shutter lets the team close a service, or one of its features, to users on purpose and show them a holding page, instead of letting them meet errors while a dependency is down.",
            WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor ClientWithoutCircuitBreaker = Create(
            RuleIds.ClientWithoutCircuitBreaker,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Warning,
            title: "HttpClient registration has a timeout but no circuit breaker",
            messageFormat: "The HttpClient registration '{0}' has a timeout but no circuit breaker; use AddStandardResilienceHandler(), or add a circuit breaker to its resilience pipeline",
            description: "A timeout bounds one call; a circuit breaker stops calling a dependency that keeps failing, so the service fails fast and degrades instead of queueing every request behind a timeout.");

        public static readonly DiagnosticDescriptor RetriesUnsafeMethods = Create(
            RuleIds.RetriesUnsafeMethods,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Warning,
            title: "Resilience handler retries POST or PATCH requests",
            messageFormat: "'{0}' retries the requests of '{1}', which sends {2}; {3} so a request that is not idempotent is not sent twice",
            description: "A retried POST or PATCH that reached the server before the connection failed is applied twice: two orders, two payments. The standard resilience handler retries every method unless its retry options exclude the unsafe ones.");

        public static readonly DiagnosticDescriptor StackedResilienceHandlers = Create(
            RuleIds.StackedResilienceHandlers,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Warning,
            title: "HttpClient gets more than one resilience handler",
            messageFormat: "'{0}' adds a resilience handler to '{1}', which already gets one from {2}; keep one pipeline per client (RemoveAllResilienceHandlers() first, or configure the existing handler)",
            description: "Two resilience handlers on one client nest: retries multiply, the inner total timeout cuts the outer retries short, and two circuit breakers disagree about when the dependency is down.");

        public static readonly DiagnosticDescriptor ClientTimeoutShorterThanPipeline = Create(
            RuleIds.ClientTimeoutShorterThanPipeline,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Warning,
            title: "HttpClient.Timeout is shorter than the resilience pipeline's total timeout",
            messageFormat: "'{0}': HttpClient.Timeout ({1}) is shorter than its resilience pipeline's total timeout ({2}), so the client gives up first and cuts the retries short; make HttpClient.Timeout longer than the total timeout",
            description: "HttpClient.Timeout bounds the whole handler chain, resilience pipeline included. When it is the shorter of the two, the client cancels the pipeline in the middle of its retries and the pipeline's own timeouts never act.");

        public static readonly DiagnosticDescriptor SharedCircuitBreaker = Create(
            RuleIds.SharedCircuitBreaker,
            RuleCategories.FailureDesign,
            DiagnosticSeverity.Info,
            title: "One circuit breaker is shared by every HttpClient",
            messageFormat: "'{0}' in ConfigureHttpClientDefaults gives every client the same pipeline, so one failing dependency opens the circuit for all; add the handler per client, or call SelectPipelineByAuthority() on it",
            description: "A resilience handler added in ConfigureHttpClientDefaults is registered without a client name, so every client resolves the same pipeline and shares its circuit breaker: when one dependency fails, calls to the healthy ones are refused too.");

        // Adoption (OPS9xx).

        public static readonly DiagnosticDescriptor BaselineEntryUnmatched = Create(
            RuleIds.BaselineEntryUnmatched,
            RuleCategories.Baseline,
            DiagnosticSeverity.Warning,
            title: "Baseline entry matches no diagnostic any more",
            messageFormat: "Baseline entry {0} matches no diagnostic any more; remove it from {1} so that the violation cannot come back unnoticed",
            description: "The operability baseline suppresses violations that existed when it was written. An entry whose violation was fixed, or whose code moved or changed, suppresses nothing today, but would hide the same violation written again; the baseline only shrinks.",
            WellKnownDiagnosticTags.CompilationEnd);

        public static readonly DiagnosticDescriptor MalformedBaseline = Create(
            RuleIds.MalformedBaseline,
            RuleCategories.Baseline,
            DiagnosticSeverity.Warning,
            title: "Operability baseline is malformed",
            messageFormat: "{0} is not a valid operability baseline: {1}",
            description: "An entry of the baseline that cannot be read suppresses nothing, so the violation it was written for is reported again. Rewrite the file with 'dotnet operability baseline write', or correct it by hand.",
            WellKnownDiagnosticTags.CompilationEnd);

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
