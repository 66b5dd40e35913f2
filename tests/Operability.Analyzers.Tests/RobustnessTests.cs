using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Operability.Manifest.Tests;
using Xunit;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// Every analyzer of the package over half-typed and broken code and manifests, as an IDE sees
    /// them while someone types: no analyzer may throw (AD0001).
    /// </summary>
    public sealed class RobustnessTests
    {
        private const string Service = """
            using System;
            using System.Data.Common;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;

            var services = new ServiceCollection();
            services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new Uri("http://catalog"))
                .AddResilienceHandler("catalog", p => p.AddRetry(new Polly.Retry.RetryStrategyOptions<HttpResponseMessage>()));
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
            var client = new HttpClient { BaseAddress = new Uri("http://x") };
            client.Timeout = Timeout.InfiniteTimeSpan;
            var pipeline = new ResiliencePipelineBuilder().AddRetry(new Polly.Retry.RetryStrategyOptions()).Build();
            using var cts = new CancellationTokenSource();
            cts.CancelAfter(-1);
            Task.Run(() => { }).Wait();
            new SemaphoreSlim(1).Wait(cts.Token);
            Func<Task> later = async () => { using var c = new HttpClient(); await c.GetAsync("http://y"); };

            public sealed class CatalogClient
            {
                private static readonly HttpClient Shared = new();
                private readonly HttpClient _http;
                public CatalogClient(HttpClient http) { _http = http; Shared.Timeout = TimeSpan.FromSeconds(3); }
                public Task<string> GetAsync(CancellationToken token) => _http.GetStringAsync("/items", token);
                public void Configure(DbCommand command) { command.CommandTimeout = 0; }
            }
            """;

        private static readonly string[] Manifests =
        {
            "{ \"service\": \"orders\", \"owner\": \"team-orders\", \"availability\": { \"target\": 99.9 }, \"databases\": [ { \"name\": \"orders-db\", \"connectionStrings\": [\"Orders\"] } ], \"dependencies\": [ { \"name\": \"catalog\", \"timeout\": \"00:00:02\" } ] }",
            "{ \"service\": \"orders\", \"owner\": [",
            "{ \"service\": 12, \"owner\": null, \"availability\": \"high\", \"databases\": {}, \"dependencies\": [1, \"x\"] }",
            "",
            "\u0000\uFFFF{{{",
            "[]",
        };

        private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(RuleIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

        private static readonly ImmutableArray<MetadataReference> ReferencesForService = References.Runtime(
            References.HttpResilience.Concat(References.HttpPollyV7).Concat(References.Grpc).Concat(References.Configuration).Distinct().ToArray());

        // Reads what the manifests declare: a dependency's timeout budget (OPS107) and database ownership (OPS2xx).
        private const string ManifestReader = """
            using System;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            var services = new ServiceCollection();
            services.AddHttpClient("payments", c => c.Timeout = TimeSpan.FromSeconds(5000000));
            services.AddHttpClient("dep0", c => c.Timeout = TimeSpan.FromSeconds(30));
            IConfiguration configuration = new ConfigurationBuilder().Build();
            var orders = configuration.GetConnectionString("Orders");
            var first = configuration.GetConnectionString("cs0-0");
            Console.WriteLine(orders + first);
            """;

        /// <summary>Manifest text as an IDE sees it: valid, with a value replaced by any JSON or by a non-number, cut short, random, or a catalogue.</summary>
        private static readonly Gen<string> GeneratedManifest = Gen.Frequency(
            (2, ManifestGenerators.ValidManifest.Select(m => m.Render(null, null, out _))),
            (4, ManifestGenerators.ValidManifest.SelectMany(m => Gen.Select(
                Gen.OneOf(m.ValuePaths.ToArray()),
                Gen.Frequency((3, ManifestGenerators.NumberText), (2, ManifestGenerators.JsonValue), (1, ManifestGenerators.NotANumberText), (1, ManifestGenerators.DeepValue)),
                (path, replacement) => m.Render(path, replacement, out _)))),
            (1, ManifestGenerators.ValidManifest.Select(m => m.Render(null, null, out _)).SelectMany(text => Gen.Int[0, text.Length].Select(n => text.Substring(0, n)))),
            (1, ManifestGenerators.RandomText),
            (1, ManifestGenerators.ValidManifest.Array[0, 3].Select(ms => "[" + string.Join(",", ms.Select(m => m.Render(null, null, out _))) + "]")));

        public static IEnumerable<object[]> Truncations()
        {
            // Every 23rd prefix of the service, plus a few edits in the middle.
            for (var length = 0; length <= Service.Length; length += 23)
            {
                yield return new object[] { length };
            }

            yield return new object[] { Service.Length };
        }

        [Fact]
        public async Task CompleteService_AnalyzersRunAndReport()
        {
            Assert.True(Analyzers.Length >= 5, $"found {Analyzers.Length} analyzers");
            var diagnostics = await AssertNoAnalyzerExceptionAsync(Service, Manifests[0], isTestProject: false);
            var ids = diagnostics.Select(d => d.Id).ToHashSet();
            Assert.Contains(RuleIds.InfiniteTimeout, ids);
            Assert.Contains(RuleIds.BlockingWaitWithoutTimeout, ids);
            Assert.Contains(RuleIds.HttpClientWithoutTimeout, ids);
        }

        [Theory]
        [MemberData(nameof(Truncations))]
        public async Task TruncatedService_WithEveryManifestShape_NoAnalyzerThrows(int length)
        {
            var source = Service.Substring(0, length);
            foreach (var manifest in Manifests)
            {
                await AssertNoAnalyzerExceptionAsync(source, manifest, isTestProject: false);
            }
        }

        [Fact]
        public async Task ShuffledLines_InTestProject_NoAnalyzerThrows()
        {
            var lines = Service.Split('\n');
            var random = new Random(20261126);
            for (var i = 0; i < 25; i++)
            {
                var shuffled = lines.OrderBy(_ => random.Next()).Take(lines.Length - random.Next(lines.Length / 2));
                await AssertNoAnalyzerExceptionAsync(string.Join("\n", shuffled), Manifests[i % Manifests.Length], isTestProject: i % 2 == 0);
            }
        }

        [Fact]
        public async Task GeneratedManifests_NumericExtremesOddUnicodeAndBrokenJson_NoAnalyzerThrows()
        {
            var manifests = new List<string>();
            ManifestGenerators.ForAll(GeneratedManifest, manifests.Add, iterations: 60, print: ManifestGenerators.Escape);

            // Each compilation: one as the project's manifest, three more as estate manifests.
            for (var i = 0; i + 3 < manifests.Count; i += 4)
            {
                await AssertNoAnalyzerExceptionAsync(ManifestReader, manifests[i], isTestProject: false, estate: manifests.Skip(i + 1).Take(3).ToArray());
            }
        }

        [Fact]
        public async Task ManifestReader_WithAValidManifest_ReadsItsDependencyBudgetAndDatabases()
        {
            const string manifest = "{ \"service\": \"orders\", \"owner\": \"t\", \"availability\": { \"target\": 99 }, \"dependencies\": [ { \"name\": \"payments\", \"timeout\": 2 } ] }";
            var diagnostics = await AssertNoAnalyzerExceptionAsync(ManifestReader, manifest, isTestProject: false, estate: new[] { manifest });

            // The generated-manifest test above exercises these rules, not only the manifest rules.
            Assert.Contains(diagnostics, d => d.Id == RuleIds.TimeoutExceedsBudget);
            Assert.Contains(diagnostics, d => d.Id == RuleIds.DatabaseNotOwned);
        }

        private static async Task<ImmutableArray<Diagnostic>> AssertNoAnalyzerExceptionAsync(string source, string manifest, bool isTestProject, string[]? estate = null)
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Program.cs");
            var generated = CSharpSyntaxTree.ParseText("// <auto-generated/>\nnamespace G { public static class Gen { public static void Run(System.Threading.Tasks.Task t) => t.Wait(); } }", path: "/0/obj/Gen.g.cs");
            var compilation = CSharpCompilation.Create(
                "Orders",
                new[] { tree, generated },
                ReferencesForService,
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

            var globalConfig = "build_property.UsingMicrosoftNETSdkWeb = true\nbuild_property.MSBuildProjectDirectory = /0\nbuild_property.IsTestProject = " + (isTestProject ? "true" : "false") + "\n";
            var files = new List<AdditionalText> { new InMemoryText("/0/operability.json", manifest) };
            var estateManifests = estate ?? new[] { manifest };
            for (var i = 0; i < estateManifests.Length; i++)
            {
                files.Add(new InMemoryText("/estate/service" + i + "/operability.json", estateManifests[i]));
            }

            var options = new AnalyzerOptions(files.ToImmutableArray(), new GlobalOptionsProvider(globalConfig));

            var exceptions = new List<string>();
            var withAnalyzers = compilation.WithAnalyzers(
                Analyzers,
                new CompilationWithAnalyzersOptions(options, (exception, analyzer, diagnostic) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"), concurrentAnalysis: true, logAnalyzerExecutionTime: false));
            var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None);

            Assert.Empty(exceptions);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
            return diagnostics;
        }

        private sealed class InMemoryText : AdditionalText
        {
            private readonly SourceText _text;

            public InMemoryText(string path, string text)
            {
                Path = path;
                _text = SourceText.From(text);
            }

            public override string Path { get; }

            public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
        }

        private sealed class GlobalOptionsProvider : AnalyzerConfigOptionsProvider
        {
            private readonly DictionaryOptions _global;

            public GlobalOptionsProvider(string config)
            {
                var values = config.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => line.Split('=', 2))
                    .ToImmutableDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
                _global = new DictionaryOptions(values);
            }

            public override AnalyzerConfigOptions GlobalOptions => _global;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

            // Files under /estate/ are the other services' manifests, as the package's targets mark them.
            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
                textFile.Path.StartsWith("/estate/", StringComparison.Ordinal) ? DictionaryOptions.Estate : DictionaryOptions.Empty;
        }

        private sealed class DictionaryOptions : AnalyzerConfigOptions
        {
            public static readonly DictionaryOptions Empty = new(ImmutableDictionary<string, string>.Empty);

            public static readonly DictionaryOptions Estate = new(ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.OperabilityRole", "Estate"));

            private readonly ImmutableDictionary<string, string> _values;

            public DictionaryOptions(ImmutableDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
        }
    }
}
