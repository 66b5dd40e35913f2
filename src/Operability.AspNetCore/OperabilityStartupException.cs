using System;
using System.Collections.Generic;
using System.Linq;

namespace Operability.AspNetCore;

/// <summary>
/// The service cannot start as configured: the manifest is missing or malformed, or the <c>Operability</c>
/// configuration is. The message lists every problem, each naming the file (with line:column) or the
/// configuration key, so one restart is enough to see them all. Never a silent default.
/// </summary>
public sealed class OperabilityStartupException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">One line per problem; at least one.</param>
    public OperabilityStartupException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, one per line of the message.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string count = problems.Count == 1 ? "1 problem" : problems.Count + " problems";
        return "Operability: the service cannot start (" + count + "):" + Environment.NewLine
            + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
    }
}
