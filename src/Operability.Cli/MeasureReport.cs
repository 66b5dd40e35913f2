using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>How <c>measure</c> writes its results: text for people, a markdown table, or the documented JSON.</summary>
    internal static class MeasureReport
    {
        private static string Percent(double? ratio) => ratio is double r ? (r * 100).ToString("0.####", CultureInfo.InvariantCulture) + "%" : "n/a";

        private static string Count(double? value) => value is double v ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : "n/a";

        private static string Span(TimeSpan? value) => value is TimeSpan t ? Availability.FormatForDisplay(t) : "n/a";

        private static string PeriodsText(MeasureCommand.ServiceMeasure m)
        {
            if (m.Periods is null)
            {
                return "n/a";
            }

            int ended = m.Periods.Count(p => p.End is not null);
            string text = m.Periods.Count + " period(s) below target";
            if (ended > 0)
            {
                text += ", mean time to restore " + Span(m.MeanTimeToRestore);
            }

            BelowTargetPeriod? ongoing = m.Periods.FirstOrDefault(p => p.End is null);
            return ongoing is null ? text : text + "; below target since " + Rfc3339.Format(ongoing.Start);
        }

        private static string DeploymentsText(DeploymentMeasure? d)
        {
            if (d is null)
            {
                return "n/a";
            }

            string text = d.Count + " (" + CommonOptions.Number(d.PerWeek) + " a week";
            if (d.Target is DeploymentFrequency target)
            {
                text += "; target " + target + ", " + CommonOptions.Number(decimal.Round(target.PerWeek, 4)) + " a week: " + (d.MeetsTarget == true ? "met" : "not met");
            }

            return text + ")";
        }

        private static string LeadText(DeploymentMeasure? d) =>
            d?.MedianLeadTime is null ? "n/a" : "median " + Span(d.MedianLeadTime) + ", mean " + Span(d.MeanLeadTime);

        internal static string Text(MeasureCommand.MeasureRun run, MeasureCommand.MeasureSettings settings, bool prometheus, bool markdown)
        {
            string window = MeasureCommand.Written(settings.Window);
            var text = new StringBuilder();
            if (markdown)
            {
                text.Append("## Trailing measures over ").Append(window).Append(" to ").AppendLine(Rfc3339.Format(settings.Now)).AppendLine()
                    .AppendLine("| service | target | availability | below target | error budget left this week | deployments | lead time |")
                    .AppendLine("|---|---|---|---|---|---|---|");
                foreach (MeasureCommand.ServiceMeasure m in run.Services)
                {
                    text.Append("| ").Append(m.Service).Append(" | ").Append(m.Target is decimal t ? CommonOptions.Number(t) + "%" : "n/a")
                        .Append(" | ").Append(Percent(m.Availability)).Append(" | ").Append(PeriodsText(m)).Append(" | ").Append(Percent(m.ErrorBudgetRemaining))
                        .Append(" | ").Append(DeploymentsText(m.Deployments)).Append(" | ").Append(LeadText(m.Deployments)).AppendLine(" |");
                }

                return text.ToString();
            }

            foreach (MeasureCommand.ServiceMeasure m in run.Services)
            {
                text.Append(m.Service).Append(" (").Append(m.Source).Append("), target ").AppendLine(m.Target is decimal t ? CommonOptions.Number(t) + "%" : "none");
                // Only the rows of the sources given: without --deployments there is nothing to say about deployments.
                if (prometheus)
                {
                    Row(text, "availability over " + window, Percent(m.Availability) + (m.Requests is double r ? " (" + Count(r) + " requests, " + Count(m.Failures) + " failed)" : string.Empty));
                    Row(text, "time to restore availability", PeriodsText(m));
                    Row(text, "error budget left this week", Percent(m.ErrorBudgetRemaining) + (m.WeekRequests is double w ? " (since " + Rfc3339.Format(m.WeekStart) + ": " + Count(w) + " requests, " + Count(m.WeekFailures) + " failed)" : string.Empty));
                }

                if (m.Deployments is not null)
                {
                    Row(text, "deployments over " + window, DeploymentsText(m.Deployments));
                    Row(text, "lead time", LeadText(m.Deployments));
                }
            }

            return text.Append(run.Services.Count).Append(" service(s) measured over ").Append(window).Append(" to ").AppendLine(Rfc3339.Format(settings.Now)).ToString();
        }

        private static void Row(StringBuilder text, string name, string value) => text.Append("  ").Append(name.PadRight(32)).AppendLine(value);

        internal static JsonObject Json(MeasureCommand.MeasureRun run, MeasureCommand.MeasureSettings settings, Uri? prometheus, string? deployments)
        {
            var services = new JsonArray();
            foreach (MeasureCommand.ServiceMeasure m in run.Services)
            {
                JsonArray? periods = m.Periods is null ? null : new JsonArray(m.Periods.Select(p => (JsonNode?)new JsonObject
                {
                    ["start"] = Rfc3339.Format(p.Start),
                    ["end"] = p.End is DateTimeOffset end ? Rfc3339.Format(end) : null,
                    ["timeToRestore"] = p.TimeToRestore is TimeSpan t ? Availability.FormatForDisplay(t) : null,
                }).ToArray());
                DeploymentMeasure? d = m.Deployments;
                services.Add(new JsonObject
                {
                    ["service"] = m.Service,
                    ["source"] = m.Source,
                    ["availabilityTarget"] = m.Target,
                    ["availability"] = m.Availability,
                    ["requests"] = m.Requests,
                    ["failedRequests"] = m.Failures,
                    ["periodsBelowTarget"] = periods,
                    ["meanTimeToRestore"] = m.MeanTimeToRestore is TimeSpan mttr ? Availability.FormatForDisplay(mttr) : null,
                    ["errorBudget"] = m.WeekRequests is null ? null : new JsonObject
                    {
                        ["weekStart"] = Rfc3339.Format(m.WeekStart),
                        ["requests"] = m.WeekRequests,
                        ["failedRequests"] = m.WeekFailures,
                        ["remaining"] = m.ErrorBudgetRemaining,
                    },
                    ["deployments"] = d is null ? null : new JsonObject
                    {
                        ["count"] = d.Count,
                        ["perWeek"] = d.PerWeek,
                        ["target"] = d.Target?.ToString(),
                        ["targetPerWeek"] = d.Target is DeploymentFrequency f ? decimal.Round(f.PerWeek, 4) : null,
                        ["meetsTarget"] = d.MeetsTarget,
                        ["medianLeadTime"] = d.MedianLeadTime is TimeSpan median ? Availability.FormatForDisplay(median) : null,
                        ["meanLeadTime"] = d.MeanLeadTime is TimeSpan mean ? Availability.FormatForDisplay(mean) : null,
                    },
                    ["problems"] = new JsonArray(m.Problems.Select(p => (JsonNode?)p).ToArray()),
                });
            }

            return new JsonObject
            {
                ["at"] = Rfc3339.Format(settings.Now),
                ["window"] = MeasureCommand.Written(settings.Window),
                ["prometheus"] = prometheus is null ? null : PrometheusClient.Redacted(prometheus),
                ["deployments"] = deployments,
                ["services"] = services,
            };
        }
    }
}
