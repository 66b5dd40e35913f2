using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>One deployment: which service, which commit, when it was committed and when it reached production.</summary>
    internal sealed record Deployment(string Service, string Commit, DateTimeOffset CommittedAt, DateTimeOffset DeployedAt, int Line)
    {
        /// <summary>From commit to production.</summary>
        public TimeSpan LeadTime => DeployedAt - CommittedAt;
    }

    /// <summary>A line of the deployments file that was not used, and why.</summary>
    internal sealed record DeploymentLineProblem(int Line, string Message);

    /// <summary>
    /// The deployments file: one JSON object a line, <c>{"service": …, "commit": …, "committedAt": …, "deployedAt": …}</c>
    /// with RFC 3339 instants (the form a CI job appends). Blank lines are skipped; a bad line is reported with its
    /// number and left out, and the rest are used.
    /// </summary>
    internal sealed class DeploymentsFile
    {
        private DeploymentsFile(IReadOnlyList<Deployment> deployments, IReadOnlyList<DeploymentLineProblem> problems)
        {
            Deployments = deployments;
            Problems = problems;
        }

        public IReadOnlyList<Deployment> Deployments { get; }

        public IReadOnlyList<DeploymentLineProblem> Problems { get; }

        public static DeploymentsFile Parse(TextReader reader)
        {
            var deployments = new List<Deployment>();
            var problems = new List<DeploymentLineProblem>();
            int number = 0;
            for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                number++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                string? problem = TryRead(line, number, out Deployment? deployment);
                if (problem is null)
                {
                    deployments.Add(deployment!);
                }
                else
                {
                    problems.Add(new DeploymentLineProblem(number, problem));
                }
            }

            return new DeploymentsFile(deployments, problems);
        }

        private static string? TryRead(string line, int number, out Deployment? deployment)
        {
            deployment = null;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                return "not JSON (" + e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ') + ")";
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return "a deployment is a JSON object {\"service\", \"commit\", \"committedAt\", \"deployedAt\"}";
                }

                string? service = Text(root, "service", out string? problem);
                if (problem is not null)
                {
                    return problem;
                }

                string? commit = Text(root, "commit", out problem);
                if (problem is not null)
                {
                    return problem;
                }

                DateTimeOffset? committed = Instant(root, "committedAt", out problem);
                if (problem is not null)
                {
                    return problem;
                }

                DateTimeOffset? deployed = Instant(root, "deployedAt", out problem);
                if (problem is not null)
                {
                    return problem;
                }

                if (deployed < committed)
                {
                    return "deployedAt " + Rfc3339.Format(deployed!.Value) + " is before committedAt " + Rfc3339.Format(committed!.Value);
                }

                deployment = new Deployment(service!, commit!, committed!.Value, deployed!.Value, number);
                return null;
            }
        }

        private static string? Text(JsonElement root, string name, out string? problem)
        {
            problem = null;
            if (!root.TryGetProperty(name, out JsonElement value))
            {
                problem = "\"" + name + "\" is missing";
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
            {
                problem = "\"" + name + "\" must be a non-empty string";
                return null;
            }

            return value.GetString();
        }

        private static DateTimeOffset? Instant(JsonElement root, string name, out string? problem)
        {
            string? text = Text(root, name, out problem);
            if (problem is not null)
            {
                return null;
            }

            if (!Rfc3339.TryParse(text, out DateTimeOffset instant))
            {
                problem = "\"" + name + "\" must be an RFC 3339 instant such as 2026-12-01T09:30:00Z but was '" + text + "'";
                return null;
            }

            return instant;
        }

        /// <summary>The deployments of <paramref name="service"/> that reached production from <paramref name="from"/> (exclusive) to <paramref name="until"/> (inclusive).</summary>
        public IReadOnlyList<Deployment> Of(string service, DateTimeOffset from, DateTimeOffset until)
        {
            var found = new List<Deployment>();
            foreach (Deployment deployment in Deployments)
            {
                if (string.Equals(deployment.Service, service, StringComparison.Ordinal) && deployment.DeployedAt > from && deployment.DeployedAt <= until)
                {
                    found.Add(deployment);
                }
            }

            return found;
        }
    }
}
