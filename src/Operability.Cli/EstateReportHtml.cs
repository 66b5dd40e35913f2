using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>
    /// The report as one self-contained HTML page: inline CSS, an inline SVG chart, no script and nothing fetched (a
    /// Content-Security-Policy says so too), so it reads the same from a portal, an artifact store or a local file.
    /// Every value that comes from a manifest, a path or the policy is HTML-encoded where it is written.
    /// </summary>
    internal static class EstateReportHtml
    {
        private const int ChartWidth = 720;
        private const int LabelWidth = 80;
        private const int BarSpace = 440;
        private const int RowHeight = 30;
        private const int BarHeight = 20;

        // Dark enough for the counts beside the bars to stay readable (WCAG AA against white) and apart from one another.
        private static string BarColour(OnCallLevel outOfHours) => outOfHours switch
        {
            OnCallLevel.Team => "#1d3f73",
            OnCallLevel.Domain => "#3b6fb6",
            _ => "#6b7280",
        };

        private const string Style = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #ffffff; margin: 0; }
            main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
            h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
            h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d4da; padding-bottom: .25rem; }
            table { border-collapse: collapse; width: 100%; font-size: .9rem; }
            th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e2e5e9; overflow-wrap: break-word; }
            th { background: #f1f3f5; }
            td.why { min-width: 22rem; }
            code { font-size: .85em; }
            .light { font-weight: 600; border-radius: .25rem; padding: .1rem .4rem; white-space: nowrap; }
            .green { background: #d3f0da; color: #0b4d1e; }
            .amber { background: #fde9c4; color: #6b3f00; }
            .red { background: #f8d4d4; color: #7a1111; }
            .error { color: #8a1010; font-weight: 600; }
            .warning { color: #6b3f00; font-weight: 600; }
            svg text { font-family: inherit; font-size: 13px; fill: #1a1a1a; }
            """;

        public static string Write(EstateReport report)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<title>Estate report</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
                .Append("<h1>Estate report</h1>\n<p id=\"summary\">").Append(Encode(report.Summary)).Append("</p>\n");
            Chart(html, report);
            Check(html, report);
            OnCall(html, report);
            TrafficLights(html, report.TrafficLight);
            return html.Append("</main>\n</body>\n</html>\n").ToString();
        }

        private static string Encode(string text) => WebUtility.HtmlEncode(text);

        private static string Px(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static void Chart(StringBuilder html, EstateReport report)
        {
            html.Append("<section id=\"targets\">\n<h2>Availability targets and on-call levels</h2>\n");
            if (report.Targets.Count == 0)
            {
                html.Append("<p>No service has an availability target.</p>\n</section>\n");
                return;
            }

            int most = 1;
            foreach (TargetLevel level in report.Targets)
            {
                most = level.Services > most ? level.Services : most;
            }

            int legendY = report.Targets.Count * RowHeight + 16;
            int height = legendY + 24;
            html.Append("<svg id=\"targets-chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"targets-chart-title\" width=\"")
                .Append(Px(ChartWidth)).Append("\" height=\"").Append(Px(height)).Append("\" viewBox=\"0 0 ").Append(Px(ChartWidth)).Append(' ').Append(Px(height)).Append("\">\n")
                .Append("<title id=\"targets-chart-title\">Services per availability target, coloured by the on-call level out of hours</title>\n");
            for (int i = 0; i < report.Targets.Count; i++)
            {
                TargetLevel level = report.Targets[i];
                int y = i * RowHeight;
                // Never thinner than two pixels, however many services the widest bar has.
                int width = System.Math.Max(2, level.Services * BarSpace / most);
                string target = EstateTrafficLightCommand.Percent(level.Target);
                string onCall = EstateReport.OnCallWord(level.WorkingHours) + " / " + EstateReport.OnCallWord(level.OutOfHours);
                html.Append("<g class=\"bar\" data-target=\"").Append(Encode(CommonOptions.Number(level.Target))).Append("\" data-services=\"").Append(Px(level.Services))
                    .Append("\" data-out-of-hours=\"").Append(EstateReport.OnCallWord(level.OutOfHours)).Append("\">")
                    .Append("<title>").Append(Encode(target + ": " + level.Services + " service(s), on call " + onCall)).Append("</title>")
                    .Append("<text x=\"0\" y=\"").Append(Px(y + 15)).Append("\">").Append(Encode(target)).Append("</text>")
                    .Append("<rect x=\"").Append(Px(LabelWidth)).Append("\" y=\"").Append(Px(y)).Append("\" width=\"").Append(Px(width)).Append("\" height=\"").Append(Px(BarHeight))
                    .Append("\" fill=\"").Append(BarColour(level.OutOfHours)).Append("\"/>")
                    .Append("<text x=\"").Append(Px(LabelWidth + width + 6)).Append("\" y=\"").Append(Px(y + 15)).Append("\">")
                    .Append(Px(level.Services)).Append(" · ").Append(Encode(onCall)).Append("</text></g>\n");
            }

            int x = 0;
            foreach (OnCallLevel level in new[] { OnCallLevel.Team, OnCallLevel.Domain, OnCallLevel.None })
            {
                string label = "out of hours: " + EstateReport.OnCallWord(level);
                html.Append("<g class=\"legend\"><rect x=\"").Append(Px(x)).Append("\" y=\"").Append(Px(legendY)).Append("\" width=\"12\" height=\"12\" fill=\"").Append(BarColour(level)).Append("\"/>")
                    .Append("<text x=\"").Append(Px(x + 18)).Append("\" y=\"").Append(Px(legendY + 11)).Append("\">").Append(label).Append("</text></g>\n");
                x += 170;
            }

            html.Append("</svg>\n");
            if (report.WithoutTarget > 0)
            {
                html.Append("<p>").Append(Px(report.WithoutTarget)).Append(" service(s) with no availability target are not on the chart.</p>\n");
            }

            html.Append("</section>\n");
        }

        /// <summary>A view with nothing to list still has its table, with one row that says so: every view reads the same.</summary>
        private static void EmptyRow(StringBuilder html, int rows, int columns, string message)
        {
            if (rows == 0)
            {
                html.Append("<tr><td colspan=\"").Append(Px(columns)).Append("\">").Append(message).Append("</td></tr>\n");
            }
        }

        private static void Check(StringBuilder html, EstateReport report)
        {
            html.Append("<section id=\"check\">\n<h2>Estate check</h2>\n<p>")
                .Append(Encode(EstateCheckCommand.Summary(report.Findings, report.Manifests, report.Files))).Append("</p>\n");
            html.Append("<table>\n<thead><tr><th>level</th><th>rule</th><th>where</th><th>finding</th></tr></thead>\n<tbody>\n");
            EmptyRow(html, report.Findings.Count, 4, "No findings.");
            foreach (Finding finding in report.Findings)
            {
                string level = EstateCheckCommand.Level(finding.Rule.Level);
                html.Append("<tr><td class=\"").Append(level).Append("\">").Append(level).Append("</td><td>").Append(Encode(finding.Rule.Id))
                    .Append("</td><td><code>").Append(Encode(EstateCheckCommand.Location(finding))).Append("</code></td><td>").Append(Encode(finding.Message)).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n</section>\n");
        }

        private static void OnCall(StringBuilder html, EstateReport report)
        {
            EstateOnCall plan = report.OnCall;
            decimal? cost = report.Policy.StandbyCostPerWeek;
            string Money(decimal amount) => Encode(CommonOptions.Money(amount) + " " + report.Policy.Currency);
            html.Append("<section id=\"on-call\">\n<h2>Out-of-hours schedules</h2>\n<p>")
                .Append(Px(plan.Schedules.Count)).Append(" out-of-hours schedule(s); one per team would be ").Append(Px(plan.NaiveCount));
            if (cost is decimal each)
            {
                html.Append(". Standby a week: ").Append(Money(each * plan.Schedules.Count)).Append(" (one per team: ").Append(Money(each * plan.NaiveCount)).Append(')');
            }

            html.Append(".</p>\n");
            html.Append("<table>\n<thead><tr><th>schedule</th><th>kind</th><th>teams</th><th>services</th>").Append(cost is null ? string.Empty : "<th>standby a week</th>").Append("</tr></thead>\n<tbody>\n");
            EmptyRow(html, plan.Schedules.Count, cost is null ? 4 : 5, "No service needs an out-of-hours schedule.");
            foreach (Schedule schedule in plan.Schedules)
            {
                html.Append("<tr><td>").Append(Encode(schedule.Id)).Append("</td><td>").Append(EstateOnCallCommand.Kind(schedule.Kind))
                    .Append("</td><td>").Append(Encode(string.Join(", ", schedule.Teams))).Append("</td><td>").Append(Encode(string.Join(", ", schedule.Services))).Append("</td>")
                    .Append(cost is decimal c ? "<td>" + Money(c) + "</td>" : string.Empty).Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n");

            var notes = new List<string>
            {
                "No out-of-hours cover: " + (plan.NoOutOfHours.Count == 0 ? "(none)" : string.Join(", ", plan.NoOutOfHours)),
            };
            foreach (var (domain, team) in plan.DomainsWithOneTeam)
            {
                notes.Add("Domain " + domain + " has one team only (" + team + "): a domain schedule needs sibling teams to share it.");
            }

            foreach (SmallRota rota in plan.SmallRotas)
            {
                notes.Add("Team " + rota.Team + " has " + rota.Rota + " on its out-of-hours rota; a sustainable rota needs " + OrganisationPolicy.MinimumSustainableRota + " or more.");
            }

            foreach (SkippedService skipped in plan.Skipped)
            {
                notes.Add("Not placed on a schedule: " + skipped.Source + ": " + skipped.Reason);
            }

            html.Append("<ul>\n");
            foreach (string note in notes)
            {
                html.Append("<li>").Append(Encode(note)).Append("</li>\n");
            }

            html.Append("</ul>\n</section>\n");
        }

        private static void TrafficLights(StringBuilder html, EstateTrafficLight lights)
        {
            html.Append("<section id=\"traffic-light\">\n<h2>Traffic light</h2>\n<p>").Append(Encode(EstateTrafficLightCommand.Totals(lights))).Append("</p>\n");
            html.Append("<table>\n<thead><tr><th>light</th><th>service</th><th>owner</th><th>target</th><th>deployment</th><th>operating model</th><th>why</th></tr></thead>\n<tbody>\n");
            EmptyRow(html, lights.Services.Count, 7, "No service could be judged.");
            foreach (LitService s in lights.Services)
            {
                string light = EstateTrafficLight.Word(s.Decision.TrafficLight);
                html.Append("<tr><td><span class=\"light ").Append(light).Append("\">").Append(light).Append("</span></td><td>").Append(Encode(s.Name))
                    .Append("</td><td>").Append(Encode(s.Owner ?? "(no owner)")).Append("</td><td>").Append(EstateTrafficLightCommand.Percent(s.Target))
                    .Append("</td><td>").Append(Encode(s.Deployment.ToString())).Append("</td><td>").Append(EstateTrafficLight.ModelName(s.Decision.Model))
                    .Append("</td><td class=\"why\">").Append(Encode(EstateTrafficLightCommand.Why(s))).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");

            if (lights.NotJudged.Count > 0)
            {
                html.Append("<ul>\n");
                foreach (SkippedService n in lights.NotJudged)
                {
                    html.Append("<li>Not judged: <code>").Append(Encode(n.Source)).Append("</code>: ").Append(Encode(n.Reason)).Append("</li>\n");
                }

                html.Append("</ul>\n");
            }

            html.Append("</section>\n");
        }
    }
}
