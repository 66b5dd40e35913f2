using System;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class OperatingModelSelectorTests
    {
        [Theory]
        [InlineData(FeatureDemand.Low, DeploymentTarget.Monthly)]
        [InlineData(FeatureDemand.Medium, DeploymentTarget.Fortnightly)]
        [InlineData(FeatureDemand.High, DeploymentTarget.Weekly)]
        [InlineData(FeatureDemand.VeryHigh, DeploymentTarget.Daily)]
        public void DeploymentFor_FeatureDemand_MatchesPlaybook(FeatureDemand demand, DeploymentTarget expected)
        {
            Assert.Equal(expected, DeploymentSelector.For(demand));
        }

        [Fact]
        public void DeploymentFor_UndefinedDemand_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => DeploymentSelector.For((FeatureDemand)42));
        }

        [Theory]
        [InlineData("ecommerce-platform", 810000, FeatureDemand.Low, OperatingModel.OpsRunIt)]
        [InlineData("appointments", 6000, FeatureDemand.High, OperatingModel.YouBuildItYouRunIt)]
        [InlineData("bedroom", 200000, FeatureDemand.VeryHigh, OperatingModel.YouBuildItYouRunIt)]
        public void Select_PlaybookExampleServices_FromExposureAndDemand(string service, int exposure, FeatureDemand demand, OperatingModel expected)
        {
            decimal target = AvailabilitySelector.Default.SelectTarget(exposure);

            OperatingModelDecision decision = OperatingModelSelector.Select(DeploymentSelector.For(demand), target, foundational: false);

            Assert.True(expected == decision.Model, service + ": " + decision.Reason);
            Assert.False(decision.WarningSign);
        }

        [Theory]
        [InlineData(DeploymentTarget.Monthly, true)]
        [InlineData(DeploymentTarget.Fortnightly, true)]
        [InlineData(DeploymentTarget.Monthly, false)]
        public void Select_TargetOf9999_IsYouBuildItYouRunItWhateverTheDeployment(DeploymentTarget deployment, bool foundational)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, 99.99m, foundational);

            Assert.Equal(OperatingModel.YouBuildItYouRunIt, decision.Model);
            Assert.Contains("99.99%", decision.Reason);
        }

        [Theory]
        [InlineData(DeploymentTarget.Daily)]
        [InlineData(DeploymentTarget.Weekly)]
        public void Select_WeeklyOrMoreOften_IsYouBuildItYouRunItEvenWhenFoundational(DeploymentTarget deployment)
        {
            Assert.Equal(OperatingModel.YouBuildItYouRunIt, OperatingModelSelector.Select(deployment, 95.0m, foundational: true).Model);
        }

        [Theory]
        [InlineData(DeploymentTarget.Monthly)]
        [InlineData(DeploymentTarget.Fortnightly)]
        public void Select_FoundationalDeployedFortnightlyOrLess_IsOpsRunIt(DeploymentTarget deployment)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, 99.9m, foundational: true);

            Assert.Equal(OperatingModel.OpsRunIt, decision.Model);
            Assert.Contains("foundational", decision.Reason);
        }

        [Fact]
        public void Select_Monthly_IsOpsRunIt()
        {
            Assert.Equal(OperatingModel.OpsRunIt, OperatingModelSelector.Select(DeploymentTarget.Monthly, 99.9m, foundational: false).Model);
        }

        [Theory]
        [InlineData(99.9, OperatingModel.YouBuildItYouRunIt)]
        [InlineData(99.95, OperatingModel.YouBuildItYouRunIt)]
        [InlineData(99.89, OperatingModel.OpsRunIt)]
        [InlineData(99.0, OperatingModel.OpsRunIt)]
        public void Select_Fortnightly_TargetBreaksTheTie(double target, OperatingModel expected)
        {
            Assert.Equal(expected, OperatingModelSelector.Select(DeploymentTarget.Fortnightly, (decimal)target, foundational: false).Model);
        }

        [Theory]
        [InlineData(95.0, DeploymentTarget.Monthly, true)]
        [InlineData(90.0, DeploymentTarget.Monthly, true)]
        [InlineData(95.01, DeploymentTarget.Monthly, false)]
        [InlineData(95.0, DeploymentTarget.Fortnightly, false)]
        [InlineData(95.0, DeploymentTarget.Weekly, false)]
        public void Select_LowTargetWithMonthlyDeployments_IsWarningSign(double target, DeploymentTarget deployment, bool warning)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, (decimal)target, foundational: false);

            Assert.Equal(warning, decision.WarningSign);
            Assert.Equal(warning, decision.WarningSignReason != null);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(100)]
        public void Select_TargetOutOfRange_Throws(double target)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => OperatingModelSelector.Select(DeploymentTarget.Daily, (decimal)target, foundational: false));
        }
    }
}
