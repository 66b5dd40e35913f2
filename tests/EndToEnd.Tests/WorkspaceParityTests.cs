using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;
using Xunit;
using Xunit.Abstractions;

namespace EndToEnd.Tests
{
    /// <summary>
    /// IDE parity: the sample estate and a scaffolded solution opened in a real MSBuild workspace (design-time builds in
    /// Roslyn's build host, as editors load projects) report the same Operability diagnostics as 'dotnet build' — id,
    /// file, line, column and severity, in C# files, in operability.json and in appsettings*.json — and every
    /// diagnostic a code fix claims gets an action from it. The command-line set is read from the compiler's SARIF log.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class WorkspaceParityTests : IClassFixture<TemplateHive>
    {
        private readonly PackageFeedFixture _feed;
        private readonly TemplateHive _hive;
        private readonly ITestOutputHelper _output;

        public WorkspaceParityTests(PackageFeedFixture feed, TemplateHive hive, ITestOutputHelper output)
        {
            _feed = feed;
            _hive = hive;
            _output = output;
        }

        [Fact]
        public async Task SampleEstate_InAnMSBuildWorkspace_ReportsTheCommandLineDiagnostics_AndOffersEachCodeFix()
        {
            using var folder = EstateTests.CopyEstate("ide-estate");
            // A diagnostic inside operability.json with a code fix of its own (OPS310): the reporting domain's 99.0%
            // calls for the domain's out-of-hours schedule, not the team's.
            var manifest = Path.Combine(folder.Path, "estate", "order-reports", "operability.json");
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(
                "\"runbook\": \"RUNBOOK.md\"",
                "\"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"team\" },\n  \"runbook\": \"RUNBOOK.md\"",
                StringComparison.Ordinal));
            var projects = new[] { "estate/orders/Orders.csproj", "estate/payments/Payments.csproj", "estate/order-reports/OrderReports.csproj" }
                .Select(project => Path.Combine(folder.Path, project))
                .ToList();

            var compared = await AssertParityAsync(folder.Path, projects);

            Assert.Contains(compared, d => d.Id == "OPS201" && d.File.EndsWith("Program.cs", StringComparison.Ordinal));
            Assert.Contains(compared, d => d.Id == "OPS202" && d.File.EndsWith("appsettings.json", StringComparison.Ordinal));
            Assert.Contains(compared, d => d.Id == "OPS203");
            Assert.Contains(compared, d => d.Id == "OPS310" && d.File.EndsWith("operability.json", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task ScaffoldedSolution_InAnMSBuildWorkspace_ReportsTheCommandLineDiagnostics_AndOffersEachCodeFix(bool ci)
        {
            // In CI the same diagnostics are errors, through the compiler-visible OperabilityCiErrors property.
            var name = ci ? "ParcelsCi" : "Parcels";
            var created = _hive.New(name, "--owner", "team-parcels", "--financial-exposure", "810000", "--feature-demand", "very-high", "--database", "parcels-db", "--dependency", "carriers");
            Assert.True(created.ExitCode == 0, created.ToString());
            var root = _hive.Root(name);
            var service = Path.Combine(root, "src", name);
            // What a developer writes after the scaffold: an HttpClient without a timeout (OPS101), a blocking wait
            // without one (OPS105), an undeclared database in the development settings (OPS201 in
            // appsettings.Development.json) and on-call cover the 99.9% target does not call for (OPS310 in operability.json).
            File.WriteAllText(Path.Combine(service, "Dependencies", "Tracking.cs"), """
                namespace Tracking;

                public static class Tracking
                {
                    public static string Status(Uri tracking)
                    {
                        var http = new HttpClient();
                        var status = http.GetStringAsync(tracking);
                        status.Wait();
                        return status.Result;
                    }
                }
                """);
            var development = Path.Combine(service, "appsettings.Development.json");
            File.WriteAllText(development, """
                {
                  "Logging": { "LogLevel": { "Default": "Information" } },
                  "ConnectionStrings": {
                    "Tracking": "Host=localhost;Database=tracking-db"
                  }
                }
                """);
            var manifest = Path.Combine(service, "operability.json");
            var declared = File.ReadAllText(manifest);
            Assert.Contains("\"outOfHours\": \"team\"", declared, StringComparison.Ordinal);
            File.WriteAllText(manifest, declared.Replace("\"outOfHours\": \"team\"", "\"outOfHours\": \"none\"", StringComparison.Ordinal));
            var projects = new[] { Path.Combine(service, name + ".csproj"), Path.Combine(root, "tests", name + ".Tests", name + ".Tests.csproj") };

            var compared = await AssertParityAsync(root, projects, Path.Combine(root, name + ".sln"), ci);

            Assert.All(compared, d => Assert.Equal(ci ? "error" : "warning", d.Severity));
            Assert.Contains(compared, d => d.Id == "OPS101");
            Assert.Contains(compared, d => d.Id == "OPS105");
            Assert.Contains(compared, d => d.Id == "OPS201" && d.File.EndsWith("appsettings.Development.json", StringComparison.Ordinal));
            Assert.Contains(compared, d => d.Id == "OPS310" && d.File.EndsWith("operability.json", StringComparison.Ordinal));
        }

        /// <summary>
        /// Builds each project on the command line with a SARIF log, opens them in an MSBuild workspace, compares the
        /// Operability diagnostics and asks the packed code fixes for an action on each one they claim.
        /// </summary>
        private async Task<IReadOnlyList<ReportedDiagnostic>> AssertParityAsync(string root, IReadOnlyList<string> projects, string? solution = null, bool ci = false)
        {
            var properties = new Dictionary<string, string>
            {
                ["Configuration"] = "Debug",
                ["OperabilityVersion"] = _feed.AnalyzersVersion,
                // Both sides build as a developer's machine (or CI) does, whatever the test run's environment says.
                ["CI"] = ci ? "true" : "false",
                ["TF_BUILD"] = "false",
                ["GITHUB_ACTIONS"] = "false",
                ["ContinuousIntegrationBuild"] = "false",
            };

            var clock = Stopwatch.StartNew();
            var logs = CommandLineBuild(root, projects, properties);
            var commandLineTime = clock.Elapsed;
            clock.Restart();
            var (workspace, analysed, fixable) = await WorkspaceDiagnosticsAsync(projects, solution, properties);
            var workspaceTime = clock.Elapsed;

            var commandLine = new List<ReportedDiagnostic>();
            foreach (var project in projects)
            {
                if (logs[project] is { } log)
                {
                    commandLine.AddRange(log);
                }
                else
                {
                    // Only a project the analyzers do not run in may go uncompiled (a test project whose service failed in CI).
                    Assert.DoesNotContain(project, analysed);
                }
            }

            var expected = commandLine.OrderBy(d => d.ToString(), StringComparer.Ordinal).ToList();
            var actual = workspace.OrderBy(d => d.ToString(), StringComparer.Ordinal).ToList();
            _output.WriteLine($"command line: {expected.Count} diagnostics in {commandLineTime.TotalSeconds:F1}s; workspace: {actual.Count} in {workspaceTime.TotalSeconds:F1}s; code fixes offered for {fixable.Count}");
            foreach (var diagnostic in expected)
            {
                _output.WriteLine("  " + diagnostic);
            }

            Assert.True(
                expected.SequenceEqual(actual),
                "command line:\n  " + string.Join("\n  ", expected) + "\nworkspace:\n  " + string.Join("\n  ", actual));
            Assert.NotEmpty(fixable);
            return expected;
        }

        /// <summary>
        /// 'dotnet build' of each project with the compiler's SARIF log (ErrorLog, version 2.1): the Operability
        /// diagnostics of each project's own compilation, or null for a project whose compiler did not run.
        /// </summary>
        private static Dictionary<string, List<ReportedDiagnostic>?> CommandLineBuild(string root, IReadOnlyList<string> projects, IReadOnlyDictionary<string, string> properties)
        {
            // One log per project, also for a project built as another's reference: '-p:ErrorLog=x' would give them
            // all the same file, and a reference that fails (as in CI) would leave its log as the referencing one's.
            var errorLog = Path.Combine(root, "errorlog.targets");
            File.WriteAllText(errorLog, """
                <Project>
                  <PropertyGroup>
                    <ErrorLog>$(MSBuildProjectDirectory)/obj/parity.sarif,version=2.1</ErrorLog>
                  </PropertyGroup>
                </Project>
                """);
            var outputs = new List<string>();
            foreach (var project in projects)
            {
                var arguments = new List<string> { "build", project, "--nologo", "--no-incremental", "-v", "q", "-clp:NoSummary", "-p:CustomAfterMicrosoftCommonTargets=" + errorLog };
                arguments.AddRange(properties.Select(pair => $"-p:{pair.Key}={pair.Value}"));
                var result = Dotnet.Run(root, null, arguments.ToArray());
                Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);
                outputs.Add(result.ToString());
            }

            var logs = new Dictionary<string, List<ReportedDiagnostic>?>();
            foreach (var project in projects)
            {
                var log = Path.Combine(Path.GetDirectoryName(project)!, "obj", "parity.sarif");
                logs[project] = File.Exists(log) ? ReadSarif(log) : null;
            }

            Assert.True(logs.Values.Any(log => log is not null), string.Join("\n", outputs));
            return logs;
        }

        private static List<ReportedDiagnostic> ReadSarif(string log)
        {
            var found = new List<ReportedDiagnostic>();
            using var sarif = JsonDocument.Parse(File.ReadAllText(log));
            foreach (var run in sarif.RootElement.GetProperty("runs").EnumerateArray())
            {
                foreach (var entry in run.GetProperty("results").EnumerateArray())
                {
                    var id = entry.GetProperty("ruleId").GetString()!;
                    var level = entry.TryGetProperty("level", out var levelValue) ? levelValue.GetString()! : "warning";
                    if (!id.StartsWith("OPS", StringComparison.Ordinal)
                        || level == "none"
                        || (entry.TryGetProperty("suppressions", out var suppressions) && suppressions.GetArrayLength() > 0))
                    {
                        continue;
                    }

                    var location = entry.GetProperty("locations")[0].GetProperty("physicalLocation");
                    var region = location.GetProperty("region");
                    found.Add(new ReportedDiagnostic(
                        id,
                        Path.GetFullPath(new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath),
                        region.GetProperty("startLine").GetInt32(),
                        region.TryGetProperty("startColumn", out var column) ? column.GetInt32() : 1,
                        level switch { "error" => "error", "warning" => "warning", _ => "info" }));
                }
            }

            return found;
        }

        private async Task<(List<ReportedDiagnostic> Diagnostics, List<string> Analysed, List<string> Fixable)> WorkspaceDiagnosticsAsync(
            IReadOnlyList<string> projects, string? solutionPath, IReadOnlyDictionary<string, string> properties)
        {
            using var workspace = MSBuildWorkspace.Create(properties.ToDictionary(pair => pair.Key, pair => pair.Value));
            var failures = new List<string>();
            workspace.RegisterWorkspaceFailedHandler(e => failures.Add(e.Diagnostic.Kind + ": " + e.Diagnostic.Message));
            if (solutionPath is not null)
            {
                await workspace.OpenSolutionAsync(solutionPath);
            }
            else
            {
                foreach (var path in projects)
                {
                    if (!workspace.CurrentSolution.Projects.Any(p => SamePath(p.FilePath, path)))
                    {
                        await workspace.OpenProjectAsync(path);
                    }
                }
            }

            Assert.True(!failures.Any(f => f.StartsWith("Failure", StringComparison.Ordinal)), string.Join("\n", failures));
            var diagnostics = new List<ReportedDiagnostic>();
            var analysed = new List<string>();
            var fixable = new List<string>();
            foreach (var path in projects)
            {
                var project = workspace.CurrentSolution.Projects.Single(p => SamePath(p.FilePath, path));
                var operability = project.AnalyzerReferences
                    .Where(reference => reference.FullPath is { } full && Path.GetFileName(full).StartsWith("Operability.Analyzers", StringComparison.Ordinal))
                    .ToList();
                if (operability.Count == 0)
                {
                    // A test project does not get the package (the service references it privately): nothing to compare
                    // but the command line's empty set.
                    continue;
                }

                analysed.Add(path);
                var analyzers = operability.SelectMany(reference => reference.GetAnalyzers(LanguageNames.CSharp)).ToImmutableArray();
                var compilation = (await project.GetCompilationAsync())!;
                var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
                var found = (await withAnalyzers.GetAnalyzerDiagnosticsAsync())
                    .Where(d => !d.IsSuppressed && d.Severity != DiagnosticSeverity.Hidden)
                    .ToList();
                Assert.DoesNotContain(found, d => d.Id == "AD0001");

                var fixes = CodeFixProviders(operability);
                foreach (var diagnostic in found.Where(d => d.Id.StartsWith("OPS", StringComparison.Ordinal)))
                {
                    var span = diagnostic.Location.GetLineSpan();
                    var reported = new ReportedDiagnostic(
                        diagnostic.Id,
                        Path.GetFullPath(span.Path),
                        span.StartLinePosition.Line + 1,
                        span.StartLinePosition.Character + 1,
                        diagnostic.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "info" });
                    diagnostics.Add(reported);
                    var claiming = fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)).ToList();
                    if (claiming.Count == 0)
                    {
                        continue;
                    }

                    // As the light bulb asks: only the providers exported for the kind of document the diagnostic is in.
                    var offered = new List<CodeAction>();
                    foreach (var provider in claiming.Where(f => ExportedFor(f, diagnostic.Location.IsInSource ? TextDocumentKind.Document : TextDocumentKind.AdditionalDocument)))
                    {
                        offered.AddRange(await OfferedActionsAsync(provider, project, diagnostic));
                    }

                    Assert.True(offered.Count > 0, $"{string.Join(", ", claiming.Select(f => f.GetType().Name))} claims {diagnostic.Id} but offers no action for {reported}");
                    fixable.Add($"{reported}: {string.Join(" | ", offered.Select(a => a.Title))}");
                }
            }

