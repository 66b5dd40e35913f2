using System.CommandLine;
using System.IO;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>
    /// What every estate view does before its own work: take the paths and <c>--policy</c>, read the policy (a bad one
    /// stops with exit code 3), scan the paths and report the scan's problems on stderr. The view gets the scan and
    /// the policy and returns its exit code.
    /// </summary>
    internal static class EstateCommand
    {
        /// <summary>One view over a scanned estate.</summary>
        /// <param name="parseResult">The command line, for the view's own options.</param>
        /// <param name="scan">Every manifest read; its problems are already on stderr.</param>
        /// <param name="policy">The policy the manifests were read against.</param>
        /// <param name="policyPath">The <c>--policy</c> given, or null for the playbook's.</param>
        /// <returns>One of <see cref="ExitCodes"/>.</returns>
        public delegate int View(ParseResult parseResult, EstateScan scan, OrganisationPolicy policy, string? policyPath);

        /// <summary>A command <c>estate NAME &lt;paths…&gt; [--policy file]</c> with the view's own <paramref name="options"/>.</summary>
        public static Command Create(string name, string description, bool showProgress, View view, params Option[] options)
        {
            Argument<string[]> paths = EstateCheckCommand.EstatePaths();
            Option<string?> policy = CommonOptions.Policy();
            var command = new Command(name, description);
            command.Arguments.Add(paths);
            command.Options.Add(policy);
            foreach (Option option in options)
            {
                command.Options.Add(option);
            }

            command.SetAction(parseResult =>
            {
                TextWriter error = parseResult.InvocationConfiguration.Error;
                string? policyPath = parseResult.GetValue(policy);
                OrganisationPolicy? organisation = PolicyFile.Load(policyPath, error);
                if (organisation is null)
                {
                    return ExitCodes.InputUnreadable;
                }

                EstateScan scan = EstateScan.Read(parseResult.GetValue(paths)!, organisation, showProgress ? error : null);
                scan.ReportProblems(error);
                return view(parseResult, scan, organisation, policyPath);
            });
            return command;
        }
    }
}
