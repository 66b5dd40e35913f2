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
        [InlineData(DeploymentTarget.Weekly, true)]
        public void Select_TargetOf9999_IsYouBuildItYouRunItWhateverTheDeployment(DeploymentTarget deployment, bool foundational)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, 99.99m, foundational);

            Assert.Equal(OperatingModel.YouBuildItYouRunIt, decision.Model);
            Assert.Contains("99.99%", decision.Reason);
        }

        [Theory]
        [InlineData(DeploymentTarget.Daily)]
        [InlineData(DeploymentTarget.Weekly)]
        public void Select_WeeklyOrMoreOften_IsYouBuildItYouRunItWhenNotFoundational(DeploymentTarget deployment)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, 95.0m, foundational: false);

            Assert.Equal(OperatingModel.YouBuildItYouRunIt, decision.Model);
            Assert.Equal(TrafficLight.Green, decision.TrafficLight);
        }

        [Theory]
        [InlineData(DeploymentTarget.Monthly, 99.9)]
        [InlineData(DeploymentTarget.Fortnightly, 99.9)]
        [InlineData(DeploymentTarget.Weekly, 95.0)]
        [InlineData(DeploymentTarget.Daily, 99.9)]
        public void Select_FoundationalBelow9999_IsOpsRunItWhateverTheDeployment(DeploymentTarget deployment, double target)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, (decimal)target, foundational: true);

            Assert.Equal(OperatingModel.OpsRunIt, decision.Model);
            Assert.Contains("foundational", decision.Reason);
        }

        [Fact]
        public void Select_Monthly_IsOpsRunIt()
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(DeploymentTarget.Monthly, 99.9m, foundational: false);

            Assert.Equal(OperatingModel.OpsRunIt, decision.Model);
            Assert.Equal(TrafficLight.Red, decision.TrafficLight);
        }

        [Theory]
        [InlineData(99.9)]
        [InlineData(99.95)]
        [InlineData(99.89)]
        [InlineData(95.0)]
        public void Select_Fortnightly_IsRedOpsRunItWhateverTheTargetBelow9999(double target)
        {
            OperatingModelDecision decision = OperatingModelSelector.Select(DeploymentTarget.Fortnightly, (decimal)target, foundational: false);

            Assert.Equal(OperatingModel.OpsRunIt, decision.Model);
            Assert.Equal(TrafficLight.Red, decision.TrafficLight);
        }

        [Theory]
        [InlineData("0.75 per week", 99.9, OperatingModel.YouBuildItYouRunIt)]
        [InlineData("0.75 per week", 99.95, OperatingModel.YouBuildItYouRunIt)]
        [InlineData("0.75 per week", 99.5, OperatingModel.OpsRunIt)]
        [InlineData("0.51 per week", 99.0, OperatingModel.OpsRunIt)]
        [InlineData("0.99 per week", 99.9, OperatingModel.YouBuildItYouRunIt)]
        public void Select_StrictlyBetweenFortnightlyAndWeekly_IsAmberAndTheTargetBreaksTheTie(string frequency, double target, OperatingModel expected)
        {
            Assert.True(DeploymentFrequency.TryParse(frequency, out DeploymentFrequency deployment));

            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, (decimal)target, foundational: false);

            Assert.Equal(expected, decision.Model);
            Assert.Equal(TrafficLight.Amber, decision.TrafficLight);
            Assert.Contains("99.9%", decision.Reason);
        }

        [Theory]
        [InlineData("1 per week", TrafficLight.Green)]
        [InlineData("3 per week", TrafficLight.Green)]
        [InlineData("0.5 per week", TrafficLight.Red)]
        [InlineData("0.1 per week", TrafficLight.Red)]
        public void Select_PerWeekAtOrBeyondTheEdges_IsGreenOrRed(string frequency, TrafficLight expected)
        {
            Assert.True(DeploymentFrequency.TryParse(frequency, out DeploymentFrequency deployment));

            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, 99.9m, foundational: false);

            Assert.Equal(expected, decision.TrafficLight);
            Assert.Equal(expected == TrafficLight.Green ? OperatingModel.YouBuildItYouRunIt : OperatingModel.OpsRunIt, decision.Model);
        }

        [Theory]
        [InlineData("daily", 99.99, true, "Deploying daily is weekly or more often: green.")]
        [InlineData("1 per week", 99.0, false, "Deploying weekly is weekly or more often: green.")]
        [InlineData("fortnightly", 99.9, false, "Deploying fortnightly is fortnightly or less often: red.")]
        [InlineData("monthly", 95.0, true, "Deploying monthly is fortnightly or less often: red.")]
        [InlineData("0.75 per week", 99.5, false, "Deploying 0.75 per week is between fortnightly and weekly: amber, and the availability target breaks the tie.")]
        public void Select_TrafficLightReason_NamesTheFrequencyAndTheEdgeItMeets_WhateverDecidedTheModel(string frequency, double target, bool foundational, string expected)
        {
            Assert.True(DeploymentFrequency.TryParse(frequency, out DeploymentFrequency deployment));

            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, (decimal)target, foundational);

            Assert.Equal(expected, decision.TrafficLightReason);
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
