using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>estate traffic-light</c>: every service red, amber or green with the reason, and the totals.</summary>
    internal static class EstateTrafficLightCommand
    {
        public static Command Create(bool showProgress)
        {
            Option<OutputFormat> format = CommonOptions.Format();
            return EstateCommand.Create(
                "traffic-light",
                "Puts every service on the playbook's operating-model traffic light from its deployment target (declared, or the "
                + "policy's for its feature demand): weekly or more often green, fortnightly or less often red, in between amber "
                + "(the availability target breaks the tie). Shows the operating model each service gets and why (99.99% and "
                + "foundational systems decide before the light does), the totals, and the services that cannot be judged.\n\n"
                + "Example:\n  dotnet operability estate traffic-light services/ --policy operability.organisation.json --format markdown",
                showProgress,
                (parseResult, scan, _, _) =>
                {
                    TextWriter output = parseResult.InvocationConfiguration.Output;
                    EstateTrafficLight lights = EstateTrafficLight.Judge(scan.Entries);
                    foreach (SkippedService skipped in lights.NotJudged)
                    {
                        parseResult.InvocationConfiguration.Error.WriteLine(skipped.Source + ": warning: not on the traffic light: " + skipped.Reason);
                    }

                    OutputFormat chosen = parseResult.GetValue(format);
                    output.Write(chosen switch
                    {
                        OutputFormat.Json => Json(lights).ToJsonString(JsonOutput.Options) + "\n",
                        OutputFormat.Markdown => Markdown(lights),
                        _ => Text(lights),
                    });
                    return scan.ExitCode;
                },
                format);
        }

        /// <summary>The sentence that explains a service's place: the light's edge, the model's rule, and any warning sign.</summary>
        public static string Why(LitService service) =>
            service.Decision.TrafficLightReason + " " + service.Decision.Reason
            + (service.Decision.WarningSignReason is string warning ? " Warning sign: " + warning : string.Empty);

        /// <summary>The totals line every format shares.</summary>
        public static string Totals(EstateTrafficLight lights) =>
            "green " + lights.Count(TrafficLight.Green) + ", amber " + lights.Count(TrafficLight.Amber) + ", red " + lights.Count(TrafficLight.Red)
            + ", not judged " + lights.NotJudged.Count + " (" + (lights.Services.Count + lights.NotJudged.Count) + " service(s))";

        /// <summary>The target as written in tables: <c>99.9%</c>.</summary>
        public static string Percent(decimal target) => CommonOptions.Number(target) + "%";

        /// <summary>
        /// Text safe in a markdown table cell: pipes escaped, line breaks as spaces, and &amp;, &lt; and &gt; as entities,
        /// because a portal or a pull-request comment renders HTML in markdown: a service named &lt;b&gt; stays that text.
        /// </summary>
        public static string MarkdownCell(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

        internal static JsonObject Json(EstateTrafficLight lights)
        {
            var services = new JsonArray();
            foreach (LitService s in lights.Services)
            {
                services.Add(new JsonObject
                {
                    ["service"] = s.Name,
                    ["owner"] = s.Owner,
                    ["productDomain"] = s.ProductDomain,
                    ["source"] = s.Source,
                    ["availabilityTarget"] = s.Target,
                    ["deploymentTarget"] = s.Deployment.ToString(),
                    ["foundational"] = s.Foundational,
                    ["trafficLight"] = EstateTrafficLight.Word(s.Decision.TrafficLight),
                    ["trafficLightReason"] = s.Decision.TrafficLightReason,
                    ["operatingModel"] = EstateTrafficLight.ModelId(s.Decision.Model),
                    ["operatingModelReason"] = s.Decision.Reason,
                    ["warningSign"] = s.Decision.WarningSignReason,
                });
            }

            return new JsonObject
            {
                ["services"] = services,
                ["totals"] = new JsonObject
                {
                    ["green"] = lights.Count(TrafficLight.Green),
                    ["amber"] = lights.Count(TrafficLight.Amber),
                    ["red"] = lights.Count(TrafficLight.Red),
                    ["notJudged"] = lights.NotJudged.Count,
                },
                ["notJudged"] = new JsonArray(lights.NotJudged.Select(n => (JsonNode?)new JsonObject { ["source"] = n.Source, ["reason"] = n.Reason }).ToArray()),
            };
        }

        internal static string Markdown(EstateTrafficLight lights)
        {
            var text = new StringBuilder("## Traffic light\n\n").AppendLine(Totals(lights)).AppendLine();
            if (lights.Services.Count > 0)
            {
                text.AppendLine("| light | service | owner | target | deployment | operating model | why |").AppendLine("|---|---|---|---|---|---|---|");
                foreach (LitService s in lights.Services)
                {
                    text.Append("| ").Append(EstateTrafficLight.Word(s.Decision.TrafficLight))
                        .Append(" | ").Append(MarkdownCell(s.Name))
                        .Append(" | ").Append(MarkdownCell(s.Owner ?? "(no owner)"))
                        .Append(" | ").Append(Percent(s.Target))
                        .Append(" | ").Append(s.Deployment)
                        .Append(" | ").Append(EstateTrafficLight.ModelName(s.Decision.Model))
                        .Append(" | ").Append(MarkdownCell(Why(s))).AppendLine(" |");
                }

                text.AppendLine();
            }

            foreach (SkippedService n in lights.NotJudged)
            {
                text.Append("- not judged: `").Append(n.Source).Append("`: ").AppendLine(n.Reason);
            }

            return text.ToString();
        }

        private static string Text(EstateTrafficLight lights)
        {
            int nameWidth = lights.Services.Select(s => s.Name.Length).DefaultIfEmpty(0).Max() + 2;
            int deploymentWidth = lights.Services.Select(s => s.Deployment.ToString().Length).DefaultIfEmpty(0).Max() + 2;
            var text = new StringBuilder();
            foreach (LitService s in lights.Services)
            {
                text.Append(EstateTrafficLight.Word(s.Decision.TrafficLight).PadRight(7))
                    .Append(s.Name.PadRight(nameWidth))
                    .Append(Percent(s.Target).PadRight(8))
                    .Append(s.Deployment.ToString().PadRight(deploymentWidth))
                    .Append(EstateTrafficLight.ModelName(s.Decision.Model).PadRight(25))
                    .AppendLine(Why(s));
            }

            foreach (SkippedService n in lights.NotJudged)
            {
                text.Append("not judged: ").Append(n.Source).Append(": ").AppendLine(n.Reason);
            }

            return text.AppendLine().AppendLine(Totals(lights)).ToString();
        }
    }
}
