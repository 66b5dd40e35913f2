using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class EstateCatalogueTests
    {
        private const string Orders = "{ \"service\": \"orders\", \"owner\": \"team-orders\", \"availability\": { \"target\": 99.9 },\n"
            + "    \"databases\": [ { \"name\": \"orders-db\", \"connectionStrings\": [\"Orders\"] } ] }";

        private const string Payments = "{ \"service\": \"payments\", \"owner\": \"team-payments\", \"availability\": { \"target\": 99.95 },\n"
            + "    \"databases\": [ { \"name\": \"payments-db\" } ] }";

        [Fact]
        public void Parse_SingleManifest_ReturnsOneManifest_NotACatalogue()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse(Orders);

            Assert.False(result.IsCatalogue);
            Assert.Empty(result.Diagnostics);
            ServiceManifest manifest = Assert.Single(result.Manifests);
            Assert.Equal("orders", manifest.Service);
            Assert.Equal("orders-db", Assert.Single(manifest.Databases).Name);
        }

        [Fact]
        public void Parse_ObjectWithServices_ReturnsEveryManifest_WithPositionsInTheWholeFile()
        {
            string text = "{\n  \"services\": [\n    " + Orders + ",\n    " + Payments + "\n  ]\n}";

            EstateCatalogueResult result = EstateCatalogue.Parse(text);

            Assert.True(result.IsCatalogue);
            Assert.Empty(result.Diagnostics);
            Assert.Equal(2, result.Manifests.Count);
            Assert.Equal("orders", result.Manifests[0].Service);
            Assert.Equal("payments", result.Manifests[1].Service);
            Assert.Equal(new SourcePosition(4, 30), result.Manifests[0].Databases[0].Position);
            Assert.Equal("team-payments", result.Manifests[1].Owner);
        }

        [Fact]
        public void Parse_WithPolicy_ReportsATargetItsBandsDisagreeWith_InEveryEntry()
        {
            OrganisationPolicy policy = OrganisationPolicyParser.Parse(
                "{ \"exposureBands\": [ { \"maxFinancialExposurePerHour\": 1000000, \"availability\": 99.99 } ] }").Policy!;
            string entry = "{ \"service\": \"orders\", \"owner\": \"team-orders\", \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 } }";

            EstateCatalogueResult withPolicy = EstateCatalogue.Parse("[\n" + entry + "\n]", policy);
            EstateCatalogueResult playbook = EstateCatalogue.Parse("[\n" + entry + "\n]");

            Assert.Equal(ManifestDiagnosticKind.AvailabilityMismatch, Assert.Single(withPolicy.Diagnostics).Kind);
            Assert.Empty(playbook.Diagnostics);
        }

        [Fact]
        public void Parse_Array_ReturnsEveryManifest()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse("[\n" + Orders + ",\n" + Payments + "\n]");

            Assert.True(result.IsCatalogue);
            Assert.Equal(new[] { "orders", "payments" }, new[] { result.Manifests[0].Service, result.Manifests[1].Service });
        }

        [Fact]
        public void Parse_EmptyArray_IsAnEmptyCatalogue()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse("[]");

            Assert.True(result.IsCatalogue);
            Assert.Empty(result.Manifests);
            Assert.Empty(result.Diagnostics);
        }

        [Fact]
        public void Parse_EntryThatIsNotAnObject_IsReported_OthersAreKept()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse("{ \"services\": [ 42, " + Payments + " ] }");

            ServiceManifest manifest = Assert.Single(result.Manifests);
            Assert.Equal("payments", manifest.Service);
            ManifestDiagnostic diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("services[0]", diagnostic.Path);
            Assert.Equal(new SourcePosition(1, 17), diagnostic.Position);
        }

        [Fact]
        public void Parse_ServicesNotAnArray_IsReported()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse("{ \"services\": \"orders\" }");

            Assert.Empty(result.Manifests);
            Assert.Equal("services", Assert.Single(result.Diagnostics).Path);
        }

        [Fact]
        public void Parse_ManifestWithServiceProperty_AndUnknownServicesProperty_IsAManifest()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse("{ \"service\": \"orders\", \"owner\": \"t\", \"availability\": { \"target\": 99 }, \"services\": [] }");

            Assert.False(result.IsCatalogue);
            Assert.Equal("orders", Assert.Single(result.Manifests).Service);
        }

        [Fact]
        public void Parse_EntryWithProblems_KeepsTheEntry_AndReportsItsDiagnostics()
        {
            EstateCatalogueResult result = EstateCatalogue.Parse("[ { \"service\": \"orders\", \"databases\": [ { \"name\": \"orders-db\" } ] } ]");

            ServiceManifest manifest = Assert.Single(result.Manifests);
            Assert.Equal("orders-db", Assert.Single(manifest.Databases).Name);
            Assert.NotEmpty(result.Diagnostics);
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("[ { \"service\": ")]
        [InlineData("not json")]
        public void Parse_BrokenText_ReportsSyntax_NeverThrows(string text)
        {
            EstateCatalogueResult result = EstateCatalogue.Parse(text);

            Assert.Empty(result.Manifests);
            Assert.Equal(ManifestDiagnosticKind.Syntax, Assert.Single(result.Diagnostics).Kind);
        }
    }
}
