using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.Baseline;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.Baseline.BaselineSuppressor>;

namespace Operability.Analyzers.Tests.Baseline
{
    public sealed class BaselineSuppressorTests
    {
        private const string BaselinePath = Test.ProjectDirectory + "/" + BaselineDocument.FileName;

        private const string TwoClients = """
            using System.Net.Http;
            using System.Threading.Tasks;

            namespace Shop
            {
                public static class Clients
                {
                    public static async Task<string> Get(string url)
                    {
                        var client = new HttpClient();
                        var again = new HttpClient();
                        return await client.GetStringAsync(url) + await again.GetStringAsync(url);
                    }
                }
            }
            """;

        private static Test WithRules(string source, string baseline)
        {
            var test = new Test { TestCode = source };
            test.AlsoRun.Add(new HttpClientTimeoutAnalyzer());
            test.AlsoRun.Add(new BaselineAnalyzer());
            test.WithAdditionalFile(BaselineDocument.FileName, baseline);
            return test;
        }

        private static string Baseline(params string[] entries) =>
            "{\n  \"version\": 1,\n  \"entries\": [\n" + string.Join(",\n", entries) + "\n  ]\n}\n";

        private static string Entry(string rule, string file, string member, string expression, int occurrence, string justification = "accepted at adoption") =>
            "    { \"rule\": \"" + rule + "\", \"file\": \"" + file + "\", \"member\": \"" + member + "\", \"expression\": \"" + expression
            + "\", \"occurrence\": " + occurrence + ", \"justification\": \"" + justification + "\" }";

        private static DiagnosticResult Ops101(int line, int column, string variable, DiagnosticSeverity severity = DiagnosticSeverity.Warning) =>
            new DiagnosticResult(RuleIds.HttpClientWithoutTimeout, severity).WithSpan("/0/Test0.cs", line, column, line, column + 16).WithArguments(variable);

        // Entries start on line 4 of the file Baseline() writes, one a line, at column 5.
        private static DiagnosticResult Ops901(int entry, string message) =>
            new DiagnosticResult(RuleIds.BaselineEntryUnmatched, DiagnosticSeverity.Warning).WithSpan(BaselinePath, 4 + entry, 5, 4 + entry, 6)
                .WithMessage("Baseline entry " + message + " matches no diagnostic any more; remove it from operability.baseline.json so that the violation cannot come back unnoticed");

        [Fact]
        public async Task SecondOccurrenceBaselined_IsSuppressed_FirstIsStillReported()
        {
            await WithRules(TwoClients, Baseline(Entry("OPS101", "Test0.cs", "Shop.Clients.Get(string)", "new HttpClient()", 1)))
                .Expect(
                    Ops101(10, 26, "client"),
                    Ops101(11, 25, "again").WithIsSuppressed(true))
                .VerifyAsync();
        }

        [Fact]
        public async Task CodeEditedAboveAndReformatted_EntryStillMatches()
        {
            const string edited = """
                using System.Net.Http;
                using System.Threading.Tasks;

                namespace Shop
                {
                    public static class Clients
                    {
                        private const string Unrelated = "a line added above the finding";

                        public static async Task<string> Get(string url)
                        {
                            var client = new HttpClient();
                            var again = new HttpClient(
                                );
                            return await client.GetStringAsync(url) + await again.GetStringAsync(url);
                        }
                    }
                }
                """;
            await WithRules(edited, Baseline(Entry("OPS101", "Test0.cs", "Shop.Clients.Get(string)", "new HttpClient()", 0)))
                .Expect(
                    Ops101(12, 26, "client").WithIsSuppressed(true),
                    new DiagnosticResult(RuleIds.HttpClientWithoutTimeout, DiagnosticSeverity.Warning).WithSpan("/0/Test0.cs", 13, 25, 14, 18).WithArguments("again"))
                .VerifyAsync();
        }

