using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class BaselineWriteCommandTests
    {
        private const string Source = """
            using System.Net.Http;

            namespace Shop
            {
                public sealed class Orders
                {
                    public HttpClient First() { var a = new HttpClient(); var b = new HttpClient(); return null!; }

                    public void Legacy() { var c = new HttpClient(); }
                }
            }
            """;

        // Results as the compiler writes them: absolute file URIs, 1-based regions, rule metadata with default levels.
        private static string Sarif(string folder, params string[] results) => """
            {
              "$schema": "http://json.schemastore.org/sarif-2.1.0",
              "version": "2.1.0",
              "runs": [ {
                "results": [
            """ + string.Join(",\n", results) + """

                ],
                "tool": { "driver": { "name": "Microsoft (R) Visual C# Compiler", "rules": [
                  { "id": "OPS101" },
                  { "id": "OPS102", "defaultConfiguration": { "level": "error" } },
                  { "id": "OPS107", "defaultConfiguration": { "level": "note" } }
                ] } }
              } ]
            }
            """;

        private static string Result(string rule, string level, string file, int line, int column, int endColumn, string suppressions = "") =>
            "{ \"ruleId\": \"" + rule + "\", \"level\": \"" + level + "\", \"message\": { \"text\": \"m\" }, " + suppressions
            + "\"locations\": [ { \"physicalLocation\": { \"artifactLocation\": { \"uri\": \"" + new System.Uri(file).AbsoluteUri + "\" }, "
            + "\"region\": { \"startLine\": " + line + ", \"startColumn\": " + column + ", \"endLine\": " + line + ", \"endColumn\": " + endColumn + " } } } ] }";

        private static JsonElement[] Entries(string baseline) =>
            JsonDocument.Parse(File.ReadAllText(baseline)).RootElement.GetProperty("entries").EnumerateArray().ToArray();

        [Fact]
        public void Write_ListsEachViolationByMemberTextAndOccurrence_WithoutLineNumbers()
        {
            using var project = new TempEstate();
            string file = project.Write("Orders.cs", Source);
            string sarif = project.Write("build.sarif", Sarif(
                project.Path,
                Result("OPS101", "error", file, 7, 71, 87),
                Result("OPS101", "error", file, 7, 45, 61),
                Result("OPS101", "warning", file, 9, 40, 56)));

            CliResult result = Cli.Run("baseline", "write", sarif, "--project", project.Path);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("Wrote 3 entries to " + Path.Combine(project.Path, "operability.baseline.json") + " (0 kept, 3 added, 0 removed).\n", result.Output.Replace("\r\n", "\n"));
            JsonElement[] entries = Entries(Path.Combine(project.Path, "operability.baseline.json"));
            Assert.Equal(
                new[]
                {
                    "OPS101|Orders.cs|Shop.Orders.First()|new HttpClient()|0",
                    "OPS101|Orders.cs|Shop.Orders.First()|new HttpClient()|1",
                    "OPS101|Orders.cs|Shop.Orders.Legacy()|new HttpClient()|0",
                },
                entries.Select(e => string.Join("|", e.GetProperty("rule").GetString(), e.GetProperty("file").GetString(), e.GetProperty("member").GetString(), e.GetProperty("expression").GetString(), e.GetProperty("occurrence").GetInt32())));
            Assert.All(entries, e => Assert.Equal(BaselineWriteCommand.DefaultJustification, e.GetProperty("justification").GetString()));
        }

        [Fact]
        public void Write_KeepsResultsItsOwnSuppressorSuppressed_AndLeavesOutPragmasNotesAndErrorsByDefault()
        {
            using var project = new TempEstate();
            string file = project.Write("Orders.cs", Source);
            const string byBaseline = "\"suppressions\": [ { \"kind\": \"inSource\", \"properties\": { \"suppressionType\": \"DiagnosticSuppressor { Suppression Id: OPSB101, Suppression Justification: listed }\" } } ], ";
            const string byPragma = "\"suppressions\": [ { \"kind\": \"inSource\" } ], ";
            string sarif = project.Write("build.sarif", Sarif(
                project.Path,
                Result("OPS101", "error", file, 7, 45, 61, byBaseline),
                Result("OPS101", "warning", file, 7, 71, 87, byPragma),
                Result("OPS107", "note", file, 9, 40, 56),
                Result("OPS102", "error", file, 9, 40, 56),
                Result("CS0168", "warning", file, 9, 40, 56)));

            CliResult result = Cli.Run("baseline", "write", sarif, "--project", project.Path, "--format", "json");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(1, result.Json.GetProperty("entries").GetInt32());
            Assert.Equal(1, result.Json.GetProperty("notBaselinable").GetInt32());
            Assert.Contains("warning: OPS102 at Orders.cs(9,40) is an error by default and cannot be baselined", result.Error);
            JsonElement entry = Assert.Single(Entries(Path.Combine(project.Path, "operability.baseline.json")));
            Assert.Equal("Shop.Orders.First()", entry.GetProperty("member").GetString());
            Assert.Equal(0, entry.GetProperty("occurrence").GetInt32());
        }

        [Fact]
        public void Rewrite_KeepsTheJustificationOfEntriesThatStillMatch_AndDropsTheOthers()
        {
            using var project = new TempEstate();
            string file = project.Write("Orders.cs", Source);
            string baseline = project.Write("operability.baseline.json", """
                {
                  "version": 1,
                  "entries": [
                    { "rule": "OPS101", "file": "Orders.cs", "member": "Shop.Orders.Legacy()", "expression": "new HttpClient()", "occurrence": 0, "justification": "replaced by the typed client in Q3" },
                    { "rule": "OPS101", "file": "Orders.cs", "member": "Shop.Orders.Gone()", "expression": "new HttpClient()", "occurrence": 0, "justification": "fixed since" }
                  ]
                }
                """);
            string sarif = project.Write("build.sarif", Sarif(project.Path, Result("OPS101", "error", file, 9, 40, 56), Result("OPS101", "error", file, 7, 45, 61)));

            CliResult result = Cli.Run("baseline", "write", sarif, "--project", project.Path, "--justification", "new in the payments migration");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("(1 kept, 1 added, 1 removed)", result.Output);
            JsonElement[] entries = Entries(baseline);
            Assert.Equal(new[] { "new in the payments migration", "replaced by the typed client in Q3" }, entries.Select(e => e.GetProperty("justification").GetString()));
        }

        [Fact]
        public void Write_ViolationInOperabilityJson_IsListedByItsText()
        {
            using var project = new TempEstate();
            string manifest = project.Write("operability.json", "{\n  \"service\": \"orders\",\n  \"owner\": [\"a\", \"b\"]\n}\n");
            string sarif = project.Write("build.sarif", Sarif(project.Path, Result("OPS302", "error", manifest, 3, 12, 13)));

            CliResult result = Cli.Run("baseline", "write", sarif, "--project", project.Path);

            Assert.True(result.ExitCode == 0, result.ToString());
            JsonElement entry = Assert.Single(Entries(Path.Combine(project.Path, "operability.baseline.json")));
            Assert.Equal("operability.json", entry.GetProperty("file").GetString());
            Assert.Equal(string.Empty, entry.GetProperty("member").GetString());
            Assert.Equal("[", entry.GetProperty("expression").GetString());
        }

        [Fact]
        public void Write_LogThatIsNotSarif_ExitsWithInputUnreadable()
        {
            using var project = new TempEstate();
            string sarif = project.Write("build.sarif", "{ \"version\": \"2.1.0\" }");

            CliResult result = Cli.Run("baseline", "write", sarif, "--project", project.Path);

            Assert.Equal(ExitCodes.InputUnreadable, result.ExitCode);
            Assert.Contains("error: cannot read the SARIF log '" + sarif + "': it has no \"runs\" array", result.Error);
            Assert.False(File.Exists(Path.Combine(project.Path, "operability.baseline.json")));
        }
    }
}
