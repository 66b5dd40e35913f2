using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class EstateExportOpenSloTests
    {
        private static List<JsonNode> Documents(string file) => CatalogDocuments.ParseFile(file).Select(d => d!).ToList();

        private static JsonNode Kind(List<JsonNode> documents, string kind) => Assert.Single(documents, d => (string?)d["kind"] == kind);

        [Fact]
        public void OpenSlo_SampleEstate_EveryDocumentMeetsTheV1Requirements()
        {
            using var output = new TempEstate();

            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, "--policy", Cli.SamplePolicy, "--openslo", output.Path);

            Assert.True(result.ExitCode == 0, result.ToString());
            string[] files = Directory.GetFiles(output.Path, "*.yaml").Select(Path.GetFileName).ToArray()!;
            Assert.Subset(files.ToHashSet(), new[] { "order-reports.yaml", "orders.yaml", "payments.yaml" }.ToHashSet());
            foreach (string file in Directory.GetFiles(output.Path, "*.yaml"))
            {
                List<JsonNode> documents = Documents(file);
                Assert.Equal(new[] { "Service", "SLI", "SLO" }, documents.Select(d => (string)d["kind"]!));
                foreach (JsonNode document in documents)
                {
                    IReadOnlyList<string> errors = CatalogDocuments.OpenSloErrors(document);
                    Assert.True(errors.Count == 0, file + ": " + document.ToJsonString() + "\n" + string.Join("\n", errors));
                }
            }
        }

        [Fact]
        public void OpenSlo_Slo_HasAOneWeekRollingWindowAndTheTargetAsObjective()
        {
            using var output = new TempEstate();

            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, "--policy", Cli.SamplePolicy, "--openslo", output.Path);

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonNode slo = Kind(Documents(Path.Combine(output.Path, "orders.yaml")), "SLO");
            Assert.Equal("orders-availability", (string?)slo["metadata"]!["name"]);
            Assert.Equal("orders", (string?)slo["spec"]!["service"]);
            Assert.Equal("orders-availability", (string?)slo["spec"]!["indicatorRef"]);
            Assert.Equal("Occurrences", (string?)slo["spec"]!["budgetingMethod"]);
            JsonNode window = Assert.Single(slo["spec"]!["timeWindow"]!.AsArray())!;
            Assert.Equal("1w", (string?)window["duration"]);
            Assert.True((bool)window["isRolling"]!);
            JsonNode objective = Assert.Single(slo["spec"]!["objectives"]!.AsArray())!;
            Assert.Equal(0.9999m, (decimal)objective["target"]!);
        }

        [Fact]
        public void OpenSlo_Sli_IsTheRatioOfSuccessfulRequestsOnTheRuntimesCounter()
        {
            using var output = new TempEstate();

            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, "--openslo", output.Path);

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonNode sli = Kind(Documents(Path.Combine(output.Path, "payments.yaml")), "SLI");
            JsonNode ratio = sli["spec"]!["ratioMetric"]!;
            Assert.True((bool)ratio["counter"]!);
            Assert.Equal("Prometheus", (string?)ratio["good"]!["metricSource"]!["type"]);
            Assert.Equal("sum(operability_requests_total{job=\"payments\",outcome=\"success\"})", (string?)ratio["good"]!["metricSource"]!["spec"]!["query"]);
            Assert.Equal("sum(operability_requests_total{job=\"payments\"})", (string?)ratio["total"]!["metricSource"]!["spec"]!["query"]);
        }

        [Fact]
        public void OpenSlo_ServiceNameWithQuotes_IsEscapedInThePromQlSelector()
        {
            using var estate = new TempEstate();
            estate.Write("a/operability.json", "{ \"service\": \"Odd \\\"One\\\"\", \"owner\": \"team-a\", \"availability\": { \"target\": 99.0 } }");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--openslo", output);

            Assert.True(result.ExitCode == 0, result.ToString());
            List<JsonNode> documents = Documents(Path.Combine(output, "odd-one.yaml"));
            Assert.Equal("sum(operability_requests_total{job=\"Odd \\\"One\\\"\"})", (string?)Kind(documents, "SLI")["spec"]!["ratioMetric"]!["total"]!["metricSource"]!["spec"]!["query"]);
            Assert.Equal(0.99m, (decimal)Kind(documents, "SLO")["spec"]!["objectives"]![0]!["target"]!);
            Assert.All(documents, d => Assert.Empty(CatalogDocuments.OpenSloErrors(d)));
        }

        [Fact]
        public void OpenSlo_ServiceWithoutTarget_IsReportedAndLeftOut()
        {
            using var estate = new TempEstate();
            estate.Write("a/operability.json", "{ \"service\": \"a\", \"owner\": \"team-a\" }");
            estate.Manifest("b", "b", "team-b");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--openslo", output);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no SLO for 'a': the manifest gives no availability target", result.Error);
            Assert.False(File.Exists(Path.Combine(output, "a.yaml")));
            Assert.True(File.Exists(Path.Combine(output, "b.yaml")));
        }

        [Fact]
        public void OpenSloRequirements_ADocumentBreakingThem_IsRejected()
        {
            // The check must be able to fail: a 30-day calendar window without a calendar, a target of 99.9 (not 0.999), no service.
            JsonNode slo = JsonNode.Parse("""
                { "apiVersion": "openslo/v1", "kind": "SLO", "metadata": { "name": "Bad_Name" },
                  "spec": { "budgetingMethod": "Occurrences", "indicatorRef": "x", "timeWindow": [ { "duration": "30 days" } ],
                            "objectives": [ { "target": 99.9 } ] } }
                """)!;

            IReadOnlyList<string> errors = CatalogDocuments.OpenSloErrors(slo);

            Assert.Contains(errors, e => e.Contains("/metadata/name"));
            Assert.Contains(errors, e => e.Contains("/spec/objectives/0/target"));
            Assert.Contains(errors, e => e.Contains("/spec/timeWindow/0"));
            Assert.Contains(errors, e => e.Contains("required"));
        }
    }
}
