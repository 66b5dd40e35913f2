namespace Operability.Analyzers
{
    /// <summary>Every diagnostic ID the package reports. IDs are stable once shipped.</summary>
    public static class RuleIds
    {
        /// <summary>An HttpClient is created without an explicit Timeout.</summary>
        public const string HttpClientWithoutTimeout = "OPS101";

        /// <summary>A timeout is set to an infinite or disabled value.</summary>
        public const string InfiniteTimeout = "OPS102";

        /// <summary>An HttpClient registration (IHttpClientFactory) has no timeout in its chain.</summary>
        public const string HttpClientRegistrationWithoutTimeout = "OPS103";

        /// <summary>A Polly resilience pipeline or policy retries or breaks circuits but has no timeout.</summary>
        public const string ResiliencePipelineWithoutTimeout = "OPS104";

        /// <summary>A blocking wait has no timeout although an overload takes one.</summary>
        public const string BlockingWaitWithoutTimeout = "OPS105";

        /// <summary>A gRPC client call has no deadline.</summary>
        public const string GrpcCallWithoutDeadline = "OPS106";

        /// <summary>An explicit timeout is longer than the service's budget for that call.</summary>
        public const string TimeoutExceedsBudget = "OPS107";

        /// <summary>Code reaches a database the manifest does not declare as owned.</summary>
        public const string DatabaseNotOwned = "OPS201";

        /// <summary>Code reaches a database that another service of the estate owns.</summary>
        public const string DatabaseOwnedByAnotherService = "OPS202";

        /// <summary>A DbContext declared in another assembly is registered or instantiated.</summary>
        public const string SharedDbContext = "OPS203";

        /// <summary>Two manifests of the estate declare the same database.</summary>
        public const string DatabaseClaimedTwice = "OPS204";

        /// <summary>A service project has no operability.json.</summary>
        public const string MissingManifest = "OPS301";

        /// <summary>The manifest declares no owning team, or more than one.</summary>
        public const string OwnerNotSingle = "OPS302";

        /// <summary>The manifest is malformed or has invalid values.</summary>
        public const string MalformedManifest = "OPS303";

        /// <summary>The availability target is missing or invalid.</summary>
        public const string InvalidAvailabilityTarget = "OPS304";

        /// <summary>The runbook the manifest names does not exist in the project.</summary>
        public const string MissingRunbook = "OPS305";

        /// <summary>The declared availability target differs from the one the financial exposure selects.</summary>
        public const string AvailabilityTargetDisagreesWithExposure = "OPS306";

        /// <summary>The organisation policy is malformed, contradicts itself, or is named but missing.</summary>
        public const string MalformedPolicy = "OPS307";

        /// <summary>The manifest's owner is not a team the organisation policy lists.</summary>
        public const string OwnerNotAPolicyTeam = "OPS308";

        /// <summary>The target calls for a domain out-of-hours schedule but the manifest names no product domain the policy knows.</summary>
        public const string ProductDomainMissingOrUnknown = "OPS309";

        /// <summary>A declared on-call level differs from the one the availability target calls for.</summary>
        public const string OnCallDiffersFromTarget = "OPS310";

        /// <summary>A low availability target together with a low deployment target: the playbook's warning sign.</summary>
        public const string LowTargetsWarningSign = "OPS311";

        /// <summary>The organisation policy's band review date has passed.</summary>
        public const string PolicyReviewOverdue = "OPS312";

        // Failure design (OPS4xx).

        /// <summary>A web service maps no health endpoint.</summary>
        public const string NoHealthEndpoint = "OPS401";

        /// <summary>A web service maps no shutter.</summary>
        public const string NoShutter = "OPS402";

        /// <summary>An outbound HTTP client has a timeout but no circuit breaker.</summary>
        public const string ClientWithoutCircuitBreaker = "OPS403";

        /// <summary>A retrying resilience handler retries a client's POST or PATCH requests.</summary>
        public const string RetriesUnsafeMethods = "OPS404";

        /// <summary>One HTTP client gets more than one resilience handler.</summary>
        public const string StackedResilienceHandlers = "OPS405";

        /// <summary>HttpClient.Timeout is shorter than the client's resilience pipeline's total timeout.</summary>
        public const string ClientTimeoutShorterThanPipeline = "OPS406";

        /// <summary>One circuit breaker, configured in the client defaults, is shared by every client.</summary>
        public const string SharedCircuitBreaker = "OPS407";

        // Adoption (OPS9xx).

        /// <summary>An entry of the operability baseline matches no diagnostic any more.</summary>
        public const string BaselineEntryUnmatched = "OPS901";

        /// <summary>The operability baseline file is malformed.</summary>
        public const string MalformedBaseline = "OPS902";
    }
}
