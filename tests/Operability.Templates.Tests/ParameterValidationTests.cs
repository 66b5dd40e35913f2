using Xunit;

namespace Operability.Templates.Tests
{
    /// <summary>Wrong values are caught (and reported by a post action and a build error), right ones pass.</summary>
    public sealed class ParameterValidationTests
    {
        [Theory]
        [InlineData("Orders")]
        [InlineData("Shop.Orders")]
        [InlineData("orders-api")]
        [InlineData("Orders_V2")]
        [InlineData("Orders-Api.V2")]
        public void UsableNames_Pass(string name)
        {
            var instance = TemplateDefinition.OperableService.Instantiate(new System.Collections.Generic.Dictionary<string, string> { ["name"] = name, ["owner"] = "team-orders" });

            Assert.False(instance.Is("nameInvalid"));
            Assert.False(instance.Is("parameterError"));
        }

        [Theory]
        [InlineData("1orders")]
        [InlineData("class")]
        [InlineData("Shop.class")]
        [InlineData("System")]
        [InlineData("Orders..Api")]
        [InlineData("Orders.")]
        [InlineData("my service")]
        [InlineData("orders@api")]
        [InlineData("Ünïcode")]
        [InlineData("AVeryLongServiceNameThatGoesOnAndOnAndOn1")]
        public void UnusableNames_AreErrors(string name)
        {
            var instance = TemplateDefinition.OperableService.Instantiate(new System.Collections.Generic.Dictionary<string, string> { ["name"] = name, ["owner"] = "team-orders" });

            Assert.True(instance.Is("nameInvalid"));
            Assert.True(instance.Is("parameterError"));
        }

        [Theory]
        [InlineData("-5", "exposureNegative")]
        [InlineData(" -1", "exposureNegative")]
        [InlineData("abc", "exposureMalformed")]
        [InlineData("1e5", "exposureMalformed")]
        [InlineData("810,000", "exposureMalformed")]
        [InlineData("12.5", "exposureMalformed")]
        [InlineData("1234567890123456", "exposureMalformed")]
        public void WrongExposures_AreErrors_AndNothingFailsToEvaluate(string exposure, string error)
        {
            var instance = Scenario.With(("financialExposure", exposure));

            Assert.True(instance.Is(error));
            Assert.True(instance.Is("parameterError"));
            // Every derived value still evaluates: the engine would abort instantiation otherwise.
            Assert.NotNull(instance["effectiveTarget"]);
            Assert.NotNull(instance["operatingModel"]);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("team \"orders\"")]
        [InlineData("team\\orders")]
        public void WrongOwners_AreErrors(string owner)
        {
            var instance = Scenario.With(("owner", owner));

            Assert.True(instance.Is("ownerInvalid"));
            Assert.True(instance.Is("parameterError"));
        }

        [Theory]
        [InlineData("onCallContact")]
        [InlineData("chatChannel")]
        [InlineData("productDomain")]
        public void ContactsWithQuotes_AreErrors(string symbol)
        {
            var instance = Scenario.With((symbol, "say \"hi\""));

            Assert.True(instance.Is("contactsInvalid"));
        }

        [Theory]
        [InlineData("database", "orders-db", false)]
        [InlineData("database", "OrdersDb", false)]
        [InlineData("database", "orders db", true)]
        [InlineData("database", "1db", true)]
        [InlineData("dependency", "payments", false)]
        [InlineData("dependency", "payments-api", false)]
        [InlineData("dependency", "payments/api", true)]
        [InlineData("dependency", "payments,stock", false)]
        [InlineData("dependency", " payments , stock ", false)]
        [InlineData("database", "checkout-db,audit-db,orders-db", false)]
        [InlineData("dependency", "payments,", true)]
        [InlineData("dependency", ",payments", true)]
        [InlineData("database", "orders-db,,audit-db", true)]
        [InlineData("database", "orders-db;audit-db", true)]
        [InlineData("dependency", "payments,stock,payments", true)]
        [InlineData("dependency", "payments,Payments", true)]
        [InlineData("database", "audit-db,orders-db,audit-db", true)]
        [InlineData("dependency", "pay,payments", false)]
        public void DatabaseAndDependencyNames(string symbol, string value, bool invalid)
        {
            var instance = Scenario.With((symbol, value));

            Assert.Equal(invalid, instance.Is(symbol + "Invalid"));
            Assert.Equal(invalid, instance.Is("parameterError"));
            Assert.Equal(!invalid, instance.Is(symbol == "database" ? "hasDatabase" : "hasDependency"));
        }

