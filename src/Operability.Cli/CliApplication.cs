using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.IO;

namespace Operability.Cli
{
    /// <summary>Builds the command tree and runs one command line.</summary>
    internal static class CliApplication
    {
        /// <summary>The root command with every command.</summary>
        /// <param name="showProgress">Whether long scans show their progress on stderr (only when it is a terminal).</param>
        public static RootCommand CreateRootCommand(bool showProgress = false)
        {
            var root = new RootCommand(
                "The estate view of operability: the operating model for a service, checks and on-call schedules across "
                + "every operability.json of an estate, and an incident's financial loss.\n\n"
                + "Example:\n  dotnet operability estate check . --policy operability.organisation.json");
            root.Subcommands.Add(SelectCommand.Create());
            var estate = new Command("estate", "Views across every operability.json under some folders (or exported catalogues).\n\nExample:\n  dotnet operability estate on-call services/");
            estate.Subcommands.Add(EstateCheckCommand.Create(showProgress));
            estate.Subcommands.Add(EstateOnCallCommand.Create(showProgress));
            estate.Subcommands.Add(EstateTrafficLightCommand.Create(showProgress));
            estate.Subcommands.Add(EstateReportCommand.Create(showProgress));
            estate.Subcommands.Add(EstateExportCommand.Create(showProgress));
            root.Subcommands.Add(estate);
            root.Subcommands.Add(IncidentCommand.Create());
            var baseline = new Command("baseline", "The baseline of accepted violations, for adopting the analyzers on existing code.\n\nExample:\n  dotnet operability baseline write build.sarif");
            baseline.Subcommands.Add(BaselineWriteCommand.Create());
            root.Subcommands.Add(baseline);
            root.Subcommands.Add(MeasureCommand.Create(TimeProvider.System, showProgress));
            return root;
        }

        private static string CommandPath(CommandResult result)
        {
            string path = string.Empty;
            for (SymbolResult? at = result; at is CommandResult command; at = at.Parent)
            {
                path = command.Command is RootCommand ? "dotnet operability" + path : " " + command.Command.Name + path;
            }

            return path;
        }

        /// <summary>Parses and runs <paramref name="args"/>; results go to <paramref name="output"/>, messages to <paramref name="error"/>.</summary>
        /// <param name="args">The command line.</param>
        /// <param name="output">Where results go (stdout).</param>
        /// <param name="error">Where messages go (stderr).</param>
        /// <param name="showProgress">Show the progress of long scans on <paramref name="error"/>: true only when it is a terminal.</param>
        /// <returns>One of <see cref="ExitCodes"/>.</returns>
        public static int Run(string[] args, TextWriter output, TextWriter error, bool showProgress = false)
        {
            ParseResult parseResult = CreateRootCommand(showProgress).Parse(args);
            if (parseResult.Errors.Count > 0 && parseResult.Action is ParseErrorAction)
            {
                // Usage errors get their own exit code (the library's default is 1, which here means findings).
                foreach (var parseError in parseResult.Errors)
                {
                    error.WriteLine("error: " + parseError.Message);
                }

                error.WriteLine("Run '" + CommandPath(parseResult.CommandResult) + " --help' for usage.");
                return ExitCodes.Usage;
            }

            return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }
    }
}
