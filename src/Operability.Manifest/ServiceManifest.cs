using System;
using System.Collections.Generic;

namespace Operability.Manifest
{
    /// <summary>
    /// A service's <c>operability.json</c>: ownership, targets, databases and dependencies. Values that can be
    /// derived (availability target from exposure, on-call levels from the target, deployment target from
    /// feature demand) are filled in when the manifest does not declare them. Positions are <c>default</c> when
    /// the value is absent.
    /// </summary>
    public sealed class ServiceManifest
    {
        /// <summary>
        /// The largest financial exposure per hour a manifest may declare: 10^15 currency units. A larger value is
        /// reported as out of range. Below it, whole units convert to <see cref="double"/> exactly and a year of
        /// exposure (8,784 hours) still fits a <see cref="long"/>, so no consumer's arithmetic overflows.
        /// </summary>
        public static readonly decimal MaxFinancialExposurePerHour = 1_000_000_000_000_000m;

        /// <summary>The runbook path used when the manifest does not declare one.</summary>
        public const string DefaultRunbook = "RUNBOOK.md";

        internal ServiceManifest()
        {
        }

        /// <summary>The service's name (<c>service</c>); null when missing or invalid.</summary>
        public string? Service { get; internal set; }

        /// <summary>Where the <c>service</c> value starts.</summary>
        public SourcePosition ServicePosition { get; internal set; }

        /// <summary>The one owning team (<c>owner</c>); null when missing or invalid.</summary>
        public string? Owner { get; internal set; }

        /// <summary>Where the <c>owner</c> value starts.</summary>
        public SourcePosition OwnerPosition { get; internal set; }

        /// <summary>How to page the on-call person (<c>contacts.onCall</c>).</summary>
        public string? OnCallContact { get; internal set; }

        /// <summary>The team's chat channel (<c>contacts.chat</c>).</summary>
        public string? ChatChannel { get; internal set; }

        /// <summary>The product domain whose teams may share an out-of-hours schedule (<c>productDomain</c>).</summary>
        public string? ProductDomain { get; internal set; }

        /// <summary>Availability target in percent, declared or selected from the financial exposure.</summary>
        public decimal? AvailabilityTarget { get; internal set; }

        /// <summary>Where the declared target starts, or the exposure when the target is derived from it.</summary>
        public SourcePosition AvailabilityTargetPosition { get; internal set; }

        /// <summary>
        /// Peak business events (<c>availability.peaks</c>) with a higher target than the base one, in declared order;
        /// their windows never overlap. Only valid peaks are listed: one with a problem is reported and left out.
        /// </summary>
        public IReadOnlyList<AvailabilityPeak> Peaks { get; internal set; } = Array.Empty<AvailabilityPeak>();

        /// <summary>Maximum financial exposure in an hour of unavailability (<c>availability.financialExposurePerHour</c>); from 0 to <see cref="MaxFinancialExposurePerHour"/>.</summary>
        public decimal? FinancialExposurePerHour { get; internal set; }

        /// <summary>Relative demand for features (<c>deployment.featureDemand</c>).</summary>
        public FeatureDemand? FeatureDemand { get; internal set; }

        /// <summary>Deployment target, declared or derived from <see cref="FeatureDemand"/> when the policy's frequency for it is a named one.</summary>
        public DeploymentTarget? DeploymentTarget { get; internal set; }

        /// <summary>
        /// Deployments a week: the declared <see cref="DeploymentTarget"/>'s, or the policy's frequency for the feature
        /// demand (which may be "N per week", with no named <see cref="DeploymentTarget"/>).
        /// </summary>
        public DeploymentFrequency? DeploymentFrequency { get; internal set; }

        /// <summary>On-call level in working hours, declared or derived from the availability target.</summary>
        public OnCallLevel? WorkingHoursOnCall { get; internal set; }

        /// <summary>On-call level out of hours, declared or derived from the availability target.</summary>
        public OnCallLevel? OutOfHoursOnCall { get; internal set; }

        /// <summary>True for a foundational system (COTS, custom integration): <c>"foundational": true</c>; Ops Run It unless it needs 99.99%.</summary>
        public bool Foundational { get; internal set; }

        /// <summary>Databases this service owns: no other service may use them.</summary>
        public IReadOnlyList<OwnedDatabase> Databases { get; internal set; } = Array.Empty<OwnedDatabase>();

        /// <summary>Read replicas or published datasets owned by another service that this one may read.</summary>
        public IReadOnlyList<ReadableDataset> Reads { get; internal set; } = Array.Empty<ReadableDataset>();

        /// <summary>Downstream services this one calls.</summary>
        public IReadOnlyList<ServiceDependency> Dependencies { get; internal set; } = Array.Empty<ServiceDependency>();

        /// <summary>Path of the runbook relative to the manifest; <see cref="DefaultRunbook"/> unless declared.</summary>
        public string Runbook { get; internal set; } = DefaultRunbook;

        /// <summary>True when the manifest declares <c>runbook</c> itself.</summary>
        public bool RunbookDeclared { get; internal set; }

        /// <summary>Where the declared <c>runbook</c> value starts.</summary>
        public SourcePosition RunbookPosition { get; internal set; }

        /// <summary>The peak whose window covers <paramref name="instant"/> (from inclusive, until exclusive), or null.</summary>
        public AvailabilityPeak? PeakAt(DateTimeOffset instant)
        {
            foreach (AvailabilityPeak peak in Peaks)
            {
                if (peak.Covers(instant))
                {
                    return peak;
                }
            }

            return null;
        }

