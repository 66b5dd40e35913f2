using System;
using System.CommandLine;
using System.IO;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary><c>estate report</c>: the estate on one page, as markdown or a self-contained HTML page.</summary>
    internal static class EstateReportCommand
    {
        /// <summary>What the report is written as.</summary>
        internal enum ReportFormat
        {
            Markdown,
            Html,
        }

        private static readonly string[] Formats = { "markdown", "html" };

        public static Command Create(bool showProgress)
        {
            var format = new Option<ReportFormat>("--format")
            {
                Description = "Output format: markdown (default) or html (one self-contained page: inline CSS and SVG, no script, nothing fetched).",
                HelpName = "markdown|html",
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    int index = Array.IndexOf(Formats, token.ToLowerInvariant());
                    if (index < 0)
                    {
                        result.AddError("--format must be markdown or html for estate report but was '" + token + "'.");
                        return ReportFormat.Markdown;
                    }

                    return (ReportFormat)index;
                },
            };
            var outputFile = new Option<string?>("--output")
            {
                Description = "Write the report to this file instead of stdout.",
                HelpName = "file",
            };
            return EstateCommand.Create(
                "report",
                "The estate on one page, fit for a portal or a pull-request comment: a chart of the availability targets and "
                + "their on-call levels, then estate check's findings, estate on-call's schedules and estate traffic-light's "
                + "lights, each as its own command computes it. Markdown, or with --format html a single self-contained page. "
                + "Exit code 1 when a finding is an error, as estate check.\n\n"
                + "Example:\n  dotnet operability estate report services/ --policy operability.organisation.json --format html --output estate.html",
                showProgress,
                (parseResult, scan, policy, policyPath) =>
                {
                    EstateReport report = EstateReport.Build(scan, policy, PolicyFile.Describe(policyPath));
                    string page = parseResult.GetValue(format) == ReportFormat.Html ? EstateReportHtml.Write(report) : EstateReportMarkdown.Write(report);
                    if (parseResult.GetValue(outputFile) is not string file)
                    {
                        parseResult.InvocationConfiguration.Output.Write(page);
                    }
                    else if (!TryWrite(file, page, parseResult.InvocationConfiguration.Error))
                    {
                        return ExitCodes.Usage;
                    }

                    return ExitCodes.Worst(scan.ExitCode, report.HasErrors ? ExitCodes.Findings : ExitCodes.Ok);
                },
                format,
                outputFile);
        }

        private static bool TryWrite(string file, string page, TextWriter error)
        {
            try
            {
                File.WriteAllText(file, page);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // The estate was read; only the destination is wrong, which the arguments named.
                error.WriteLine(file + ": error: the report cannot be written: " + e.Message);
                return false;
            }
        }
    }
}
