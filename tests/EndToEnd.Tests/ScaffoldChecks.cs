using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Operability.Manifest;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace EndToEnd.Tests
{
    /// <summary>What a scaffold must contain for the parameters it was made with.</summary>
    public sealed record ScaffoldExpectation(
        string ServiceName,
        decimal Target,
        DeploymentTarget Deployment,
        string Owner,
        decimal? Exposure = null,
        string? Database = null,
        string? Dependency = null,
        FeatureDemand? Demand = null,
        string[]? OtherDatabases = null,
        string[]? OtherDependencies = null)
    {
        /// <summary>Every database the scaffold declares: the first (with its own tests and typed checks) and the rest.</summary>
        public IReadOnlyList<string> Databases => Database is null ? Array.Empty<string>() : new[] { Database }.Concat(OtherDatabases ?? Array.Empty<string>()).ToList();

        /// <summary>Every dependency the scaffold declares: the first (with its typed client and tests) and the rest.</summary>
        public IReadOnlyList<string> Dependencies => Dependency is null ? Array.Empty<string>() : new[] { Dependency }.Concat(OtherDependencies ?? Array.Empty<string>()).ToList();
    }

    /// <summary>Checks a scaffolded folder file by file, deriving every number from Operability.Manifest.</summary>
    internal static class ScaffoldChecks
    {
        private static readonly JsonDocumentOptions ManifestJson = new() { CommentHandling = JsonCommentHandling.Skip };

        // Built once: the schema registers its $id, and building it again would register it twice.
        private static readonly Lazy<JsonSchema> Schema = new(() =>
            JsonSchema.FromText(File.ReadAllText(Path.Combine(Repository.Root, "schemas", "operability.schema.json"))));

        private static readonly string[] Leftovers =
        {
            "OPERABLE_", "OperableService", "operable-service", "example-db", "example-dependency", "ExampleDependency",
            "#if", "#elif", "#else", "#endif",
        };

        /// <summary>The service project's folder name (the engine makes '-n orders-api' a C# identifier: orders_api).</summary>
        public static string ProjectName(string root) =>
            Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories).Single());

        public static void Check(string root, ScaffoldExpectation expected, string operabilityVersion)
        {
            var project = ProjectName(root);
            Assert.True(File.Exists(Path.Combine(root, project + ".sln")), "The solution is at the root.");
            Assert.True(File.Exists(Path.Combine(root, "tests", project + ".Tests", project + ".Tests.csproj")));
            CheckNoTemplateLeftovers(root, project);
            CheckBuildSettings(root, project, operabilityVersion);
            CheckManifest(root, project, expected);
            CheckRunbook(root, expected);
            CheckAlerts(root, expected);
            CheckKubernetes(root, expected);
        }

        private static void CheckNoTemplateLeftovers(string root, string project)
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !IsBuildOutput(root, f)))
            {
                var text = File.ReadAllText(file);
                foreach (var leftover in Leftovers)
                {
                    Assert.False(text.Contains(leftover, StringComparison.Ordinal), $"{Path.GetRelativePath(root, file)} still contains '{leftover}'.");
                }
            }

            Assert.False(File.Exists(Path.Combine(root, "src", project, "Dependencies", "ExampleDependencyClient.cs")));
        }

        private static void CheckBuildSettings(string root, string project, string operabilityVersion)
        {
            var props = File.ReadAllText(Path.Combine(root, "Directory.Build.props"));
            Assert.Contains($"<OperabilityVersion>{operabilityVersion}</OperabilityVersion>", props, StringComparison.Ordinal);
            Assert.DoesNotContain("InitialTargets", props, StringComparison.Ordinal);
            Assert.Contains("<ErrorLog>", props, StringComparison.Ordinal);

            var ci = File.ReadAllText(Path.Combine(root, ".github", "workflows", "ci.yml"));
            new YamlStream().Load(new StringReader(ci));
            Assert.Contains("ContinuousIntegrationBuild=true", ci, StringComparison.Ordinal);
            Assert.Contains("dotnet test", ci, StringComparison.Ordinal);
            Assert.Contains("upload-sarif", ci, StringComparison.Ordinal);
            CheckSarifUpload(ci, project);
            CheckWorkflowHardening(ci);
            CheckWorkflowTestsTheAlertRules(ci);
            Assert.True(File.Exists(Path.Combine(root, ".editorconfig")));
        }

        /// <summary>
        /// Every action pinned to a full commit SHA with its release in a comment, no credentials left in the
        /// checkout, a time limit and explicit permissions on every job, nothing granted at the top, and the
        /// code-scanning permissions (security-events: write, and actions: read, which private repositories need)
        /// only on the job that uploads.
        /// </summary>
        private static void CheckWorkflowHardening(string ci)
        {
            var workflow = LoadWorkflow(ci);
            var topPermissions = Assert.IsType<YamlMappingNode>(workflow["permissions"]);
            Assert.All(topPermissions.Children, p => Assert.Equal("read", ((YamlScalarNode)p.Value).Value));
            Assert.DoesNotContain(topPermissions.Children.Keys, k => ((YamlScalarNode)k).Value != "contents");

            var pinned = new Regex(@"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+(/[A-Za-z0-9._/-]+)?@[0-9a-f]{40}$");
            var usesLines = Regex.Matches(ci, @"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", RegexOptions.Multiline);
            Assert.NotEmpty(usesLines);
            foreach (Match line in usesLines)
            {
                Assert.True(pinned.IsMatch(line.Groups[1].Value), $"'{line.Groups[1].Value}' is not pinned to a commit SHA.");
                Assert.Matches(new Regex(@"^\s*# v\d+(\.\d+)*\s*$"), line.Groups[2].Value);
            }

            var jobs = (YamlMappingNode)workflow["jobs"];
            foreach (var (name, job) in jobs.Children.Select(j => (((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value)))
            {
                Assert.True(job.Children.ContainsKey("timeout-minutes") && int.Parse(Scalar(job, "timeout-minutes"), CultureInfo.InvariantCulture) is > 0 and <= 60, $"Job '{name}' has no time limit.");
                var permissions = Assert.IsType<YamlMappingNode>(job["permissions"]);
                var granted = permissions.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!);
                var steps = ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().ToList();
                var uploads = steps.Any(s => s.Children.ContainsKey("uses") && Scalar(s, "uses").StartsWith("github/codeql-action/upload-sarif@", StringComparison.Ordinal));
                Assert.True(uploads == (granted.GetValueOrDefault("security-events") == "write"), $"Job '{name}': security-events: write only where SARIF is uploaded.");
                Assert.True((uploads ? "read" : null) == granted.GetValueOrDefault("actions"), $"Job '{name}': actions: read only where SARIF is uploaded (private repositories need it there).");
                Assert.All(granted, g => Assert.True(g.Value == "read" || (uploads && g.Key == "security-events"), $"Job '{name}' may write {g.Key}."));
                if (uploads)
                {
                    Assert.DoesNotContain(steps, s => s.Children.ContainsKey("run"));
                }

                foreach (var checkout in steps.Where(s => s.Children.ContainsKey("uses") && Scalar(s, "uses").StartsWith("actions/checkout@", StringComparison.Ordinal)))
                {
                    var with = checkout.Children.TryGetValue("with", out var w) ? (YamlMappingNode)w : new YamlMappingNode();
                    Assert.True(with.Children.TryGetValue("persist-credentials", out var persist) && ((YamlScalarNode)persist).Value == "false", $"Job '{name}': actions/checkout leaves the token in .git/config: set persist-credentials: false.");
                }
            }
        }

        /// <summary>The scaffold's CI proves its alert rules and their routing with Debian's/Ubuntu's promtool and amtool, not downloaded ones.</summary>
        private static void CheckWorkflowTestsTheAlertRules(string ci)
        {
            var runs = ((YamlMappingNode)LoadWorkflow(ci)["jobs"]).Children.Values.Cast<YamlMappingNode>()
                .SelectMany(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>())
                .Where(step => step.Children.ContainsKey("run"))
                .ToList();
            Assert.Contains(runs, s => Scalar(s, "run").Contains("apt-get install -y --no-install-recommends prometheus", StringComparison.Ordinal));
            var test = Assert.Single(runs, s => Scalar(s, "run").Contains("promtool test rules alerts.test.yml", StringComparison.Ordinal));
            Assert.Contains("promtool check rules alerts.yml", Scalar(test, "run"), StringComparison.Ordinal);
            Assert.Equal("deploy/prometheus", Scalar(test, "working-directory"));
            Assert.Contains(runs, s => Scalar(s, "run").Contains("apt-get install -y --no-install-recommends prometheus prometheus-alertmanager", StringComparison.Ordinal));
            var routing = Assert.Single(runs, s => Scalar(s, "run").Contains("amtool check-config alertmanager.yml", StringComparison.Ordinal));
            Assert.Equal("deploy/alertmanager", Scalar(routing, "working-directory"));
            Assert.Contains("amtool config routes test --config.file=alertmanager.yml --verify.receivers=", Scalar(routing, "run"), StringComparison.Ordinal);
            var dashboard = Assert.Single(runs, s => Scalar(s, "run").Contains("deploy/grafana/dashboard.json", StringComparison.Ordinal));
            Assert.Contains("promtool check rules artifacts/dashboard-queries.yml", Scalar(dashboard, "run"), StringComparison.Ordinal);
        }

        private static YamlMappingNode LoadWorkflow(string ci)
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(ci));
            return (YamlMappingNode)yaml.Documents[0].RootNode;
        }

        /// <summary>
        /// Code scanning rejects several runs of one tool under one category: only the service project writes a
        /// SARIF log (Directory.Build.props), and the workflow uploads exactly that file, in one step per category.
        /// </summary>
        private static void CheckSarifUpload(string ci, string project)
        {
            var uploads = SarifUploadSteps(ci);
            Assert.NotEmpty(uploads);
            Assert.Equal(uploads.Count, uploads.Select(u => u.Category).Distinct(StringComparer.Ordinal).Count());
            Assert.All(uploads, u => Assert.False(string.IsNullOrWhiteSpace(u.Category), "Each SARIF upload names its category."));
            Assert.Equal(new[] { SarifPath(project) }, uploads.Select(u => u.File));
            Assert.All(uploads, u => Assert.Contains($"hashFiles('{SarifPath(project)}')", u.Condition, StringComparison.Ordinal));

            // Pull requests from forks get no security-events: write: the upload is skipped there, build and test are not.
            Assert.All(uploads, u => Assert.Contains("github.event.pull_request.head.repo.fork != true", u.Condition, StringComparison.Ordinal));
            var jobs = ((YamlMappingNode)LoadWorkflow(ci)["jobs"]).Children.Values.Cast<YamlMappingNode>().ToList();
            foreach (var command in new[] { "dotnet build", "dotnet test" })
            {
                var job = Assert.Single(jobs, j => ((YamlSequenceNode)j["steps"]).Children.Cast<YamlMappingNode>().Any(s => s.Children.ContainsKey("run") && Scalar(s, "run").StartsWith(command, StringComparison.Ordinal)));
                var step = ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().Single(s => s.Children.ContainsKey("run") && Scalar(s, "run").StartsWith(command, StringComparison.Ordinal));
                Assert.False(step.Children.ContainsKey("if") && Scalar(step, "if").Contains("fork", StringComparison.Ordinal), $"'{command}' runs on pull requests from forks too.");
                Assert.False(job.Children.ContainsKey("if") && Scalar(job, "if").Contains("fork", StringComparison.Ordinal), $"'{command}' runs on pull requests from forks too.");
            }

            // The build job keeps the very file the upload job uploads, whenever the build wrote it.
            var kept = jobs.SelectMany(j => ((YamlSequenceNode)j["steps"]).Children.Cast<YamlMappingNode>())
                .Single(s => s.Children.ContainsKey("uses") && Scalar(s, "uses").StartsWith("actions/upload-artifact@", StringComparison.Ordinal) && Scalar(s, "with", "name") == "sarif");
            Assert.Equal(SarifPath(project), Scalar(kept, "with", "path"));
            Assert.Contains($"hashFiles('{SarifPath(project)}')", Scalar(kept, "if"), StringComparison.Ordinal);
            Assert.Contains("always()", Scalar(kept, "if"), StringComparison.Ordinal);
        }

        /// <summary>Where a CI build of the scaffold writes the service project's SARIF log (relative to the root).</summary>
        internal static string SarifPath(string project) => $"artifacts/sarif/{project}.sarif";

        /// <summary>Each SARIF upload step: its file, category, and its condition (the job's and the step's, joined with "&amp;&amp;").</summary>
        internal static List<(string File, string Category, string Condition)> SarifUploadSteps(string ci)
        {
            var jobs = (YamlMappingNode)LoadWorkflow(ci)["jobs"];
            return jobs.Children.Values.Cast<YamlMappingNode>()
                .SelectMany(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().Select(step => (job, step)))
                .Where(js => js.step.Children.TryGetValue("uses", out var uses) && ((YamlScalarNode)uses).Value!.StartsWith("github/codeql-action/upload-sarif", StringComparison.Ordinal))
                .Select(js => (
                    Scalar(js.step, "with", "sarif_file"),
                    ((YamlMappingNode)js.step["with"]).Children.ContainsKey("category") ? Scalar(js.step, "with", "category") : string.Empty,
                    string.Join(" && ", new[] { js.job, js.step }.Where(n => n.Children.ContainsKey("if")).Select(n => Scalar(n, "if")))))
                .ToList();
        }

        private static void CheckManifest(string root, string project, ScaffoldExpectation expected)
        {
            var path = Path.Combine(root, "src", project, "operability.json");
            var text = File.ReadAllText(path);
            using (var document = JsonDocument.Parse(text, ManifestJson))
            {
                var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
                Assert.True(result.IsValid, $"operability.json does not validate against the schema:\n{text}");
            }

            var parsed = ManifestParser.Parse(text);
            Assert.Empty(parsed.Diagnostics.Select(d => d.ToString()));
            var manifest = parsed.Manifest!;
            var (workingHours, outOfHours) = Availability.OnCallFor(expected.Target);
            Assert.Equal(expected.ServiceName, manifest.Service);
            Assert.Equal(expected.Owner, manifest.Owner);
            Assert.Equal(expected.Target, manifest.AvailabilityTarget);
            Assert.Equal(expected.Exposure, manifest.FinancialExposurePerHour);
            Assert.Equal(expected.Deployment, manifest.DeploymentTarget);
            Assert.Equal(expected.Demand, manifest.FeatureDemand);
            Assert.Equal(workingHours, manifest.WorkingHoursOnCall);
            Assert.Equal(outOfHours, manifest.OutOfHoursOnCall);
            Assert.Equal(expected.Databases, manifest.Databases.Select(d => d.Name));
            Assert.Equal(expected.Dependencies, manifest.Dependencies.Select(d => d.Name));
            Assert.True(File.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, manifest.Runbook))), "The runbook the manifest names exists.");
            Assert.Contains(Tolerable(expected.Target), text, StringComparison.Ordinal);
        }

        private static void CheckRunbook(string root, ScaffoldExpectation expected)
        {
            var runbook = File.ReadAllText(Path.Combine(root, "RUNBOOK.md"));
            var (workingHours, outOfHours) = Availability.OnCallFor(expected.Target);
            var decision = OperatingModelSelector.Select(expected.Deployment, expected.Target, foundational: false);

            Assert.StartsWith($"# {expected.ServiceName} runbook", runbook, StringComparison.Ordinal);
            Assert.Contains($"| {Percent(expected.Target)}% | {Tolerable(expected.Target)} |", runbook, StringComparison.Ordinal);
            Assert.Contains($"| {Word(workingHours)} | {Word(outOfHours)} |", runbook, StringComparison.Ordinal);
            Assert.Contains($"**Owning team:** {expected.Owner}", runbook, StringComparison.Ordinal);
            Assert.Contains($"**Deployment target:** {Word(expected.Deployment)}", runbook, StringComparison.Ordinal);
            Assert.Contains($"**Operating model:** {(decision.Model == OperatingModel.OpsRunIt ? "Ops Run It" : "You Build It You Run It")}. {decision.Reason}", runbook, StringComparison.Ordinal);
            switch (outOfHours)
            {
                case OnCallLevel.None:
                    Assert.Contains("Out of hours: nobody is on call", runbook, StringComparison.Ordinal);
                    break;
                case OnCallLevel.Domain:
                    Assert.Contains("product domain's shared on-call schedule", runbook, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Contains($"Out of hours: the out-of-hours schedule of {expected.Owner} itself", runbook, StringComparison.Ordinal);
                    break;
            }

            foreach (var section in new[] { "## Purpose", "## Owner and escalation", "## Availability target", "## On-call schedule", "## Deployment", "## Endpoints", "## Failure scenarios", "### Shutter the service", "### Roll back a deployment", "## Weekly review" })
            {
                Assert.Contains(section, runbook, StringComparison.Ordinal);
            }

            foreach (var endpoint in new[] { "/health/live", "/health/ready", "/operability", "Operability__Shutter__Enabled" })
            {
                Assert.Contains(endpoint, runbook, StringComparison.Ordinal);
            }

            Assert.Equal(expected.Database is not null, runbook.Contains($"### {expected.Database} unavailable", StringComparison.Ordinal));
            Assert.Equal(expected.Dependency is not null, runbook.Contains($"### {expected.Dependency} slow or failing", StringComparison.Ordinal));
            Assert.All(expected.Databases, d => Assert.Contains($"### {d} unavailable", runbook, StringComparison.Ordinal));
            Assert.All(expected.Dependencies, d => Assert.Contains($"### {d} slow or failing", runbook, StringComparison.Ordinal));
            Assert.Equal(expected.Databases.Count + expected.Dependencies.Count, Regex.Matches(runbook, "^### .+ (unavailable|slow or failing)$", RegexOptions.Multiline).Count);
            Assert.Equal(decision.WarningSign, runbook.Contains("**Warning sign:**", StringComparison.Ordinal));
        }

        /// <summary>
        /// The alerts: (share of the week's error budget, long window, short window = long / 12, long window in hours).
        /// Paging at 5% in an hour and 10% in 6 hours, tickets at 20% in a day and half in 3 days.
        /// </summary>
        internal static readonly (decimal Share, string LongWindow, string ShortWindow, decimal LongHours)[] WeeklyBurnRates =
        {
            (0.05m, "1h", "5m", 1m), (0.10m, "6h", "30m", 6m), (0.20m, "1d", "2h", 24m), (0.50m, "3d", "6h", 72m),
        };

        private static void CheckAlerts(string root, ScaffoldExpectation expected)
        {
            var text = File.ReadAllText(Path.Combine(root, "deploy", "prometheus", "alerts.yml"));
            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            var budget = (100m - expected.Target) / 100m;
            var (_, outOfHours) = Availability.OnCallFor(expected.Target);

            // The factors are for a week's budget: factor = share of the budget x 168 h / long window.
            foreach (var (share, longWindow, shortWindow, longHours) in WeeklyBurnRates)
            {
                var burnRate = Math.Round(share * 168m / longHours, 3).ToString("0.###", CultureInfo.InvariantCulture);
                var thresholds = Regex.Matches(text, @"ratio_rate(\w+)\{[^}]*\} > \(" + Regex.Escape(burnRate) + @" \* ([0-9.]+)\)").ToList();
                Assert.True(thresholds.Count == 2, $"No burn-rate {burnRate} thresholds ({share:P0} of the week's budget in {longWindow}) in alerts.yml.");
                Assert.Equal(new[] { longWindow, shortWindow }, thresholds.Select(m => m.Groups[1].Value));
                Assert.All(thresholds, m => Assert.Equal(budget, decimal.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
                Assert.True(decimal.Parse(burnRate, CultureInfo.InvariantCulture) > 1m, "Every alert burns faster than the budget allows.");
                Assert.Contains($"burn_rate: \"{burnRate}\"", text, StringComparison.Ordinal);
            }

            Assert.True(File.Exists(Path.Combine(root, "deploy", "prometheus", "alerts.test.yml")), "The rules come with their promtool tests.");

            var alerts = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"]).Children
                .Cast<YamlMappingNode>()
                .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>())
                .Where(r => r.Children.ContainsKey("alert"))
                .ToList();
            var severities = alerts.Select(a => ((YamlScalarNode)((YamlMappingNode)a["labels"])["severity"]).Value).ToList();
            Assert.Equal(4, alerts.Count);
            Assert.Equal(outOfHours == OnCallLevel.None ? 0 : 2, severities.Count(s => s == "page"));
            Assert.Equal(outOfHours == OnCallLevel.None ? 4 : 2, severities.Count(s => s == "ticket"));
            Assert.Contains($"operability_requests_total{{job=\"{expected.ServiceName}\",outcome=\"failure\"}}", text, StringComparison.Ordinal);
        }

        private static void CheckKubernetes(string root, ScaffoldExpectation expected)
        {
            var directory = Path.Combine(root, "deploy", "kubernetes");
            var deployment = Load(Path.Combine(directory, "deployment.yaml"));
            var pdb = Load(Path.Combine(directory, "poddisruptionbudget.yaml"));
            var configMap = Load(Path.Combine(directory, "configmap.yaml"));
            var (replicas, budgetKey, budget, spread) = expected.Target >= 99.9m ? ("3", "minAvailable", "2", "DoNotSchedule")
                : expected.Target >= 99.0m ? ("2", "minAvailable", "1", "ScheduleAnyway")
                : ("1", "maxUnavailable", "1", "ScheduleAnyway");

            Assert.Equal(expected.ServiceName, Scalar(deployment, "metadata", "name"));
            Assert.Equal(replicas, Scalar(deployment, "spec", "replicas"));
            Assert.Equal(budget, Scalar(pdb, "spec", budgetKey));
            var pod = (YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"];
            var podSpec = (YamlMappingNode)pod["spec"];
            var container = (YamlMappingNode)((YamlSequenceNode)podSpec["containers"]).Children[0];
            Assert.Equal("/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
            var constraint = (YamlMappingNode)((YamlSequenceNode)podSpec["topologySpreadConstraints"]).Children[0];
            Assert.Equal("topology.kubernetes.io/zone", Scalar(constraint, "topologyKey"));
            Assert.Equal(spread, Scalar(constraint, "whenUnsatisfiable"));
            Assert.Equal("false", Scalar(configMap, "data", "Operability__Shutter__Enabled"));
            var env = ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>().Select(e => Scalar(e, "name")).ToList();
            Assert.Equal(expected.Database is not null, env.Contains($"ConnectionStrings__{expected.Database}"));
            Assert.All(expected.Databases, d => Assert.Contains($"ConnectionStrings__{d}", env));
            Assert.All(expected.Dependencies, d => Assert.Contains($"Operability__Dependencies__{d}__BaseAddress", env));
            Assert.Equal(File.Exists(Path.Combine(directory, "secret.example.yaml")), expected.Database is not null);
            CheckScraping(root, expected, pod, container);
            KubernetesChecks.CheckShapes(directory);
            KubernetesChecks.CheckRestrictedPodSecurity(podSpec);
            KubernetesChecks.CheckRollout(directory, podSpec, container);
        }

        /// <summary>
        /// The alert rules select job="&lt;service&gt;": the PodMonitor the kustomization applies must scrape the
        /// Deployment's pods on a port they expose, at /metrics, and set exactly that job label.
        /// </summary>
        private static void CheckScraping(string root, ScaffoldExpectation expected, YamlMappingNode pod, YamlMappingNode container)
        {
            var directory = Path.Combine(root, "deploy", "kubernetes");
            var kustomization = Load(Path.Combine(directory, "kustomization.yaml"));
            var resources = ((YamlSequenceNode)kustomization["resources"]).Children.Cast<YamlScalarNode>().Select(r => r.Value!).ToList();
            Assert.Contains("podmonitor.yaml", resources);
            Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(directory, r)), $"kustomization.yaml lists {r}, which does not exist."));

            var monitor = Load(Path.Combine(directory, "podmonitor.yaml"));
            Assert.Equal("monitoring.coreos.com/v1", Scalar(monitor, "apiVersion"));
            Assert.Equal("PodMonitor", Scalar(monitor, "kind"));
            var podLabels = ((YamlMappingNode)((YamlMappingNode)pod["metadata"])["labels"]).Children
                .ToDictionary(l => ((YamlScalarNode)l.Key).Value!, l => ((YamlScalarNode)l.Value).Value!);
            var selector = ((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)monitor["spec"])["selector"])["matchLabels"]).Children;
            Assert.NotEmpty(selector);
            foreach (var label in selector)
            {
                Assert.Equal(((YamlScalarNode)label.Value).Value, podLabels.GetValueOrDefault(((YamlScalarNode)label.Key).Value!));
            }

            Assert.Equal(expected.ServiceName, podLabels[Scalar(monitor, "spec", "jobLabel")]);
            var ports = ((YamlSequenceNode)container["ports"]).Children.Cast<YamlMappingNode>().Select(p => Scalar(p, "name")).ToList();
            var endpoint = (YamlMappingNode)Assert.Single(((YamlSequenceNode)((YamlMappingNode)monitor["spec"])["podMetricsEndpoints"]).Children);
            Assert.Contains(Scalar(endpoint, "port"), ports);
            Assert.Equal("/metrics", Scalar(endpoint, "path"));
            var relabeling = Assert.Single(((YamlSequenceNode)endpoint["relabelings"]).Children.Cast<YamlMappingNode>(), r => Scalar(r, "targetLabel") == "job");
            Assert.Equal("replace", Scalar(relabeling, "action"));
            Assert.Equal(expected.ServiceName, Scalar(relabeling, "replacement"));
            Assert.False(relabeling.Children.ContainsKey("sourceLabels"), "job is set to the service name, whatever the pod's labels.");

            // Every series the alert rules read is selected by the job the PodMonitor sets.
            var alerts = File.ReadAllText(Path.Combine(root, "deploy", "prometheus", "alerts.yml"));
            var jobs = Regex.Matches(alerts, "\\bjob=\"([^\"]*)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Equal(new[] { expected.ServiceName }, jobs);
            Assert.Equal(14, Regex.Matches(alerts, "operability_requests_total\\{job=\"" + Regex.Escape(expected.ServiceName) + "\"").Count);
            Assert.Contains($"count(operability_requests_total{{job=\"{expected.ServiceName}\"}})", File.ReadAllText(Path.Combine(root, "RUNBOOK.md")), StringComparison.Ordinal);
        }

        internal static string Tolerable(decimal target) => Availability.FormatForDisplay(Availability.TolerableUnavailabilityPerWeek(target));

        internal static string Percent(decimal target) => target.ToString("0.0##", CultureInfo.InvariantCulture);

        internal static string Word<T>(T value) where T : struct, Enum =>
            string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

        private static YamlMappingNode Load(string path)
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(path)));
            return (YamlMappingNode)yaml.Documents.Single().RootNode;
        }

        private static string Scalar(YamlMappingNode node, params string[] path)
        {
            YamlNode current = node;
            foreach (var key in path)
            {
                current = ((YamlMappingNode)current)[key];
            }

            return ((YamlScalarNode)current).Value!;
        }

        private static bool IsBuildOutput(string root, string file)
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            return relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)
                || relative.StartsWith("artifacts/", StringComparison.Ordinal) || relative.Contains("TestResults/", StringComparison.Ordinal);
        }
    }
}
