using System;
using System.Collections.Generic;

namespace Operability.AspNetCore;

/// <summary>
/// Everything the runtime can be told besides the manifest. Read from the <c>Operability</c> configuration
/// section (see <c>docs/runtime.md</c> for every key and its environment-variable form), then from the
/// delegate given to <c>AddOperability</c>. Reloadable where the docs say so: a change of configuration
/// reaches <see cref="Microsoft.Extensions.Options.IOptionsMonitor{TOptions}"/> without a restart.
/// </summary>
public sealed class OperabilityOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Operability";

    /// <summary>
    /// Path of the service manifest (<c>Operability:ManifestPath</c>), absolute or relative to the content root.
    /// Default: <c>operability.json</c> in the content root, then beside the application's assemblies.
    /// </summary>
    public string? ManifestPath { get; set; }

    /// <summary>
    /// Path of the organisation policy (<c>Operability:PolicyPath</c>), absolute or relative to the content root; it
    /// must exist. Default: <c>operability.organisation.json</c> in the content root, then beside the application's
    /// assemblies, when there is one; without one the playbook's values apply. Read at start.
    /// </summary>
    public string? PolicyPath { get; set; }

    /// <summary>The shutter: <c>Operability:Shutter:*</c>. Reloadable.</summary>
    public ShutterOptions Shutter { get; } = new();

    /// <summary>Health endpoints: <c>Operability:Health:*</c>.</summary>
    public HealthOptions Health { get; } = new();

    /// <summary>Operational endpoints: <c>Operability:Endpoints:*</c>. Read when the endpoints are mapped.</summary>
    public EndpointOptions Endpoints { get; } = new();

    /// <summary>Availability measurement: <c>Operability:Availability:*</c>. Read at start.</summary>
    public AvailabilityOptions Availability { get; } = new();

    /// <summary>
    /// Per-dependency resilience settings, keyed by the dependency's name in the manifest
    /// (<c>Operability:Dependencies:&lt;name&gt;:*</c>). A key that names no dependency of the manifest is a
    /// start-up error. Read when a dependency's pipeline is first built.
    /// </summary>
    public IDictionary<string, DependencyOptions> Dependencies { get; } = new Dictionary<string, DependencyOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Problems found while reading configuration; reported at start, logged on reload.</summary>
    internal List<string> Problems { get; } = new();
}

/// <summary>Shutter settings (<c>Operability:Shutter:*</c>); reloadable.</summary>
public sealed class ShutterOptions
{
    /// <summary>Default for <see cref="RetryAfterSeconds"/>: five minutes.</summary>
    public const int DefaultRetryAfterSeconds = 300;

    /// <summary>Default for <see cref="AutoEngageAfter"/> and <see cref="AutoDisengageAfter"/>.</summary>
    public const int DefaultHysteresis = 3;

    /// <summary><c>Enabled</c>: true shutters every non-operational route of this instance.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>Message</c>: what users read on the page and in the problem's <c>detail</c>.</summary>
    public string? Message { get; set; }

    /// <summary><c>ExpectedBackAt</c>: when the service is expected back (ISO 8601 with an offset).</summary>
    public DateTimeOffset? ExpectedBackAt { get; set; }

    /// <summary><c>RetryAfterSeconds</c>: the <c>Retry-After</c> value when no future <see cref="ExpectedBackAt"/> is known.</summary>
    public int RetryAfterSeconds { get; set; } = DefaultRetryAfterSeconds;

    /// <summary><c>HelpUrl</c>: where users get help (absolute http(s) URL or a path on this site).</summary>
    public string? HelpUrl { get; set; }

    /// <summary><c>PagePath</c>: an HTML template file replacing the built-in page (relative to the content root).</summary>
    public string? PagePath { get; set; }

    /// <summary><c>ServiceDisplayName</c>: the name users see; default the manifest's <c>service</c>.</summary>
    public string? ServiceDisplayName { get; set; }

    /// <summary><c>Language</c>: the built-in page's <c>lang</c> attribute; default <c>en</c>.</summary>
    public string Language { get; set; } = "en";

    /// <summary><c>AutoEngage</c>: shutter automatically while a dependency the manifest marks critical is unhealthy.</summary>
    public bool AutoEngage { get; set; }

    /// <summary><c>AutoEngageAfter</c>: consecutive unhealthy observations of a critical dependency before engaging.</summary>
    public int AutoEngageAfter { get; set; } = DefaultHysteresis;

    /// <summary><c>AutoDisengageAfter</c>: consecutive healthy observations of every critical dependency before disengaging.</summary>
    public int AutoDisengageAfter { get; set; } = DefaultHysteresis;

    /// <summary>
    /// <c>AuthorizationPolicy</c>: the name of an authorization policy of the application. Only when set are
    /// <c>POST</c> and <c>DELETE /operability/shutter</c> mapped, and they require it. Read when endpoints are mapped.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }
}

/// <summary>Health endpoint settings (<c>Operability:Health:*</c>).</summary>
public sealed class HealthOptions
{
    /// <summary><c>CacheSeconds</c>: how long a readiness report is reused (0 disables the cache). Default 2.</summary>
    public double CacheSeconds { get; set; } = 2;

    /// <summary><c>TimeoutSeconds</c>: the longest a check (and a whole report) may take. Default 2.</summary>
    public double TimeoutSeconds { get; set; } = 2;

    /// <summary><c>ProbeIntervalSeconds</c>: how often dependencies with a <c>HealthPath</c> are probed. Default 10.</summary>
    public double ProbeIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// <c>UnreadyAfter</c>: consecutive unhealthy observations (one per probe interval) of a critical, probed
    /// dependency before readiness reports Unhealthy and the instance leaves rotation; until then it is Degraded.
    /// Default 3, as the shutter's <see cref="ShutterOptions.AutoEngageAfter"/>; 1 to 100.
    /// </summary>
    public int UnreadyAfter { get; set; } = ShutterOptions.DefaultHysteresis;

