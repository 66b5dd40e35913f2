using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>estate on-call</c>: the out-of-hours schedules an estate needs, against one per team, and what they cost.</summary>
    internal static class EstateOnCallCommand
    {
        public static Command Create(bool showProgress)
        {
            Argument<string[]> paths = EstateCheckCommand.EstatePaths();
            Option<string?> policy = CommonOptions.Policy();
            Option<OutputFormat> format = CommonOptions.Format();
            var command = new Command(
                "on-call",
                "Groups services into out-of-hours schedules from their targets and the policy's on-call table: a team schedule for "
                + "each team with a service on call as a team, a domain schedule for each product domain with services on call as a "
                + "domain, none for the rest. Shows the count against one schedule per team, the weekly standby cost (the policy's "
                + "standbyCostPerWeek), domains with one team only, and teams whose rota is under three people.\n\n"
                + "Example:\n  dotnet operability estate on-call services/ --policy operability.organisation.json --format markdown");
            command.Arguments.Add(paths);
            command.Options.Add(policy);
            command.Options.Add(format);
            command.SetAction(parseResult =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                OrganisationPolicy? organisation = PolicyFile.Load(parseResult.GetValue(policy), error);
                if (organisation is null)
                {
                    return ExitCodes.InputUnreadable;
                }

                EstateScan scan = EstateScan.Read(parseResult.GetValue(paths)!, organisation, showProgress ? error : null);
                scan.ReportProblems(error);
                EstateOnCall plan = EstateOnCall.Plan(scan.Entries, organisation);
                foreach (SkippedService skipped in plan.Skipped)
                {
                    error.WriteLine(skipped.Source + ": warning: not placed on a schedule: " + skipped.Reason);
                }

                OutputFormat chosen = parseResult.GetValue(format);
                output.Write(chosen == OutputFormat.Json ? Json(plan, organisation).ToJsonString(JsonOutput.Options) + "\n" : Text(plan, organisation, chosen == OutputFormat.Markdown));
                return scan.ExitCode;
            });
            return command;
        }

        internal static string Kind(OnCallLevel level) => level == OnCallLevel.Team ? "team" : "domain";

        private static JsonObject Json(EstateOnCall plan, OrganisationPolicy policy)
        {
            decimal? cost = policy.StandbyCostPerWeek;
            var schedules = new JsonArray();
            foreach (Schedule schedule in plan.Schedules)
            {
                var item = new JsonObject
                {
                    ["kind"] = Kind(schedule.Kind),
                    ["id"] = schedule.Id,
                    ["teams"] = new JsonArray(schedule.Teams.Select(t => (JsonNode?)t).ToArray()),
                    ["services"] = new JsonArray(schedule.Services.Select(s => (JsonNode?)s).ToArray()),
                };
                if (cost is decimal each)
                {
                    item["standbyCostPerWeek"] = each;
                }

                schedules.Add(item);
            }

            var json = new JsonObject
            {
                ["schedules"] = schedules,
                ["noOutOfHours"] = new JsonArray(plan.NoOutOfHours.Select(s => (JsonNode?)s).ToArray()),
                ["outOfHoursSchedules"] = plan.Schedules.Count,
                ["naiveSchedules"] = plan.NaiveCount,
            };
            if (cost is decimal perSchedule)
            {
                json["currency"] = policy.Currency;
                json["standbyCostPerWeek"] = perSchedule * plan.Schedules.Count;
                json["naiveStandbyCostPerWeek"] = perSchedule * plan.NaiveCount;
            }

            json["domainsWithOneTeam"] = new JsonArray(plan.DomainsWithOneTeam.Select(d => (JsonNode?)new JsonObject { ["domain"] = d.Domain, ["team"] = d.Team }).ToArray());
            json["smallRotas"] = new JsonArray(plan.SmallRotas.Select(r => (JsonNode?)new JsonObject
            {
                ["team"] = r.Team,
                ["outOfHoursRota"] = r.Rota,
                ["minimum"] = OrganisationPolicy.MinimumSustainableRota,
            }).ToArray());
            json["skipped"] = new JsonArray(plan.Skipped.Select(s => (JsonNode?)new JsonObject { ["source"] = s.Source, ["reason"] = s.Reason }).ToArray());
            return json;
        }

        internal static string Text(EstateOnCall plan, OrganisationPolicy policy, bool markdown)
        {
            decimal? cost = policy.StandbyCostPerWeek;
            string Cost(decimal amount) => CommonOptions.Money(amount) + " " + policy.Currency;
            var text = new StringBuilder();
            if (markdown)
            {
                text.AppendLine("## Out-of-hours schedules").AppendLine();
                text.AppendLine(cost is null ? "| schedule | kind | teams | services |" : "| schedule | kind | teams | services | standby a week |");
                text.AppendLine(cost is null ? "|---|---|---|---|" : "|---|---|---|---|---|");
            }

            foreach (Schedule s in plan.Schedules)
            {
                string teams = string.Join(", ", s.Teams);
                string services = string.Join(", ", s.Services);
                if (markdown)
                {
                    text.Append("| ").Append(s.Id).Append(" | ").Append(Kind(s.Kind)).Append(" | ").Append(teams).Append(" | ").Append(services)
                        .AppendLine(cost is decimal c ? " | " + Cost(c) + " |" : " |");
                }
                else
                {
                    text.Append(Kind(s.Kind).PadRight(7)).Append(s.Id.PadRight(24)).Append("teams: ").Append(teams).Append("; services: ").Append(services)
                        .AppendLine(cost is decimal c ? "; standby " + Cost(c) + " a week" : string.Empty);
                }
            }

            string bullet = markdown ? "- " : string.Empty;
            text.AppendLine();
            text.Append(bullet).AppendLine("no out-of-hours cover: " + (plan.NoOutOfHours.Count == 0 ? "(none)" : string.Join(", ", plan.NoOutOfHours)));
            text.Append(bullet).Append("out-of-hours schedules: ").Append(plan.Schedules.Count).Append(" (one per team would be ").Append(plan.NaiveCount).AppendLine(")");
            if (cost is decimal perSchedule)
            {
                text.Append(bullet).Append("standby cost a week: ").Append(Cost(perSchedule * plan.Schedules.Count)).Append(" (one per team: ").Append(Cost(perSchedule * plan.NaiveCount)).AppendLine(")");
            }

            foreach (var (domain, team) in plan.DomainsWithOneTeam)
            {
                text.Append(bullet).Append("domain '").Append(domain).Append("' has one team only (").Append(team).AppendLine("): a domain schedule needs sibling teams to share it");
            }

            foreach (SmallRota rota in plan.SmallRotas)
            {
                text.Append(bullet).Append("team '").Append(rota.Team).Append("' has ").Append(rota.Rota).Append(" on its out-of-hours rota; a sustainable rota needs ")
                    .Append(OrganisationPolicy.MinimumSustainableRota).AppendLine(" or more");
            }

            return text.ToString();
        }
    }
}
