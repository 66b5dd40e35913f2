using System;

namespace Operability.Manifest
{
    /// <summary>The operating model chosen for a service, why, and whether its targets look suspicious.</summary>
    public sealed class OperatingModelDecision
    {
        internal OperatingModelDecision(OperatingModel model, string reason, string? warningSignReason)
        {
            Model = model;
            Reason = reason;
            WarningSignReason = warningSignReason;
        }

        /// <summary>Who should run the service.</summary>
        public OperatingModel Model { get; }

        /// <summary>A short sentence saying which rule chose the model.</summary>
        public string Reason { get; }

        /// <summary>True when the targets together are a warning sign (see <see cref="WarningSignReason"/>).</summary>
        public bool WarningSign => WarningSignReason != null;

        /// <summary>Why the targets are a warning sign; null when they are not.</summary>
        public string? WarningSignReason { get; }
    }

    /// <summary>Selects You Build It You Run It or Ops Run It from the deployment and availability targets.</summary>
    public static class OperatingModelSelector
    {
        /// <summary>
        /// Rules, first match wins: a target of 99.99% or more → You Build It You Run It; daily or weekly deployments →
        /// You Build It You Run It; a foundational system deployed monthly or fortnightly → Ops Run It; monthly →
        /// Ops Run It; fortnightly (the traffic light's amber) → the target breaks the tie: 99.9% or more → You Build
        /// It You Run It, else Ops Run It. A target of 95.0% or less with monthly deployments is a warning sign.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The target is not strictly between 0 and 100, or the deployment target is undefined.</exception>
        public static OperatingModelDecision Select(DeploymentTarget deployment, decimal availabilityTarget, bool foundational)
        {
            Availability.EnsureValidTarget(availabilityTarget, nameof(availabilityTarget));
            if (deployment < DeploymentTarget.Monthly || deployment > DeploymentTarget.Daily)
            {
                throw new ArgumentOutOfRangeException(nameof(deployment), deployment, "Unknown deployment target.");
            }

            string? warning = availabilityTarget <= 95.0m && deployment == DeploymentTarget.Monthly
                ? "A low availability target with monthly deployments is a warning sign: check the right thing is being built."
                : null;

            if (availabilityTarget >= 99.99m)
            {
                return new OperatingModelDecision(OperatingModel.YouBuildItYouRunIt, "A target of 99.99% or more needs the team that builds the service to run it.", warning);
            }

            if (deployment == DeploymentTarget.Daily || deployment == DeploymentTarget.Weekly)
            {
                return new OperatingModelDecision(OperatingModel.YouBuildItYouRunIt, "Deploying weekly or more often needs the team that builds the service to run it.", warning);
            }

            if (foundational)
            {
                return new OperatingModelDecision(OperatingModel.OpsRunIt, "A foundational system deployed fortnightly or less often can be run by an operations team.", warning);
            }

            if (deployment == DeploymentTarget.Monthly)
            {
                return new OperatingModelDecision(OperatingModel.OpsRunIt, "Deploying monthly can be supported by an operations team.", warning);
            }

            return availabilityTarget >= 99.9m
                ? new OperatingModelDecision(OperatingModel.YouBuildItYouRunIt, "Deploying fortnightly with a target of 99.9% or more tips the balance to the team that builds the service.", warning)
                : new OperatingModelDecision(OperatingModel.OpsRunIt, "Deploying fortnightly with a target below 99.9% can be supported by an operations team.", warning);
        }
    }
}
