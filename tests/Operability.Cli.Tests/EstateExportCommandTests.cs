using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class EstateExportCommandTests
    {
        private static List<JsonNode> Documents(string folder) =>
            Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories).OrderBy(f => f).SelectMany(CatalogDocuments.ParseFile).Select(d => d!).ToList();

        /// <summary>The sample estate exports whole, except a database it may claim twice on purpose (reported, exit 1).</summary>
        private static void AssertSampleExported(CliResult result) =>
            Assert.True(
                result.ExitCode == 0 || (result.ExitCode == 1 && result.Error.Split('\n').Where(l => l.Contains(": error: ")).All(l => l.Contains("no Resource for database"))),
                result.ToString());

        private static JsonNode Entity(List<JsonNode> documents, string kind, string name) =>
            Assert.Single(documents, d => (string?)d["kind"] == kind && (string?)d["metadata"]!["name"] == name);

        [Fact]
        public void Backstage_SampleEstate_EveryDocumentIsValidAgainstBackstagesSchemas()
        {
            using var output = new TempEstate();

            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, "--policy", Cli.SamplePolicy, "--backstage", output.Path);

            AssertSampleExported(result);
            List<JsonNode> documents = Documents(output.Path);
            Assert.NotEmpty(documents);
            foreach (JsonNode document in documents)
            {
                Assert.True(CatalogDocuments.BackstageErrors(document).Count == 0, document.ToJsonString() + "\n" + string.Join("\n", CatalogDocuments.BackstageErrors(document)));
            }

            Assert.True(File.Exists(Path.Combine(output.Path, "orders", "catalog-info.yaml")));
            Assert.Equal(new[] { "Component", "Domain", "Group", "Resource" }, documents.Select(d => (string)d["kind"]!).Distinct().OrderBy(k => k));
        }

        [Fact]
        public void Backstage_Component_HasOwnerDatabasesTargetAndOnCallAnnotations()
        {
            using var output = new TempEstate();

            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, "--policy", Cli.SamplePolicy, "--backstage", output.Path);

            AssertSampleExported(result);
            JsonNode orders = Entity(Documents(output.Path), "Component", "orders");
            Assert.Equal("service", (string?)orders["spec"]!["type"]);
            Assert.Equal("production", (string?)orders["spec"]!["lifecycle"]);
            Assert.Equal("group:team-orders", (string?)orders["spec"]!["owner"]);
            Assert.Equal(new[] { "resource:orders-db" }, orders["spec"]!["dependsOn"]!.AsArray().Select(d => (string)d!));
            JsonNode annotations = orders["metadata"]!["annotations"]!;
            Assert.Equal("99.99", (string?)annotations["operability.dev/availability-target"]);
            Assert.Equal("0:01:00", (string?)annotations["operability.dev/tolerable-unavailability-per-week"]);
            Assert.Equal("team", (string?)annotations["operability.dev/on-call-working-hours"]);
            Assert.Equal("team", (string?)annotations["operability.dev/on-call-out-of-hours"]);
            Assert.Equal("checkout", (string?)annotations["operability.dev/product-domain"]);
            Assert.Equal("#team-orders", (string?)annotations["operability.dev/chat"]);
        }

        [Fact]
        public void Backstage_ResourcesGroupsAndDomains_FollowTheManifestsAndPolicy()
        {
            using var output = new TempEstate();

            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, "--policy", Cli.SamplePolicy, "--backstage", output.Path);

            List<JsonNode> documents = Documents(output.Path);
            Assert.Equal("group:team-orders", (string?)Entity(documents, "Resource", "orders-db")["spec"]!["owner"]);
            Assert.Equal("database", (string?)Entity(documents, "Resource", "orders-db")["spec"]!["type"]);
            Assert.Equal("team", (string?)Entity(documents, "Group", "team-payments")["spec"]!["type"]);
            Assert.Equal("group:domain-checkout", (string?)Entity(documents, "Domain", "checkout")["spec"]!["owner"]);
            Assert.Equal(new[] { "group:team-orders", "group:team-payments" }, Entity(documents, "Group", "domain-checkout")["spec"]!["children"]!.AsArray().Select(c => (string)c!));
        }

        [Fact]
        public void Backstage_DatabaseClaimedByTwoTeams_IsReportedAndNoResourceIsInvented()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-a", extra: ",\n  \"databases\": [ { \"name\": \"shared-db\" }, { \"name\": \"a-db\" } ]");
            estate.Manifest("b", "b", "team-b", extra: ",\n  \"databases\": [ { \"name\": \"shared-db\" } ]");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--backstage", output);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no Resource for database 'shared-db': services of 2 teams declare it (a of team-a, b of team-b)", result.Error);
            List<JsonNode> documents = Documents(output);
            Assert.DoesNotContain(documents, d => (string?)d["metadata"]!["name"] == "shared-db");
            Assert.Equal(new[] { "resource:a-db" }, Entity(documents, "Component", "a")["spec"]!["dependsOn"]!.AsArray().Select(d => (string)d!));
            Assert.Null(Entity(documents, "Component", "b")["spec"]!["dependsOn"]);
        }

        [Fact]
        public void Backstage_ServiceWithoutOwner_IsReportedAndLeftOut()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "a", "team-a");
            estate.Write("b/operability.json", "{ \"service\": \"b\", \"availability\": { \"target\": 99.0 } }");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--backstage", output);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("no Component for 'b': the manifest names no single owning team", result.Error);
            Assert.False(Directory.Exists(Path.Combine(output, "b")));
            Assert.True(File.Exists(Path.Combine(output, "a", "catalog-info.yaml")));
        }

        [Theory]
        [InlineData("Orders Service", "orders-service")]
        [InlineData("team_orders.v2", "team-orders-v2")]
        [InlineData("--Café--Crème--", "cafe-creme")]
        [InlineData("a  b", "a-b")]
        [InlineData("ORDERS", "orders")]
        public void EntityName_Normalise_GivesANameBackstageAndOpenSloAccept(string id, string expected)
        {
            string? name = EntityName.Normalise(id);

            Assert.Equal(expected, name);
            Assert.True(CatalogDocuments.IsBackstageName(name!));
            Assert.True(CatalogDocuments.IsOpenSloName(name!));
        }

        [Fact]
        public void EntityName_Normalise_LongIdsStayWithin63AndDistinct()
        {
            string first = new string('a', 80) + "-one";
            string second = new string('a', 80) + "-two";

            string? a = EntityName.Normalise(first);
            string? b = EntityName.Normalise(second);

            Assert.True(a!.Length <= 63 && CatalogDocuments.IsBackstageName(a), a);
            Assert.True(CatalogDocuments.IsOpenSloName(b!), b);
            Assert.NotEqual(a, b);
        }

        [Theory]
        [InlineData("!!!")]
        [InlineData("日本")]
        [InlineData("\ud800")]
        public void EntityName_Normalise_NothingLeft_IsNull(string id) => Assert.Null(EntityName.Normalise(id));

        [Fact]
        public void Backstage_TwoServicesThatBecomeOneName_TheSecondIsReportedAndLeftOut()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "Orders", "team-a");
            estate.Manifest("b", "orders", "team-b");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--backstage", output);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("the service 'orders' is declared more than once; only the first is exported", result.Error);
            Assert.Equal("group:team-a", (string?)Entity(Documents(output), "Component", "orders")["spec"]!["owner"]);
        }

        [Theory]
        [InlineData("team: orders # the best")]
        [InlineData("#team-orders")]
        [InlineData("\"quoted\" and 'single'")]
        [InlineData("line one\nline two")]
        [InlineData("- leading dash")]
        [InlineData("yes")]
        [InlineData("No")]
        [InlineData("off")]
        [InlineData("null")]
        [InlineData("~")]
        [InlineData("99.9")]
        [InlineData("1e3")]
        [InlineData("0x1F")]
        [InlineData("[not, a, list]")]
        [InlineData("{not: a map}")]
        [InlineData("*alias")]
        [InlineData("&anchor")]
        [InlineData("!tag")]
        [InlineData("trailing colon:")]
        [InlineData("  padded  ")]
        [InlineData("")]
        [InlineData("tab\there")]
        [InlineData("back\\slash")]
        [InlineData("emoji 🚀 and é")]
        public void CatalogYaml_HostileString_ReadsBackAsTheSameString(string value)
        {
            string yaml = CatalogYaml.ToText(new[] { CatalogYaml.Mapping(("value", CatalogYaml.String(value)), (value.Length == 0 ? "empty" : value, CatalogYaml.String("key"))) });

            JsonNode document = CatalogDocuments.Parse(yaml).Single()!;

            Assert.True(document["value"] is JsonValue v && v.TryGetValue(out string? read) && read == value, yaml);
            Assert.Equal("key", (string?)document[value.Length == 0 ? "empty" : value]);
        }

        [Fact]
        public void Backstage_HostileValuesInAManifest_StayStringsAndValid()
        {
            using var estate = new TempEstate();
            estate.Write("a/operability.json", "{ \"service\": \"yes\", \"owner\": \"team: a # b\", \"productDomain\": \"- no\", "
                + "\"contacts\": { \"chat\": \"#a\\nb\", \"onCall\": \"'quoted' \\\"too\\\"\" }, \"availability\": { \"target\": 99.9 } }");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--backstage", output);

            Assert.True(result.ExitCode == 0, result.ToString());
            List<JsonNode> documents = Documents(output);
            foreach (JsonNode document in documents)
            {
                Assert.True(CatalogDocuments.BackstageErrors(document).Count == 0, document.ToJsonString() + "\n" + string.Join("\n", CatalogDocuments.BackstageErrors(document)));
            }

            JsonNode component = Entity(documents, "Component", "yes");
            Assert.Equal("group:team-a-b", (string?)component["spec"]!["owner"]);
            Assert.Equal("#a\nb", (string?)component["metadata"]!["annotations"]!["operability.dev/chat"]);
            Assert.Equal("'quoted' \"too\"", (string?)component["metadata"]!["annotations"]!["operability.dev/on-call-contact"]);
            Assert.Equal("- no", (string?)component["metadata"]!["annotations"]!["operability.dev/product-domain"]);
            Assert.Equal("team: a # b", (string?)Entity(documents, "Group", "team-a-b")["metadata"]!["title"]);
        }

        [Fact]
        public void Backstage_TwoServicesWhoseIdsDifferButNamesAgree_TheSecondIsReportedAndLeftOut()
        {
            using var estate = new TempEstate();
            estate.Manifest("a", "orders.api", "team-a");
            estate.Manifest("b", "orders api", "team-b");
            string output = Path.Combine(estate.Path, "out");

            CliResult result = Cli.Run("estate", "export", estate.Path, "--backstage", output);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("the service 'orders api' becomes the name 'orders-api', which 'orders.api' already has; left out", result.Error);
            Assert.Equal("group:team-a", (string?)Entity(Documents(output), "Component", "orders-api")["spec"]!["owner"]);
        }

        [Fact]
        public void BackstageSchemas_AnEntityBreakingThem_IsRejected()
        {
            // The check itself must be able to fail: no owner, a numeric annotation, an unknown top-level field, a bad name.
            JsonNode entity = JsonNode.Parse("""
                { "apiVersion": "backstage.io/v1alpha1", "kind": "Component", "extra": 1,
                  "metadata": { "name": "-bad-", "annotations": { "operability.dev/availability-target": 99.9 } },
                  "spec": { "type": "service", "lifecycle": "production" } }
                """)!;

            IReadOnlyList<string> errors = CatalogDocuments.BackstageErrors(entity);

            Assert.Contains(errors, e => e.Contains("required"));
            Assert.Contains(errors, e => e.Contains("/metadata/annotations/operability.dev~1availability-target"));
            Assert.Contains(errors, e => e.Contains("additionalProperties") || e.Contains("/extra"));
            Assert.Contains(errors, e => e.Contains("breaks Backstage's name rule"));
        }

        [Theory]
        [InlineData("--backstage", "out", "--openslo", "out/", "--backstage and --openslo need folders of their own")]
        [InlineData("--backstage", "out", "--lifecycle", "In Production", "--lifecycle is one lower-case word")]
        public void Export_BadDestinationOrLifecycle_IsAUsageError(string option, string value, string other, string otherValue, string message)
        {
            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate, option, value, other, otherValue);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Error);
        }

        [Fact]
        public void Backstage_Lifecycle_IsEveryComponents()
        {
            using var output = new TempEstate();

            Cli.Run("estate", "export", Cli.SampleEstate, "--backstage", output.Path, "--lifecycle", "experimental");

            Assert.All(Documents(output.Path).Where(d => (string?)d["kind"] == "Component"), c => Assert.Equal("experimental", (string?)c["spec"]!["lifecycle"]));
        }

        [Fact]
        public void Export_WithoutADestination_IsAUsageError()
        {
            CliResult result = Cli.Run("estate", "export", Cli.SampleEstate);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("give --backstage <dir>, --openslo <dir> or both", result.Error);
        }
    }
}