    /// <summary>
    /// <c>ReadyAfter</c>: consecutive healthy observations of that dependency before readiness returns to rotation.
    /// Default 3, as the shutter's <see cref="ShutterOptions.AutoDisengageAfter"/>; 1 to 100.
    /// </summary>
    public int ReadyAfter { get; set; } = ShutterOptions.DefaultHysteresis;
}

/// <summary>Operational endpoint settings (<c>Operability:Endpoints:*</c>), read when the endpoints are mapped.</summary>
public sealed class EndpointOptions
{
    /// <summary>
    /// <c>OperabilityAuthorizationPolicy</c>: the policy <c>/operability</c> requires, in every environment. Unset:
    /// anonymous in Development; elsewhere anonymous callers get a <c>403</c> that names this key and
    /// <see cref="AnonymousReport"/> and nothing else, unless <see cref="AnonymousReport"/> is true.
    /// </summary>
    public string? OperabilityAuthorizationPolicy { get; set; }

    /// <summary>
    /// <c>AnonymousReport</c>: true publishes <c>/operability</c> to anyone outside Development too (owner,
    /// contacts, dependency names, circuit and shutter states, version). Default false. Not together with
    /// <see cref="OperabilityAuthorizationPolicy"/>.
    /// </summary>
    public bool AnonymousReport { get; set; }

    /// <summary>
    /// <c>PublishCommit</c>: true shows the whole informational version in the report, with its <c>+commit</c>
    /// suffix. Default false: the version without it.
    /// </summary>
    public bool PublishCommit { get; set; }

    /// <summary>
    /// <c>OperationalPaths</c>: more path prefixes that are neither shuttered nor counted (for example a Prometheus
    /// scrape endpoint). Default: <c>/metrics</c>. The health and <c>/operability</c> paths are always operational.
    /// </summary>
    public IList<string> OperationalPaths { get; } = new List<string> { "/metrics" };
}

/// <summary>Availability measurement settings (<c>Operability:Availability:*</c>), read at start.</summary>
public sealed class AvailabilityOptions
{
    /// <summary>
    /// Default for <see cref="AbandonedAfter"/>: ten seconds, the limit of a person's attention to a waiting
    /// screen, and shorter than the 60 s after which common ingresses and load balancers give up, so a request they
    /// give up on always counts; and the longest default total timeout of a dependency, so a request still without
    /// an answer by then is past every wait the runtime bounds by default.
    /// </summary>
    public static readonly TimeSpan DefaultAbandonedAfter = TimeSpan.FromSeconds(10);

    /// <summary><c>Window</c>: the rolling window of measured availability. Default 7 days; 1 minute to 31 days.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// <c>AbandonedAfter</c>: a request the caller gives up on before any answer has begun counts as a failure once
    /// it has run this long; one abandoned sooner is not counted. Default <see cref="DefaultAbandonedAfter"/>;
    /// 1 second to 1 hour.
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = DefaultAbandonedAfter;
}

/// <summary>
/// Resilience settings of one dependency (<c>Operability:Dependencies:&lt;name&gt;:*</c>). Unset values come from
/// the defaults for the service's availability target; the total timeout always comes from the manifest's
/// <c>timeout</c>, or that default.
/// </summary>
public sealed class DependencyOptions
{
    /// <summary>
    /// <c>BaseAddress</c>: the dependency's base URL, set on its HttpClient: absolute http(s), or a service-discovery
    /// address such as <c>https+http://payments</c> when the service uses Microsoft.Extensions.ServiceDiscovery.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary><c>AttemptTimeout</c>: the longest one attempt may take.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary><c>Retries</c>: retries of idempotent requests (0 to 10).</summary>
    public int? Retries { get; set; }

    /// <summary><c>RetryBaseDelay</c>: the first backoff delay (exponential, jittered).</summary>
    public TimeSpan? RetryBaseDelay { get; set; }

    /// <summary><c>CircuitBreaker:FailureRatio</c>: failure ratio that opens the circuit (0 &lt; r ≤ 1).</summary>
    public double? FailureRatio { get; set; }

    /// <summary><c>CircuitBreaker:MinimumThroughput</c>: attempts in the sampling window before the ratio counts (≥ 2).</summary>
    public int? MinimumThroughput { get; set; }

    /// <summary><c>CircuitBreaker:SamplingDuration</c>: the window the failure ratio is measured over (≥ 0.5 s).</summary>
    public TimeSpan? SamplingDuration { get; set; }

    /// <summary><c>CircuitBreaker:BreakDuration</c>: how long the circuit stays open before a trial call (≥ 0.5 s).</summary>
    public TimeSpan? BreakDuration { get; set; }

    /// <summary><c>Bulkhead:PermitLimit</c>: calls to the dependency in flight at once (1 to 10000); default from the target and timeout.</summary>
    public int? BulkheadPermitLimit { get; set; }

    /// <summary><c>Bulkhead:QueueLimit</c>: calls that may wait for a permit, within the total timeout (0 to 10000); beyond it a call is rejected at once.</summary>
    public int? BulkheadQueueLimit { get; set; }

    /// <summary>
    /// <c>HealthPath</c>: a path (relative to <see cref="BaseAddress"/>) or absolute URL probed every
    /// <see cref="HealthOptions.ProbeIntervalSeconds"/> through the dependency's pipeline. Required for a critical
    /// dependency when the shutter engages automatically, so that it can also disengage.
    /// </summary>
    public string? HealthPath { get; set; }
}