        [Theory]
        [InlineData("repositoryUrl", "https://github.com/acme/orders", false)]
        [InlineData("repositoryUrl", "https://git.acme.test:8443/teams/orders.git-web/", false)]
        [InlineData("grafanaUrl", "http://grafana.acme.test", false)]
        [InlineData("repositoryUrl", "github.com/acme/orders", true)]
        [InlineData("repositoryUrl", "https://github.com/acme orders", true)]
        [InlineData("repositoryUrl", "https://github.com/acme/\"orders", true)]
        [InlineData("grafanaUrl", "javascript:alert(1)", true)]
        [InlineData("grafanaUrl", "https://grafana.acme.test/?orgId=1", true)]
        public void RepositoryAndGrafanaUrls(string symbol, string value, bool invalid)
        {
            var instance = Scenario.With((symbol, value));

            Assert.Equal(invalid, instance.Is("urlsInvalid"));
            Assert.Equal(invalid, instance.Is("parameterError"));
        }

        [Fact]
        public void Urls_LoseTheirTrailingSlash_AndDefaultToPlaceholdersTheBuildReports()
        {
            var given = Scenario.With(("repositoryUrl", "https://github.com/acme/orders/"), ("grafanaUrl", "https://grafana.acme.test//"));
            var defaulted = Scenario.With();

            Assert.Equal("https://github.com/acme/orders", given["repositoryBase"]);
            Assert.Equal("https://grafana.acme.test", given["grafanaBase"]);
            Assert.Contains(".invalid", defaulted["repositoryBase"], System.StringComparison.Ordinal);
            Assert.Contains(".invalid", defaulted["grafanaBase"], System.StringComparison.Ordinal);
            Assert.False(defaulted.Is("urlsInvalid"));
        }

        [Theory]
        [InlineData("", "unassigned")]
        [InlineData("  ", "unassigned")]
        [InlineData("checkout", "checkout")]
        public void ProductDomainLabel_IsTheDomain_OrUnassigned(string domain, string label)
        {
            Assert.Equal(label, Scenario.With(("productDomain", domain))["productDomainLabel"]);
        }

        [Fact]
        public void Lists_AreWrittenOnePerItem_InTheManifestAndConfiguration()
        {
            var instance = Scenario.With(("dependency", "payments, stock"), ("database", "checkout-db,audit-db"));

            Assert.Equal("{ \"name\": \"payments\", \"timeout\": \"00:00:02\" }, { \"name\": \"stock\", \"timeout\": \"00:00:02\" }", instance["dependencyManifestEntries"]);
            Assert.Equal("{ \"name\": \"checkout-db\", \"connectionStrings\": [ \"checkout-db\" ] }, { \"name\": \"audit-db\", \"connectionStrings\": [ \"audit-db\" ] }", instance["databaseManifestEntries"]);
            Assert.Equal("**payments**, **stock**", instance["dependencyNames"]);
            Assert.Equal("\"audit-db\"", instance["moreDatabaseNames"]);
            Assert.StartsWith("### stock slow or failing", instance["moreDependencyScenarios"], System.StringComparison.Ordinal);
            Assert.Equal(string.Empty, Scenario.With(("dependency", "payments"))["moreDependencyScenarios"]);
        }

        [Fact]
        public void NoDatabaseAndNoDependency_ByDefault()
        {
            var instance = Scenario.With();

            Assert.False(instance.Is("hasDatabase"));
            Assert.False(instance.Is("hasDependency"));
            Assert.False(instance.Is("parameterError"));
        }
    }
}