        [Fact]
        public async Task EntryOfAnotherMemberOrFile_SuppressesNothing_AndIsReportedUnmatched()
        {
            await WithRules(TwoClients, Baseline(
                    Entry("OPS101", "Test0.cs", "Shop.Clients.Post(string)", "new HttpClient()", 0),
                    Entry("OPS101", "Other.cs", "Shop.Clients.Get(string)", "new HttpClient()", 0),
                    Entry("OPS101", "Test0.cs", "Shop.Clients.Get(string)", "new HttpClient()", 2)))
                .WithProperty("OperabilityReportUnmatchedBaselineEntries", "true")
                .Expect(
                    Ops101(10, 26, "client"),
                    Ops101(11, 25, "again"),
                    Ops901(0, "OPS101 in 'Test0.cs', Shop.Clients.Post(string): 'new HttpClient()'"),
                    Ops901(1, "OPS101 in 'Other.cs', Shop.Clients.Get(string): 'new HttpClient()'"),
                    Ops901(2, "OPS101 in 'Test0.cs', Shop.Clients.Get(string): 'new HttpClient()' (occurrence 2)"))
                .VerifyAsync();
        }

        // Raised diagnostics are created from the formatted message, so they carry no arguments to compare.
        private static DiagnosticResult InCi(int line, int column, string variable) =>
            new DiagnosticResult(RuleIds.HttpClientWithoutTimeout, DiagnosticSeverity.Error).WithSpan("/0/Test0.cs", line, column, line, column + 16)
                .WithMessage("'" + variable + "' is created without a Timeout and waits up to the 100-second default; set Timeout, or use IHttpClientFactory with a resilience handler")
                .WithIsSuppressed(true);

