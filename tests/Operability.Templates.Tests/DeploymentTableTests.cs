using System;
using System.Linq;
using Operability.Manifest;
using Xunit;

namespace Operability.Templates.Tests
{
    /// <summary>Deployment targets and the operating model against Operability.Manifest, for every combination.</summary>
    public sealed class DeploymentTableTests
    {
        public static TheoryData<string> DemandChoices() => new(TemplateDefinition.OperableService.Choices("featureDemand").Select(c => c.Choice));

        public static TheoryData<string, string> TargetAndDeploymentChoices()
        {
            var data = new TheoryData<string, string>();
            foreach (var target in TemplateDefinition.OperableService.Choices("availabilityTarget"))
            {
                foreach (var deployment in TemplateDefinition.OperableService.Choices("deploymentTarget"))
                {
                    data.Add(target.Choice, deployment.Choice);
                }
            }

            return data;
        }

        [Fact]
        public void Choices_AreTheManifestsWords()
        {
            Assert.Equal(Enum.GetValues<FeatureDemand>().Select(Word), TemplateDefinition.OperableService.Choices("featureDemand").Select(c => c.Choice));
            Assert.Equal(Enum.GetValues<DeploymentTarget>().Select(Word), TemplateDefinition.OperableService.Choices("deploymentTarget").Select(c => c.Choice));
        }

        [Theory]
        [MemberData(nameof(DemandChoices))]
        public void FeatureDemand_SelectsTheDeploymentTargetTheLibrarySelects(string demand)
        {
            var instance = Scenario.With(("featureDemand", demand));

            Assert.Equal(Word(DeploymentSelector.For(Demand(demand))), instance["effectiveDeployment"]);
            Assert.Equal(Word(DeploymentSelector.For(Demand(demand))), instance["demandDeployment"]);
            Assert.False(instance.Is("parameterError"));
        }

        [Theory]
        [MemberData(nameof(DemandChoices))]
        public void DemandAndDeploymentTarget_AreAnErrorExactlyWhenTheyDisagree(string demand)
        {
            foreach (var deployment in TemplateDefinition.OperableService.Choices("deploymentTarget").Select(c => c.Choice))
            {
                var instance = Scenario.With(("featureDemand", demand), ("deploymentTarget", deployment));
                var disagree = Word(DeploymentSelector.For(Demand(demand))) != deployment;

                Assert.Equal(disagree, instance.Is("deploymentConflict"));
                Assert.Equal(disagree, instance.Is("parameterError"));
            }
        }

        [Fact]
        public void NoDemandAndNoDeploymentTarget_DeploysWeekly()
        {
            var instance = Scenario.With();

            Assert.Equal("weekly", instance["effectiveDeployment"]);
            Assert.True(instance.Is("deploymentDefaulted"));
        }

        [Theory]
        [MemberData(nameof(TargetAndDeploymentChoices))]
        public void OperatingModel_IsTheLibrarysDecision(string target, string deployment)
        {
            var instance = Scenario.With(("availabilityTarget", target), ("deploymentTarget", deployment));
            var decision = OperatingModelSelector.Select(Deployment(deployment), decimal.Parse(target, System.Globalization.CultureInfo.InvariantCulture), foundational: false);

            Assert.Equal(decision.Model == OperatingModel.OpsRunIt ? "Ops Run It" : "You Build It You Run It", instance["operatingModel"]);
            Assert.Equal(decision.Reason, instance["operatingModelReason"]);
            Assert.Equal(decision.Model == OperatingModel.OpsRunIt, instance.Is("opsRunIt"));
            Assert.Equal(decision.WarningSign, instance.Is("warningSign"));
            Assert.Equal(decision.WarningSignReason ?? string.Empty, instance["warningSignReason"]);
        }

        internal static string Word<T>(T value) where T : struct, Enum =>
            string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

        private static FeatureDemand Demand(string word) => Enum.GetValues<FeatureDemand>().Single(d => Word(d) == word);

        private static DeploymentTarget Deployment(string word) => Enum.GetValues<DeploymentTarget>().Single(d => Word(d) == word);
    }
}
