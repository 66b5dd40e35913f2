using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class EstateValidatorTests
    {
        private static EstateEntry Entry(string source, string service, params string[] databases)
        {
            string list = string.Join(",\n", System.Array.ConvertAll(databases, d => "    { \"name\": \"" + d + "\" }"));
            string json = "{\n  \"service\": \"" + service + "\", \"owner\": \"t\", \"availability\": { \"target\": 99 },\n  \"databases\": [\n" + list + "\n  ]\n}";
            ManifestParseResult result = ManifestParser.Parse(json);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            return new EstateEntry(source, result.Manifest!);
        }

        [Fact]
        public void FindDatabaseClaimedTwice_DistinctDatabases_NoConflict()
        {
            Assert.Empty(EstateValidator.FindDatabaseClaimedTwice(new[]
            {
                Entry("orders/operability.json", "orders", "orders-db"),
                Entry("billing/operability.json", "billing", "billing-db"),
            }));
        }

        [Fact]
        public void FindDatabaseClaimedTwice_TwoServicesClaimOneDatabase_ReportsSecondClaim()
        {
            EstateEntry orders = Entry("orders/operability.json", "orders", "orders-db");
            EstateEntry billing = Entry("billing/operability.json", "billing", "billing-db", "Orders-DB");

            EstateConflict conflict = Assert.Single(EstateValidator.FindDatabaseClaimedTwice(new[] { orders, billing }));

            Assert.Equal("Orders-DB", conflict.Database);
            Assert.Same(orders, conflict.First);
            Assert.Same(billing, conflict.Second);
            Assert.Equal(new SourcePosition(5, 15), conflict.SecondPosition);
            Assert.Equal(
                "Database 'Orders-DB' is claimed by service 'billing' (billing/operability.json) and by service 'orders' (orders/operability.json); a database has exactly one owning service",
                conflict.Message);
        }

        [Fact]
        public void FindDatabaseClaimedTwice_SameServiceFromTwoSources_ReportsDuplicateService()
        {
            EstateConflict conflict = Assert.Single(EstateValidator.FindDatabaseClaimedTwice(new[]
            {
                Entry("a/operability.json", "orders", "orders-db"),
                Entry("b/operability.json", "orders", "orders-db"),
            }));

            Assert.Equal(
                "Service 'orders' is declared twice, in a/operability.json and in b/operability.json, and both claim database 'orders-db'; keep one manifest per service",
                conflict.Message);
        }

        [Fact]
        public void FindDatabaseClaimedTwice_SameSourceGivenTwice_NoConflict()
        {
            EstateEntry orders = Entry("orders/operability.json", "orders", "orders-db");

            Assert.Empty(EstateValidator.FindDatabaseClaimedTwice(new[] { orders, orders }));
        }

        [Fact]
        public void FindDatabaseClaimedTwice_ThreeClaims_EachLaterClaimReportedAgainstTheFirst()
        {
            var conflicts = EstateValidator.FindDatabaseClaimedTwice(new[]
            {
                Entry("a", "a", "shared"),
                Entry("b", "b", "shared"),
                Entry("c", "c", "shared"),
            });

            Assert.Collection(
                conflicts,
                c => Assert.Equal(("a", "b"), (c.First.Source, c.Second.Source)),
                c => Assert.Equal(("a", "c"), (c.First.Source, c.Second.Source)));
        }
    }
}