        [Fact]
        public async Task WarningRaisedToErrorInCi_IsSuppressed()
        {
            await WithRules(TwoClients, Baseline(
                    Entry("OPS101", "Test0.cs", "Shop.Clients.Get(string)", "new HttpClient()", 0),
                    Entry("OPS101", "Test0.cs", "Shop.Clients.Get(string)", "new HttpClient()", 1)))
                .WithProperty("OperabilityCiErrors", "OPS101")
                .Expect(
                    InCi(10, 26, "client"),
                    InCi(11, 25, "again"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RuleThatIsAnErrorByDefault_CannotBeBaselined()
        {
            const string infinite = """
                using System.Net.Http;
                using System.Threading;

                public static class Clients
                {
                    public static HttpClient Create() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                }
                """;
            var test = new Test { TestCode = infinite };
            test.AlsoRun.Add(new InfiniteTimeoutAnalyzer());
            test.AlsoRun.Add(new BaselineAnalyzer());
            test.WithAdditionalFile(BaselineDocument.FileName, Baseline(Entry("OPS102", "Test0.cs", "Clients.Create()", "Timeout.InfiniteTimeSpan", 0)));
            await test
                .WithProperty("OperabilityReportUnmatchedBaselineEntries", "true")
                .Expect(
                    new DiagnosticResult(RuleIds.InfiniteTimeout, DiagnosticSeverity.Error).WithSpan("/0/Test0.cs", 6, 69, 6, 93).WithArguments("HttpClient.Timeout", "Timeout.InfiniteTimeSpan"),
                    Ops901(0, "OPS102 in 'Test0.cs', Clients.Create(): 'Timeout.InfiniteTimeSpan'"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ManifestDiagnosticInOperabilityJson_IsSuppressed()
        {
            const string manifest = "{\n  \"service\": \"orders\",\n  \"owner\": [\"team-a\", \"team-b\"],\n  \"availability\": { \"target\": 99.9 },\n  \"runbook\": \"RUNBOOK.md\"\n}\n";
            var test = new Test { TestCode = "public static class Program { public static void Main() { } }\n" };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.WithProperty("OperabilityIsService", "true");
            test.AlsoRun.Add(new ServiceManifestAnalyzer());
            test.AlsoRun.Add(new BaselineAnalyzer());
            test.WithAdditionalFile("operability.json", manifest);
            test.WithAdditionalFile("RUNBOOK.md", "# Runbook\n");
            test.WithAdditionalFile(BaselineDocument.FileName, Baseline(Entry("OPS302", "operability.json", string.Empty, "[", 0, "two teams share the service until the split")));
            await test
                .Expect(
                    new DiagnosticResult(RuleIds.OwnerNotSingle, DiagnosticSeverity.Warning).WithSpan("/0/operability.json", 3, 12, 3, 13).WithIsSuppressed(true))
                .VerifyAsync();
        }

        [Fact]
        public async Task MalformedEntries_AreReportedAtTheirValues_AndTheValidOnesStillSuppress()
        {
            const string baseline = """
                {
                  "version": 1,
                  "entries": [
                    { "rule": "OPS101", "file": "Test0.cs", "member": "Shop.Clients.Get(string)", "expression": "new HttpClient()", "justification": "accepted" },
                    { "rule": "OPS101", "file": "Test0.cs", "occurrence": -1, "justification": "accepted" },
                    { "rule": "OPS101", "file": "Test0.cs", "justifcation": "accepted" },
                    "OPS101"
                  ]
                }
                """;
            DiagnosticResult Ops902(int line, int column, int endColumn, string message) =>
                new DiagnosticResult(RuleIds.MalformedBaseline, DiagnosticSeverity.Warning).WithSpan(BaselinePath, line, column, line, endColumn)
                    .WithMessage("operability.baseline.json is not a valid operability baseline: " + message);
            await WithRules(TwoClients, baseline)
                .Expect(
                    Ops101(10, 26, "client").WithIsSuppressed(true),
                    Ops101(11, 25, "again"),
                    Ops902(5, 59, 61, "entries[1] \"occurrence\" must be a whole number from 0, not -1"),
                    Ops902(6, 45, 59, "entries[2] has an unknown property \"justifcation\"; an entry has rule, file, member, expression, occurrence, justification"),
                    Ops902(6, 5, 6, "entries[2] has no \"justification\""),
                    Ops902(7, 5, 13, "entries[3] must be an object, not a string"))
                .VerifyAsync();
        }

        [Fact]
        public async Task BaselineOfAnotherVersion_IsReported_AndSuppressesNothing()
        {
            await WithRules(TwoClients, "{ \"version\": 2, \"entries\": [] }")
                .Expect(
                    Ops101(10, 26, "client"),
                    Ops101(11, 25, "again"),
                    new DiagnosticResult(RuleIds.MalformedBaseline, DiagnosticSeverity.Warning).WithSpan(BaselinePath, 1, 14, 1, 15)
                        .WithMessage("operability.baseline.json is not a valid operability baseline: \"version\" must be 1, the only format this package reads"))
                .VerifyAsync();
        }

        [Fact]
        public async Task BaselineThatIsNotJson_IsReportedAtTheSyntaxError_AndSuppressesNothing()
        {
            await WithRules(TwoClients, "{ \"version\": 1, \"entries\": [ { \"rule\": \"OPS101\" ")
                .Expect(
                    Ops101(10, 26, "client"),
                    Ops101(11, 25, "again"),
                    new DiagnosticResult(RuleIds.MalformedBaseline, DiagnosticSeverity.Warning).WithSpan(BaselinePath, 1, 49, 1, 49)
                        .WithMessage("operability.baseline.json is not a valid operability baseline: Expected ',' or '}' after a property value but found the end of the input"))
                .VerifyAsync();
        }

        [Fact]
        public async Task NoBaselineFile_SuppressesNothing()
        {
            var test = new Test { TestCode = TwoClients };
            test.AlsoRun.Add(new HttpClientTimeoutAnalyzer());
            test.AlsoRun.Add(new BaselineAnalyzer());
            await test.Expect(Ops101(10, 26, "client"), Ops101(11, 25, "again")).VerifyAsync();
        }
    }
}
