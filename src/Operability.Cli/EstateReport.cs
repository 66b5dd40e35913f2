using System.Collections.Generic;
using System.Linq;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>The services at one availability target and the on-call levels the policy's table gives that target.</summary>
    internal sealed record TargetLevel(decimal Target, int Services, OnCallLevel WorkingHours, OnCallLevel OutOfHours);

    /// <summary>
    /// The estate on one page: the three views (<c>estate check</c>'s findings, <c>estate on-call</c>'s schedules,
    /// <c>estate traffic-light</c>) computed once from one scan, and the targets with their on-call levels for the
    /// chart. Each view is the one its own command computes; the report only lays them out.
    /// </summary>
    internal sealed class EstateReport
    {
        private EstateReport(
            string policyName,
            OrganisationPolicy policy,
            int manifests,
            int files,
            IReadOnlyList<Finding> findings,
            EstateOnCall onCall,
            EstateTrafficLight trafficLight,
            IReadOnlyList<TargetLevel> targets,
            int withoutTarget)
        {
            PolicyName = policyName;
            Policy = policy;
            Manifests = manifests;
            Files = files;
            Findings = findings;
            OnCall = onCall;
            TrafficLight = trafficLight;
            Targets = targets;
            WithoutTarget = withoutTarget;
        }

        /// <summary>"the playbook's defaults" or "the policy PATH".</summary>
        public string PolicyName { get; }

        public OrganisationPolicy Policy { get; }

        public int Manifests { get; }

        public int Files { get; }

        public IReadOnlyList<Finding> Findings { get; }

        public EstateOnCall OnCall { get; }

        public EstateTrafficLight TrafficLight { get; }

        /// <summary>Every availability target in the estate, lowest first, with how many services have it.</summary>
        public IReadOnlyList<TargetLevel> Targets { get; }

        /// <summary>Manifests with no availability target (not on the chart).</summary>
        public int WithoutTarget { get; }

        /// <summary>True when a finding is at error level: the report exits as <c>estate check</c> would.</summary>
        public bool HasErrors => Findings.Any(f => f.Rule.Level == FindingLevel.Error);

        public static EstateReport Build(EstateScan scan, OrganisationPolicy policy, string policyName)
        {
            var targets = new SortedDictionary<decimal, int>();
            int manifests = 0;
            int withoutTarget = 0;
            foreach (EstateEntry entry in scan.Entries)
            {
                manifests++;
                if (entry.Manifest.AvailabilityTarget is decimal target)
                {
                    targets[target] = targets.TryGetValue(target, out int count) ? count + 1 : 1;
                }
                else
                {
                    withoutTarget++;
                }
            }

            var levels = new List<TargetLevel>(targets.Count);
            foreach (KeyValuePair<decimal, int> pair in targets)
            {
                // The same table estate on-call places services with, so the chart and the schedules agree.
                (OnCallLevel workingHours, OnCallLevel outOfHours) = policy.OnCallFor(pair.Key);
                levels.Add(new TargetLevel(pair.Key, pair.Value, workingHours, outOfHours));
            }

            return new EstateReport(
                policyName,
                policy,
                manifests,
                scan.Files.Count,
                EstateChecks.Find(scan, policy),
                EstateOnCall.Plan(scan.Entries, policy),
                EstateTrafficLight.Judge(scan.Entries),
                levels,
                withoutTarget);
        }

        /// <summary>An on-call level as the manifests write it: none, domain or team.</summary>
        public static string OnCallWord(OnCallLevel level) => ManifestBuilder.OnCallWords[(int)level];

        /// <summary>The one-line summary at the top of the page.</summary>
        public string Summary =>
            Manifests + " service(s) from " + Files + " file(s), judged against " + PolicyName + ".";
    }
}
