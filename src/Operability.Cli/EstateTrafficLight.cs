using System.Collections.Generic;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>One service on the traffic light: its targets and the decision <see cref="OperatingModelSelector"/> made for them.</summary>
    internal sealed record LitService(
        string Source,
        string Name,
        string? Owner,
        string? ProductDomain,
        decimal Target,
        DeploymentFrequency Deployment,
        bool Foundational,
        OperatingModelDecision Decision);

    /// <summary>
    /// Every service of an estate on the playbook's operating-model traffic light. The light, the model and both
    /// reasons are <see cref="OperatingModelSelector.Select(DeploymentFrequency, decimal, bool)"/>'s, fed with the
    /// manifest's availability target, deployment frequency (declared, or the policy's for its feature demand) and
    /// foundational flag; a service missing the target or the deployment frequency is not judged rather than guessed.
    /// </summary>
    internal sealed class EstateTrafficLight
    {
        private EstateTrafficLight(IReadOnlyList<LitService> services, IReadOnlyList<SkippedService> notJudged)
        {
            Services = services;
            NotJudged = notJudged;
        }

        /// <summary>The judged services, in the scan's order (by path).</summary>
        public IReadOnlyList<LitService> Services { get; }

        /// <summary>Services with no availability target or no deployment frequency, and which one is missing.</summary>
        public IReadOnlyList<SkippedService> NotJudged { get; }

        /// <summary>How many services are at <paramref name="light"/>.</summary>
        public int Count(TrafficLight light)
        {
            int count = 0;
            foreach (LitService service in Services)
            {
                if (service.Decision.TrafficLight == light)
                {
                    count++;
                }
            }

            return count;
        }

        public static EstateTrafficLight Judge(IEnumerable<EstateEntry> entries)
        {
            var services = new List<LitService>();
            var notJudged = new List<SkippedService>();
            foreach (EstateEntry entry in entries)
            {
                ServiceManifest manifest = entry.Manifest;
                if (manifest.AvailabilityTarget is not decimal target)
                {
                    notJudged.Add(new SkippedService(entry.Source, "no availability target"));
                    continue;
                }

                if (manifest.DeploymentFrequency is not DeploymentFrequency deployment)
                {
                    notJudged.Add(new SkippedService(entry.Source, "no deployment target (deployment.target, or deployment.featureDemand)"));
                    continue;
                }

                OperatingModelDecision decision = OperatingModelSelector.Select(deployment, target, manifest.Foundational);
                services.Add(new LitService(entry.Source, manifest.Service ?? entry.Source, manifest.Owner, manifest.ProductDomain, target, deployment, manifest.Foundational, decision));
            }

            return new EstateTrafficLight(services, notJudged);
        }

        /// <summary>The light as the outputs write it: green, amber or red.</summary>
        public static string Word(TrafficLight light) => light.ToString().ToLowerInvariant();

        /// <summary>The model as the outputs write it.</summary>
        public static string ModelName(OperatingModel model) => model == OperatingModel.YouBuildItYouRunIt ? "You Build It You Run It" : "Ops Run It";

        /// <summary>The model as JSON writes it (as <c>select</c> does).</summary>
        public static string ModelId(OperatingModel model) => model == OperatingModel.YouBuildItYouRunIt ? "you-build-it-you-run-it" : "ops-run-it";
    }
}