            foreach (var line in fixable)
            {
                _output.WriteLine("  fix " + line);
            }

            return (diagnostics, analysed, fixable);
        }

        // The code fixes as an editor finds them: the CodeFixProvider types exported by the package's analyzer
        // assemblies (analyzers/dotnet/cs), loaded from the same files the project references.
        private static List<CodeFixProvider> CodeFixProviders(IEnumerable<AnalyzerReference> references)
        {
            var providers = new List<CodeFixProvider>();
            foreach (var reference in references)
            {
                var file = new AnalyzerFileReference(reference.FullPath!, PathAssemblyLoader.Instance);
                foreach (var type in file.GetAssembly().GetTypes())
                {
                    if (!type.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(type) && type.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
                    {
                        providers.Add((CodeFixProvider)Activator.CreateInstance(type)!);
                    }
                }
            }

            Assert.NotEmpty(providers);
            return providers;
        }

        private static bool ExportedFor(CodeFixProvider provider, TextDocumentKind kind)
        {
            var kinds = provider.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>()!.DocumentKinds;
            return kinds.Contains(kind.ToString(), StringComparer.Ordinal);
        }

        private static async Task<List<CodeAction>> OfferedActionsAsync(CodeFixProvider provider, Project project, Diagnostic diagnostic)
        {
            var actions = new List<CodeAction>();
            var tree = diagnostic.Location.SourceTree;
            if (tree is not null)
            {
                var document = project.GetDocument(tree)!;
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
            }
            else
            {
                var path = diagnostic.Location.GetLineSpan().Path;
                var document = project.AdditionalDocuments.Single(d => SamePath(d.FilePath, path));
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic.Location.SourceSpan, ImmutableArray.Create(diagnostic), (action, _) => actions.Add(action), CancellationToken.None));
            }

            return actions;
        }

        private static bool SamePath(string? a, string b) => a is not null && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

        /// <summary>One Operability diagnostic as both sides report it: 1-based line and column, severity as SARIF's level.</summary>
        public sealed record ReportedDiagnostic(string Id, string File, int Line, int Column, string Severity)
        {
            public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}";
        }

        /// <summary>Loads the package's analyzer assemblies into the test's load context, beside the Roslyn it runs.</summary>
        private sealed class PathAssemblyLoader : IAnalyzerAssemblyLoader
        {
            public static readonly PathAssemblyLoader Instance = new();

            public void AddDependencyLocation(string fullPath)
            {
            }

            public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
        }
    }
}
