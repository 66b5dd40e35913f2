using System.Text;

namespace Operability.Cli
{
    /// <summary>The report as markdown (a portal page or a pull-request comment): each view as its own command writes it in markdown.</summary>
    internal static class EstateReportMarkdown
    {
        /// <summary>The widest bar of the targets table, in block characters: wide enough to compare, narrow enough for a comment.</summary>
        private const int BarWidth = 20;

        public static string Write(EstateReport report)
        {
            var text = new StringBuilder("# Estate report\n\n").AppendLine(report.Summary).AppendLine();
            text.AppendLine("## Availability targets and on-call levels").AppendLine();
            if (report.Targets.Count > 0)
            {
                int most = 0;
                foreach (TargetLevel level in report.Targets)
                {
                    most = level.Services > most ? level.Services : most;
                }

                text.AppendLine("| target | services | in working hours | out of hours | |").AppendLine("|---|---|---|---|---|");
                foreach (TargetLevel level in report.Targets)
                {
                    // At least one block for a target that has a service, however many the largest has.
                    int blocks = level.Services * BarWidth / most;
                    text.Append("| ").Append(EstateTrafficLightCommand.Percent(level.Target))
                        .Append(" | ").Append(level.Services)
                        .Append(" | ").Append(EstateReport.OnCallWord(level.WorkingHours))
                        .Append(" | ").Append(EstateReport.OnCallWord(level.OutOfHours))
                        .Append(" | ").Append(new string('█', blocks < 1 ? 1 : blocks)).AppendLine(" |");
                }

                text.AppendLine();
            }

            if (report.WithoutTarget > 0 || report.Targets.Count == 0)
            {
                text.Append(report.WithoutTarget).AppendLine(" service(s) with no availability target.").AppendLine();
            }

            // Each view ends as its command ends it; one blank line between them whatever that was.
            text.Append(EstateCheckCommand.Markdown(report.Findings, report.Manifests, report.Files).TrimEnd('\n')).Append("\n\n");
            text.Append(EstateOnCallCommand.Text(report.OnCall, report.Policy, markdown: true).TrimEnd('\n')).Append("\n\n");
            text.Append(EstateTrafficLightCommand.Markdown(report.TrafficLight).TrimEnd('\n')).Append('\n');
            return text.ToString();
        }
    }
}
