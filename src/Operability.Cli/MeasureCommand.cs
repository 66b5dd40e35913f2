using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>
    /// <c>measure</c>: the playbook's trailing measures per service — availability, time to restore availability and
    /// the error budget left this week from Prometheus; deployment frequency and lead time from a deployments file.
    /// </summary>
    internal static class MeasureCommand
    {
        /// <summary>The counter the runtime exports (Operability.AspNetCore's <c>operability.requests</c>).</summary>
        public const string Metric = "operability_requests_total";

        /// <summary>The failure ratio is a rate over this window, the alert rules' shortest (or one step, when longer).</summary>
        public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(5);

        private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);
        private static readonly TimeSpan DefaultStep = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        // Prometheus refuses a range query of more than 11,000 points per series.
        private const int MaxPoints = 11_000;

        private static readonly Regex LabelName = new("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>How many services between two progress updates.</summary>
        public const int ProgressEvery = 10;

        public static Command Create(TimeProvider time, bool showProgress = false)
        {
            Argument<string[]> paths = EstateCheckCommand.EstatePaths();
            Option<Uri?> prometheus = new("--prometheus")
            {
                Description = "The Prometheus HTTP API's address, e.g. http://prometheus:9090 (its /api/v1/query and /api/v1/query_range are used).",
                HelpName = "url",
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    if (!Uri.TryCreate(token, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    {
                        result.AddError("--prometheus must be an http:// or https:// address but was '" + token + "'.");
                        return null;
                    }

                    return uri;
                },
            };
            Option<string?> deployments = new("--deployments")
            {
                Description = "A deployments file: one JSON object a line, {\"service\", \"commit\", \"committedAt\", \"deployedAt\"} (see docs/cli.md).",
                HelpName = "file",
            };
            Option<TimeSpan?> window = Duration("--window", "The trailing window measured, as Prometheus writes durations (default 7d).");
            Option<TimeSpan?> step = Duration("--step", "The resolution of the failure-ratio series periods below target are found in (default 1m; coarser when the window needs it).");
            Option<TimeSpan?> timeout = Duration("--prometheus-timeout", "How long one Prometheus query may take, connecting included (default 10s). Queries are not retried.");
            Option<string?> label = new("--service-label")
            {
                Description = "The label that carries the service's name on " + Metric + " (default job, as the template's PodMonitor and alert rules set it).",
                HelpName = "label",
            };
            label.Validators.Add(result =>
            {
                string? value = result.GetValueOrDefault<string?>();
                if (value is not null && !LabelName.IsMatch(value))
                {
                    result.AddError("--service-label must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*) but was '" + value + "'.");
                }
            });
            Option<string?> policy = CommonOptions.Policy();
            Option<OutputFormat> format = CommonOptions.Format();
            var command = new Command(
                "measure",
                "The playbook's trailing measures for every service under the paths: availability over the window, the periods "
                + "below target and the mean time to restore availability, and the error budget left this week, from "
                + Metric + " in Prometheus; deployment frequency and lead time against the deployment target from a "
                + "deployments file. Give --prometheus, --deployments or both.\n\n"
                + "Example:\n  dotnet operability measure services/ --prometheus http://prometheus:9090\n"
                + "  dotnet operability measure services/ --prometheus http://prometheus:9090 --deployments deployments.jsonl --window 30d --format json");
            command.Arguments.Add(paths);
            foreach (Option option in new Option[] { prometheus, deployments, window, step, timeout, label, policy, format })
            {
                command.Options.Add(option);
            }

            command.SetAction(async (parseResult, cancellationToken) =>
            {
                TextWriter output = parseResult.InvocationConfiguration.Output;
                TextWriter error = parseResult.InvocationConfiguration.Error;
                Uri? prometheusUri = parseResult.GetValue(prometheus);
                string? deploymentsPath = parseResult.GetValue(deployments);
                if (prometheusUri is null && deploymentsPath is null)
                {
                    error.WriteLine("error: give --prometheus (availability, time to restore, error budget), --deployments (deployment frequency, lead time), or both.");
                    return ExitCodes.Usage;
                }

                OrganisationPolicy? organisation = PolicyFile.Load(parseResult.GetValue(policy), error);
                if (organisation is null)
                {
                    return ExitCodes.InputUnreadable;
                }

                var settings = new MeasureSettings(parseResult.GetValue(window) ?? DefaultWindow, parseResult.GetValue(step) ?? DefaultStep, parseResult.GetValue(label) ?? "job", WholeSeconds(time.GetUtcNow()));
                EstateScan scan = EstateScan.Read(parseResult.GetValue(paths)!, organisation);
                scan.ReportProblems(error);
                int code = scan.ExitCode;

                DeploymentsFile? deploymentLog = null;
                if (deploymentsPath is not null)
                {
                    deploymentLog = ReadDeployments(deploymentsPath, error, ref code);
                }

                using PrometheusClient? client = prometheusUri is null ? null : new PrometheusClient(prometheusUri, parseResult.GetValue(timeout) ?? DefaultTimeout);
                MeasureRun run = await Measure(scan.Entries, organisation, client, deploymentLog, settings, showProgress ? error : null, cancellationToken).ConfigureAwait(false);
                foreach (string message in run.Messages)
                {
                    error.WriteLine(message);
                }

                if (run.PrometheusFailed)
                {
                    code = ExitCodes.Worst(code, ExitCodes.MeasurementUnavailable);
                }

                OutputFormat chosen = parseResult.GetValue(format);
                output.Write(chosen == OutputFormat.Json
                    ? MeasureReport.Json(run, settings, prometheusUri, deploymentsPath).ToJsonString(JsonOutput.Options) + "\n"
                    : MeasureReport.Text(run, settings, prometheusUri is not null, chosen == OutputFormat.Markdown));
                return code;
            });
            return command;
        }

        /// <summary>How the measures are taken: the window, the ratio series' step, the label naming the service, and now.</summary>
        internal sealed record MeasureSettings(TimeSpan Window, TimeSpan Step, string ServiceLabel, DateTimeOffset Now)
        {
            /// <summary>The step, coarsened so the window fits Prometheus' limit on points.</summary>
            public TimeSpan EffectiveStep => Window.Ticks / Step.Ticks < MaxPoints ? Step : TimeSpan.FromSeconds(Math.Ceiling(Window.TotalSeconds / MaxPoints));

            public TimeSpan EffectiveRateWindow => EffectiveStep > RateWindow ? EffectiveStep : RateWindow;
        }

        /// <summary>Everything measured for one service; a measure is null when its source was not given or did not answer.</summary>
        internal sealed record ServiceMeasure(
            string Source,
            string Service,
            decimal? Target,
            double? Requests,
            double? Failures,
            double? Availability,
            IReadOnlyList<BelowTargetPeriod>? Periods,
            TimeSpan? MeanTimeToRestore,
            DateTimeOffset WeekStart,
            double? WeekRequests,
            double? WeekFailures,
            double? ErrorBudgetRemaining,
            DeploymentMeasure? Deployments,
            IReadOnlyList<string> Problems);

        internal sealed record MeasureRun(IReadOnlyList<ServiceMeasure> Services, IReadOnlyList<string> Messages, bool PrometheusFailed);

        /// <summary>Measures every service of <paramref name="entries"/>; a Prometheus that does not answer is asked once, not once per service.</summary>
        /// <param name="entries">The services' manifests.</param>
        /// <param name="policy">The policy the targets in force come from.</param>
        /// <param name="client">Prometheus; null when not given.</param>
        /// <param name="deployments">The deployments file; null when not given.</param>
        /// <param name="settings">The window, step, label and instant.</param>
        /// <param name="progress">A terminal to show how many services have been measured on, every <see cref="ProgressEvery"/>; null for none.</param>
        /// <param name="cancellationToken">Stops the queries.</param>
        internal static async Task<MeasureRun> Measure(IEnumerable<EstateEntry> entries, OrganisationPolicy policy, PrometheusClient? client, DeploymentsFile? deployments, MeasureSettings settings, TextWriter? progress, CancellationToken cancellationToken)
        {
            var services = new List<ServiceMeasure>();
            var messages = new List<string>();
            string? unreachable = null;
            bool failed = false;
            var measured = new HashSet<string>(StringComparer.Ordinal);
            foreach (EstateEntry entry in entries)
            {
                ServiceManifest manifest = entry.Manifest;
                if (manifest.Service is not string service)
                {
                    messages.Add(entry.Source + ": warning: not measured: the manifest names no service");
                    continue;
                }

                measured.Add(service);
                var problems = new List<string>();
                decimal? target = manifest.TargetAt(settings.Now, policy)?.Target;
                DateTimeOffset weekStart = ErrorBudget.WeekStart(settings.Now);
                double? requests = null, failures = null, availability = null, weekRequests = null, weekFailures = null, budget = null;
                IReadOnlyList<BelowTargetPeriod>? periods = null;
                TimeSpan? meanTimeToRestore = null;

                if (client is not null && unreachable is not null)
                {
                    problems.Add("not asked: " + unreachable);
                    failed = true;
                }
                else if (client is not null)
                {
                    string matchers = settings.ServiceLabel + "=\"" + Escape(service) + "\"";
                    PrometheusAnswer counts = await client.QueryAsync(CountsQuery(matchers, settings.Window), settings.Now, cancellationToken).ConfigureAwait(false);
                    if (Note(counts, problems, ref unreachable, ref failed))
                    {
                        (requests, failures) = Sum(counts);
                        availability = TrailingMeasures.Availability(requests.Value, failures.Value);
                        if (counts.Series.Count == 0)
                        {
                            problems.Add("Prometheus holds no " + Metric + "{" + matchers + "} series: is the service scraped with " + settings.ServiceLabel + "=\"" + service + "\" (--service-label)?");
                        }
                    }

                    if (unreachable is null)
                    {
                        PrometheusAnswer week = await client.QueryAsync(CountsQuery(matchers, settings.Now - weekStart), settings.Now, cancellationToken).ConfigureAwait(false);
                        if (Note(week, problems, ref unreachable, ref failed))
                        {
                            (double r, double f) = Sum(week);
                            (weekRequests, weekFailures) = (r, f);
                            budget = target is decimal t ? TrailingMeasures.ErrorBudgetRemaining(r, f, t) : null;
                        }
                    }

                    if (unreachable is null && target is not null)
                    {
                        TimeSpan stepLength = settings.EffectiveStep;
                        PrometheusAnswer ratio = await client.QueryRangeAsync(RatioQuery(matchers, settings.EffectiveRateWindow), settings.Now - settings.Window, settings.Now, stepLength, cancellationToken).ConfigureAwait(false);
                        if (Note(ratio, problems, ref unreachable, ref failed))
                        {
                            var samples = ratio.Series.Count == 0 ? new List<(DateTimeOffset, double)>() : ratio.Series[0].Samples.ToList();
                            periods = TrailingMeasures.PeriodsBelowTarget(samples, stepLength, at => manifest.TargetAt(at, policy)?.Target);
                            meanTimeToRestore = TrailingMeasures.MeanTimeToRestore(periods);
                        }
                    }

                    if (target is null)
                    {
                        problems.Add("no availability target: no periods below target and no error budget");
                    }
                }

                DeploymentMeasure? deploymentMeasure = deployments is null
                    ? null
                    : TrailingMeasures.Deployments(deployments.Of(service, settings.Now - settings.Window, settings.Now), settings.Window, manifest.DeploymentFrequency);
                services.Add(new ServiceMeasure(entry.Source, service, target, requests, failures, availability, periods, meanTimeToRestore, weekStart, weekRequests, weekFailures, budget, deploymentMeasure, problems));
                if (progress is not null && client is not null && services.Count % ProgressEvery == 0)
                {
                    progress.Write("\rmeasured " + services.Count.ToString(CultureInfo.InvariantCulture) + " service(s)…");
                }
                foreach (string problem in problems)
                {
                    messages.Add(entry.Source + ": " + (problem.StartsWith("no availability target", StringComparison.Ordinal) ? "warning" : "error") + ": " + service + ": " + problem);
                }
            }

            if (progress is not null && client is not null && services.Count >= ProgressEvery)
            {
                // Clear the progress line so the messages and results that follow start at the left.
                progress.Write("\r" + new string(' ', 40) + "\r");
            }

            if (deployments is not null)
            {
                foreach (var unknown in deployments.Deployments.Where(d => !measured.Contains(d.Service)).GroupBy(d => d.Service, StringComparer.Ordinal))
                {
                    messages.Add("warning: " + unknown.Count() + " deployment(s) of '" + unknown.Key + "' (first on line " + unknown.First().Line + ") match no manifest under the paths");
                }
            }

            return new MeasureRun(services, messages, failed);
        }

        /// <summary>Requests by outcome over a range ending now: <c>sum by (outcome) (increase(…[range]))</c>.</summary>
        internal static string CountsQuery(string matchers, TimeSpan range) =>
            "sum by (outcome) (increase(" + Metric + "{" + matchers + "}[" + PrometheusDuration.ForQuery(range) + "]))";

        /// <summary>The failure ratio, as the template's alert rules write it.</summary>
        internal static string RatioQuery(string matchers, TimeSpan rateWindow)
        {
            string range = "[" + PrometheusDuration.ForQuery(rateWindow) + "]";
            return "sum(rate(" + Metric + "{" + matchers + ",outcome=\"failure\"}" + range + ")) / sum(rate(" + Metric + "{" + matchers + "}" + range + "))";
        }

        /// <summary>A label value inside double quotes in PromQL.</summary>
        internal static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

        private static bool Note(PrometheusAnswer answer, List<string> problems, ref string? unreachable, ref bool failed)
        {
            if (answer.Succeeded)
            {
                return true;
            }

            failed = true;
            problems.Add(answer.Error!);
            if (answer.Unreachable)
            {
                unreachable = answer.Error;
            }

            return false;
        }

        private static (double Requests, double Failures) Sum(PrometheusAnswer answer)
        {
            double requests = 0, failures = 0;
            foreach (PrometheusSeries series in answer.Series)
            {
                double value = series.Samples.Count == 0 || double.IsNaN(series.Samples[0].Value) ? 0 : series.Samples[0].Value;
                requests += value;
                if (series.Labels.TryGetValue("outcome", out string? outcome) && outcome == "failure")
                {
                    failures += value;
                }
            }

            return (requests, failures);
        }

        private static DeploymentsFile? ReadDeployments(string path, TextWriter error, ref int code)
        {
            DeploymentsFile file;
            try
            {
                using var reader = new StreamReader(path);
                file = DeploymentsFile.Parse(reader);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine(path + ": error: the deployments file cannot be read: " + e.Message);
                code = ExitCodes.Worst(code, ExitCodes.InputUnreadable);
                return null;
            }

            foreach (DeploymentLineProblem problem in file.Problems)
            {
                error.WriteLine(path + ":" + problem.Line.ToString(CultureInfo.InvariantCulture) + ": error: line left out: " + problem.Message);
                code = ExitCodes.Worst(code, ExitCodes.InputUnreadable);
            }

            return file;
        }

        // No default factories: help then says "default 7d" in the description rather than "[default: 7.00:00:00]".
        private static Option<TimeSpan?> Duration(string name, string description)
        {
            return new Option<TimeSpan?>(name)
            {
                Description = description,
                HelpName = "duration",
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    if (!PrometheusDuration.TryParse(token, out TimeSpan value))
                    {
                        result.AddError(name + " must be a duration such as 7d, 30m or 1h30m (units ms, s, m, h, d, w, y; more than zero, at most 10y) but was '" + token + "'.");
                        return null;
                    }

                    return value;
                },
            };
        }

        // Whole seconds: the instants in the output and in the queries then read the same.
        private static DateTimeOffset WholeSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

        internal static string Written(TimeSpan t) => t.TotalDays >= 1 && t.TotalDays % 1 == 0 ? t.TotalDays + "d" : t.TotalMinutes >= 1 && t.TotalMinutes % 1 == 0 ? t.TotalMinutes + "m" : t.TotalSeconds + "s";
    }
}
