using System;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>select</c>: the operating-model selector for one service, with the reason for each value.</summary>
    internal static class SelectCommand
    {
        public static Command Create()
        {
            Option<decimal?> exposure = CommonOptions.FinancialExposure();
            Option<decimal?> target = CommonOptions.AvailabilityTarget();
            Option<FeatureDemand?> demand = new("--feature-demand")
            {
                Description = "Relative demand for new features: " + string.Join(", ", ManifestBuilder.FeatureDemandWords) + " (the template's featureDemand).",
                HelpName = string.Join("|", ManifestBuilder.FeatureDemandWords),
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    int index = Array.IndexOf(ManifestBuilder.FeatureDemandWords, token.ToLowerInvariant());
                    if (index < 0)
                    {
                        result.AddError("--feature-demand must be one of " + string.Join(", ", ManifestBuilder.FeatureDemandWords) + " but was '" + token + "'.");
                        return null;
                    }

                    return (FeatureDemand)index;
                },
            };
            Option<DeploymentFrequency?> deployment = new("--deployment-target")
            {
                Description = "Deployment target: monthly, fortnightly, weekly, daily or \"N per week\" (the template's deploymentTarget).",
                HelpName = "monthly|fortnightly|weekly|daily",
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    if (!DeploymentFrequency.TryParse(token.ToLowerInvariant(), out DeploymentFrequency frequency))
                    {
                        result.AddError("--deployment-target must be monthly, fortnightly, weekly, daily or \"N per week\" but was '" + token + "'.");
                        return null;
                    }

                    return frequency;
                },
            };
            Option<bool> foundational = new("--foundational")
            {
                Description = "The service is a foundational system (COTS, custom integration) rather than a digital service.",
            };
            Option<string?> policy = CommonOptions.Policy();
            Option<OutputFormat> format = CommonOptions.Format();
            Option<string?> write = new("--write")
            {
                Description = "Also write the selection into this operability.json: created, or updated in place (only the values selected change).",
                HelpName = "operability.json",
            };
            Option<string?> service = new("--service")
            {
                Description = "With --write: the service's name, needed when the manifest is created.",
                HelpName = "name",
            };
            Option<string?> owner = new("--owner")
            {
                Description = "With --write: the one owning team, needed when the manifest is created.",
                HelpName = "team",
            };

            var command = new Command(
                "select",
                "The operating model for one service: availability target, tolerable unavailability a week, on-call levels, "
                + "deployment target, traffic light and operating model, each with the band or rule that chose it.\n"
                + "Give --financial-exposure or --availability-target (both only when they agree), and --feature-demand or "
                + "--deployment-target (likewise).\n\n"
                + "Example:\n  dotnet operability select --financial-exposure 810000 --feature-demand very-high\n"
                + "  dotnet operability select --financial-exposure 810000 --feature-demand very-high --write src/Orders/operability.json");
            foreach (Option option in new Option[] { exposure, demand, target, deployment, foundational, policy, format, write, service, owner })
            {
                command.Options.Add(option);
            }

            command.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                if (parseResult.GetValue(write) is null && (parseResult.GetValue(service) is not null || parseResult.GetValue(owner) is not null))
                {
                    error.WriteLine("error: --service and --owner are written into a manifest: give --write <operability.json> too.");
                    return ExitCodes.Usage;
                }

                string? policyPath = parseResult.GetValue(policy);
                OrganisationPolicy? organisation = PolicyFile.Load(policyPath, error);
                if (organisation is null)
                {
                    return ExitCodes.InputUnreadable;
                }

                SelectInput input = new(parseResult.GetValue(exposure), parseResult.GetValue(target), parseResult.GetValue(demand), parseResult.GetValue(deployment), parseResult.GetValue(foundational));
                SelectOutcome? outcome = Select(input, organisation, PolicyFile.Describe(policyPath), error);
                if (outcome is null)
                {
                    return ExitCodes.Usage;
                }

                Write(outcome, parseResult.GetValue(format), output);
                return parseResult.GetValue(write) is string path
                    ? ManifestFragment.Write(path, outcome, parseResult.GetValue(service), parseResult.GetValue(owner), error)
                    : ExitCodes.Ok;
            });
            return command;
        }

        internal sealed record SelectInput(decimal? Exposure, decimal? Target, FeatureDemand? Demand, DeploymentFrequency? Deployment, bool Foundational);

        internal sealed record SelectOutcome(
            SelectInput Input,
            string Currency,
            decimal Target,
            string TargetWhy,
            TimeSpan Tolerable,
            OnCallLevel WorkingHours,
            OnCallLevel OutOfHours,
            string OnCallWhy,
            DeploymentFrequency Deployment,
            string DeploymentWhy,
            OperatingModelDecision Decision);

        /// <summary>Every value from the policy's selectors; null (after a message) when the flags are missing or contradict each other.</summary>
        internal static SelectOutcome? Select(SelectInput input, OrganisationPolicy policy, string policyName, TextWriter error)
        {
            decimal target;
            string targetWhy;
            if (input.Exposure is decimal exposure)
            {
                decimal selected = policy.SelectTarget(exposure);
                targetWhy = DescribeBand(policy, exposure, selected, policyName);
                if (input.Target is decimal given && given != selected)
                {
                    error.WriteLine("error: --availability-target " + CommonOptions.Number(given) + " disagrees with --financial-exposure "
                        + CommonOptions.Number(exposure) + ": " + targetWhy + ". Give one of them, or the target the bands select.");
                    return null;
                }

                target = selected;
            }
            else if (input.Target is decimal given)
            {
                target = given;
                targetWhy = "given with --availability-target";
            }
            else
            {
                error.WriteLine("error: give --financial-exposure (the bands select the target) or --availability-target.");
                return null;
            }

            DeploymentFrequency deployment;
            string deploymentWhy;
            if (input.Demand is FeatureDemand demand)
            {
                deployment = policy.DeploymentFor(demand);
                deploymentWhy = "feature demand " + ManifestBuilder.FeatureDemandWords[(int)demand] + " deploys " + deployment + " in the feature-demand bands of " + policyName;
                if (input.Deployment is DeploymentFrequency given && given != deployment)
                {
                    error.WriteLine("error: --deployment-target " + given + " disagrees with --feature-demand " + ManifestBuilder.FeatureDemandWords[(int)demand]
                        + ": " + deploymentWhy + ". Give one of them, or the deployment target the bands select.");
                    return null;
                }
            }
            else if (input.Deployment is DeploymentFrequency given)
            {
                deployment = given;
                deploymentWhy = "given with --deployment-target";
            }
            else
            {
                error.WriteLine("error: give --feature-demand (the bands select the deployment target) or --deployment-target.");
                return null;
            }

            (OnCallLevel working, OnCallLevel outOfHours) = policy.OnCallFor(target);
            string onCallWhy = "the on-call table of " + policyName + " at " + CommonOptions.Number(target) + "%";
            OperatingModelDecision decision = OperatingModelSelector.Select(deployment, target, input.Foundational);
            return new SelectOutcome(input, policy.Currency, target, targetWhy, Availability.TolerableUnavailabilityPerWeek(target), working, outOfHours, onCallWhy, deployment, deploymentWhy, decision);
        }

        private static string DescribeBand(OrganisationPolicy policy, decimal exposure, decimal selected, string policyName)
        {
            // Levels rise with the bands (a policy with equal levels is rejected), so the selected level names its band.
            foreach (ExposureBand band in policy.AvailabilitySelector.Bands)
            {
                if (band.AvailabilityTarget == selected)
                {
                    string where = exposure > band.MaxExposurePerHour
                        ? "above every band, so the top band (up to " + CommonOptions.Money(band.MaxExposurePerHour) + ")"
                        : "in the band up to " + CommonOptions.Money(band.MaxExposurePerHour);
                    return "an exposure of " + CommonOptions.Money(exposure) + " " + policy.Currency + " an hour is " + where
                        + " of " + policyName + ", which selects " + CommonOptions.Number(selected) + "%";
                }
            }

            return "the bands of " + policyName + " select " + CommonOptions.Number(selected) + "%";
        }

        private static string OnCallWord(OnCallLevel level) => ManifestBuilder.OnCallWords[(int)level];

        private static string ModelName(OperatingModel model) => model == OperatingModel.YouBuildItYouRunIt ? "You Build It You Run It" : "Ops Run It";

        private static void Write(SelectOutcome o, OutputFormat format, TextWriter output)
        {
            if (format == OutputFormat.Json)
            {
                var json = new JsonObject
                {
                    ["availabilityTarget"] = o.Target,
                    ["availabilityTargetReason"] = o.TargetWhy,
                    ["tolerableUnavailabilityPerWeek"] = Availability.FormatForDisplay(o.Tolerable),
                    ["onCall"] = new JsonObject
                    {
                        ["workingHours"] = OnCallWord(o.WorkingHours),
                        ["outOfHours"] = OnCallWord(o.OutOfHours),
                        ["reason"] = o.OnCallWhy,
                    },
                    ["deploymentTarget"] = o.Deployment.ToString(),
                    ["deploymentTargetReason"] = o.DeploymentWhy,
                    ["trafficLight"] = o.Decision.TrafficLight.ToString().ToLowerInvariant(),
                    ["operatingModel"] = o.Decision.Model == OperatingModel.YouBuildItYouRunIt ? "you-build-it-you-run-it" : "ops-run-it",
                    ["operatingModelReason"] = o.Decision.Reason,
                    ["foundational"] = o.Input.Foundational,
                    ["warningSign"] = o.Decision.WarningSignReason,
                    ["currency"] = o.Currency,
                };
                output.WriteLine(json.ToJsonString(JsonOutput.Options));
                return;
            }

            var rows = new (string Name, string Value, string Why)[]
            {
                ("availability target", CommonOptions.Number(o.Target) + "%", o.TargetWhy),
                ("tolerable unavailability a week", Availability.FormatForDisplay(o.Tolerable), "(100 - " + CommonOptions.Number(o.Target) + ")% of 168 hours"),
                ("on call in working hours", OnCallWord(o.WorkingHours), o.OnCallWhy),
                ("on call out of hours", OnCallWord(o.OutOfHours), o.OnCallWhy),
                ("deployment target", o.Deployment.ToString(), o.DeploymentWhy),
                ("traffic light", o.Decision.TrafficLight.ToString().ToLowerInvariant(), "the traffic light for deploying " + o.Deployment),
                ("operating model", ModelName(o.Decision.Model), o.Decision.Reason),
            };
            var text = new StringBuilder();
            if (format == OutputFormat.Markdown)
            {
                text.AppendLine("| | value | why |").AppendLine("|---|---|---|");
                foreach (var row in rows)
                {
                    text.Append("| ").Append(row.Name).Append(" | ").Append(row.Value).Append(" | ").Append(row.Why).AppendLine(" |");
                }
            }
            else
            {
                foreach (var row in rows)
                {
                    text.Append(row.Name.PadRight(33)).Append(row.Value.PadRight(26)).AppendLine(row.Why);
                }
            }

            if (o.Decision.WarningSignReason is string warning)
            {
                text.AppendLine().Append("warning sign: ").AppendLine(warning);
            }

            output.Write(text.ToString());
        }
    }
}
