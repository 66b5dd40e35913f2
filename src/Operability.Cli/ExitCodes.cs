namespace Operability.Cli
{
    /// <summary>The tool's exit codes: one table, documented in docs/cli.md. When several apply, <see cref="Worst"/> picks one (usage, 2, stops before anything runs).</summary>
    internal static class ExitCodes
    {
        /// <summary>Done; no error-level finding.</summary>
        public const int Ok = 0;

        /// <summary>Done, and at least one finding is at error level.</summary>
        public const int Findings = 1;

        /// <summary>Bad arguments: unknown option, a value out of range, flags that contradict each other.</summary>
        public const int Usage = 2;

        /// <summary>An input could not be read or is not valid JSON, or the policy is malformed; the rest of the estate was still read.</summary>
        public const int InputUnreadable = 3;

        /// <summary>A folder given holds no operability.json (and no worse problem occurred).</summary>
        public const int NoManifests = 4;

        /// <summary>A measurement source (Prometheus) did not answer in time, answered something that is not its API's JSON, or answered an error; the other measures were still reported.</summary>
        public const int MeasurementUnavailable = 5;

        /// <summary>The worse of two outcomes: an unavailable measurement source over input problems over no manifests over findings over success.</summary>
        public static int Worst(int a, int b) => Rank(a) >= Rank(b) ? a : b;

        private static int Rank(int code) => code switch
        {
            Usage => 5,
            MeasurementUnavailable => 4,
            InputUnreadable => 3,
            NoManifests => 2,
            Findings => 1,
            _ => 0,
        };
    }
}
