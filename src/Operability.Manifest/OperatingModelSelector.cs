using System;

namespace Operability.Manifest
{
    /// <summary>The operating model chosen for a service, why, and whether its targets look suspicious.</summary>
    public sealed class OperatingModelDecision
    {
        internal OperatingModelDecision(OperatingModel model, TrafficLight trafficLight, string trafficLightReason, string reason, string? warningSignReason)
        {
            Model = model;
            TrafficLight = trafficLight;
            TrafficLightReason = trafficLightReason;
            Reason = reason;
            WarningSignReason = warningSignReason;
        }

        /// <summary>Who should run the service.</summary>
        public OperatingModel Model { get; }

        /// <summary>Where the deployment frequency falls on the traffic light (green, amber, red), whatever else decided.</summary>
        public TrafficLight TrafficLight { get; }

        /// <summary>
        /// A short sentence saying which edge of the traffic light the deployment frequency meets, e.g. "Deploying daily
        /// is weekly or more often: green." It explains the light only; <see cref="Reason"/> explains the model, which a
        /// 99.99% target or a foundational system decides before the light does.
        /// </summary>
        public string TrafficLightReason { get; }

        /// <summary>A short sentence saying which rule chose the model.</summary>
        public string Reason { get; }

        /// <summary>True when the targets together are a warning sign (see <see cref="WarningSignReason"/>).</summary>
        public bool WarningSign => WarningSignReason != null;

        /// <summary>Why the targets are a warning sign; null when they are not.</summary>
        public string? WarningSignReason { get; }
    }

    /// <summary>The playbook's traffic light for the deployment frequency.</summary>
    public enum TrafficLight
    {
        /// <summary>Weekly or more often: You Build It You Run It.</summary>
        Green,

        /// <summary>Strictly between fortnightly and weekly: the availability target breaks the tie.</summary>
        Amber,

        /// <summary>Fortnightly or less often: Ops Run It.</summary>
        Red,
    }

    /// <summary>Selects You Build It You Run It or Ops Run It from the deployment and availability targets.</summary>
    public static class OperatingModelSelector
    {
        /// <summary>The target from which the amber tie goes to You Build It You Run It.</summary>
        private const decimal TieBreakTarget = 99.9m;

        /// <summary>The target only the team that builds a service can meet.</summary>
        private const decimal ExtremeTarget = 99.99m;

        /// <summary>As <see cref="Select(DeploymentFrequency, decimal, bool)"/> for a named deployment target.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100, or the deployment target is undefined.</exception>
        public static OperatingModelDecision Select(DeploymentTarget deployment, decimal availabilityTarget, bool foundational)
        {
            Availability.EnsureValidTarget(availabilityTarget, nameof(availabilityTarget));
            return Select(DeploymentFrequency.From(deployment), availabilityTarget, foundational);
        }

        /// <summary>
        /// Rules, first match wins: a target of 99.99% or more → You Build It You Run It; a foundational system (COTS,
        /// custom integration) → Ops Run It; then the traffic light: weekly or more often (green) → You Build It You
        /// Run It; fortnightly or less often (red) → Ops Run It; strictly between (amber, only "N per week"
        /// frequencies such as 0.75) → the target breaks the tie: 99.9% or more → You Build It You Run It, else Ops
        /// Run It. A target of 95.0% or less with monthly deployments or fewer is a warning sign.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100, or the frequency is not more than zero a week.</exception>
        public static OperatingModelDecision Select(DeploymentFrequency deployment, decimal availabilityTarget, bool foundational)
        {
            Availability.EnsureValidTarget(availabilityTarget, nameof(availabilityTarget));
            if (deployment.PerWeek <= 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(deployment), deployment, "A deployment frequency is more than zero a week.");
            }

            TrafficLight light = deployment >= DeploymentFrequency.Weekly ? TrafficLight.Green
                : deployment <= DeploymentFrequency.Fortnightly ? TrafficLight.Red
                : TrafficLight.Amber;
            string lightReason = "Deploying " + deployment + light switch
            {
                TrafficLight.Green => " is weekly or more often: green.",
                TrafficLight.Red => " is fortnightly or less often: red.",
                _ => " is between fortnightly and weekly: amber, and the availability target breaks the tie.",
            };
            string? warning = availabilityTarget <= 95.0m && deployment <= DeploymentFrequency.Monthly
                ? "A low availability target with monthly deployments is a warning sign: check the right thing is being built."
                : null;

            if (availabilityTarget >= ExtremeTarget)
            {
                return new OperatingModelDecision(OperatingModel.YouBuildItYouRunIt, light, lightReason, "A target of 99.99% or more needs the team that builds the service to run it.", warning);
            }

            if (foundational)
            {
                return new OperatingModelDecision(OperatingModel.OpsRunIt, light, lightReason, "A foundational system with a target below 99.99% can be run by an operations team.", warning);
            }

            switch (light)
            {
                case TrafficLight.Green:
                    return new OperatingModelDecision(OperatingModel.YouBuildItYouRunIt, light, lightReason, "Deploying weekly or more often needs the team that builds the service to run it.", warning);
                case TrafficLight.Red:
                    return new OperatingModelDecision(
                        OperatingModel.OpsRunIt,
                        light,
                        lightReason,
                        deployment == DeploymentFrequency.Monthly ? "Deploying monthly can be supported by an operations team." : "Deploying fortnightly or less often can be supported by an operations team.",
                        warning);
                default:
                    return availabilityTarget >= TieBreakTarget
                        ? new OperatingModelDecision(OperatingModel.YouBuildItYouRunIt, light, lightReason, "Deploying between fortnightly and weekly with a target of 99.9% or more tips the balance to the team that builds the service.", warning)
                        : new OperatingModelDecision(OperatingModel.OpsRunIt, light, lightReason, "Deploying between fortnightly and weekly with a target below 99.9% can be supported by an operations team.", warning);
            }
        }
    }
}