        /// <summary>
        /// The availability target in force at <paramref name="instant"/>: the covering peak's, else the base target;
        /// with the tolerable unavailability and on-call levels that follow from it. Outside a peak the on-call levels
        /// are the manifest's (declared or derived); during one they are the policy's for the peak target, or the
        /// manifest's where those are higher: a peak adds cover, it never removes any.
        /// </summary>
        /// <param name="instant">The instant, e.g. <c>TimeProvider.GetUtcNow()</c>.</param>
        /// <param name="policy">The organisation's policy for the on-call table; null for the playbook's.</param>
        /// <returns>Null when the manifest has no base target and no peak covers the instant.</returns>
        public EffectiveAvailability? TargetAt(DateTimeOffset instant, OrganisationPolicy? policy = null)
        {
            policy ??= OrganisationPolicy.Playbook;
            AvailabilityPeak? peak = PeakAt(instant);
            if (peak != null)
            {
                (OnCallLevel workingHours, OnCallLevel outOfHours) = policy.OnCallFor(peak.Target);
                return new EffectiveAvailability(peak.Target, AvailabilityTarget, peak, Higher(workingHours, WorkingHoursOnCall), Higher(outOfHours, OutOfHoursOnCall));
            }

            if (AvailabilityTarget is decimal target)
            {
                (OnCallLevel workingHours, OnCallLevel outOfHours) = policy.OnCallFor(target);
                return new EffectiveAvailability(target, target, null, WorkingHoursOnCall ?? workingHours, OutOfHoursOnCall ?? outOfHours);
            }

            return null;
        }

        private static OnCallLevel Higher(OnCallLevel derived, OnCallLevel? declared) =>
            declared is OnCallLevel level && level > derived ? level : derived;
    }

    /// <summary>A database the service owns, with the connection-string names that reach it.</summary>
    public sealed class OwnedDatabase
    {
        internal OwnedDatabase(string name, IReadOnlyList<string> connectionStrings, SourcePosition position)
        {
            Name = name;
            ConnectionStrings = connectionStrings;
            Position = position;
        }

        /// <summary>The database's name; compared case-insensitively.</summary>
        public string Name { get; }

        /// <summary>Connection-string names (as in <c>ConnectionStrings:Orders</c>) that reach this database.</summary>
        public IReadOnlyList<string> ConnectionStrings { get; }

        /// <summary>Where the database's <c>name</c> value starts.</summary>
        public SourcePosition Position { get; }
    }

    /// <summary>A read replica or published dataset owned by another service that allows this one to read it.</summary>
    public sealed class ReadableDataset
    {
        internal ReadableDataset(string name, string owner, IReadOnlyList<string> connectionStrings, SourcePosition position)
        {
            Name = name;
            Owner = owner;
            ConnectionStrings = connectionStrings;
            Position = position;
        }

        /// <summary>The dataset's name.</summary>
        public string Name { get; }

        /// <summary>The service that owns the dataset.</summary>
        public string Owner { get; }

        /// <summary>Connection-string names that reach the dataset.</summary>
        public IReadOnlyList<string> ConnectionStrings { get; }

        /// <summary>Where the dataset's <c>name</c> value starts.</summary>
        public SourcePosition Position { get; }
    }

    /// <summary>A downstream service this one calls.</summary>
    public sealed class ServiceDependency
    {
        /// <summary>
        /// The longest timeout a manifest may declare: <see cref="int.MaxValue"/> milliseconds (24.20:31:23.647), the
        /// longest wait .NET timers, <c>CancellationTokenSource.CancelAfter</c> and <c>HttpClient.Timeout</c> accept.
        /// A longer value is reported as out of range, so every consumer can convert a declared timeout without overflow.
        /// </summary>
        public static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

        internal ServiceDependency(string name, TimeSpan? timeout, bool critical, SourcePosition position)
        {
            Name = name;
            Timeout = timeout;
            Critical = critical;
            Position = position;
        }

        /// <summary>The dependency's name (also the name of its HttpClient).</summary>
        public string Name { get; }

        /// <summary>The total timeout of a call, when declared; always positive and at most <see cref="MaxTimeout"/>.</summary>
        public TimeSpan? Timeout { get; }

        /// <summary>True when the service cannot work without this dependency.</summary>
        public bool Critical { get; }

        /// <summary>Where the dependency's <c>name</c> value starts.</summary>
        public SourcePosition Position { get; }
    }

    /// <summary>The outcome of <see cref="ManifestParser.Parse(string, OrganisationPolicy)"/>.</summary>
    public sealed class ManifestParseResult
    {
        internal ManifestParseResult(ServiceManifest? manifest, IReadOnlyList<ManifestDiagnostic> diagnostics)
        {
            Manifest = manifest;
            Diagnostics = diagnostics;
        }

        /// <summary>The manifest, as far as it could be read; null only when there is a <see cref="ManifestDiagnosticKind.Syntax"/> error.</summary>
        public ServiceManifest? Manifest { get; }

        /// <summary>Every problem found, in document order.</summary>
        public IReadOnlyList<ManifestDiagnostic> Diagnostics { get; }

        /// <summary>True when there is at least one diagnostic (every diagnostic is a problem to fix).</summary>
        public bool HasErrors => Diagnostics.Count > 0;
    }
}
