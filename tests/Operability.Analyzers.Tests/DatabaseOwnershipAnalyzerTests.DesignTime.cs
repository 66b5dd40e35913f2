using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Operability.Analyzers.Tests
{
    /// <summary>Code the service never runs: design-time DbContext factories (only <c>dotnet ef</c> runs them) and test projects.</summary>
    public sealed partial class DatabaseOwnershipAnalyzerTests
    {
        private static string DesignTimeFactory(string declaration, string body) => """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Design;
            using Orders.Data;

            """ + declaration + """

            {
                public OrdersDbContext CreateDbContext(string[] args)
                {

            """ + body + """

                }
            }
            """;

        [Fact]
        public async Task DesignTimeFactory_OfSharedContextWithUndeclaredDatabase_NoDiagnostic()
        {
            // The shape of eShop's *ContextDesignFactory classes: a local database for `dotnet ef migrations`.
            await WithOrdersData(Estate(DesignTimeFactory(
                "public sealed class OrdersContextDesignFactory : IDesignTimeDbContextFactory<OrdersDbContext>",
                """
                        var options = new DbContextOptionsBuilder<OrdersDbContext>()
                            .UseNpgsql("Host=localhost;Database=orders_local;Username=postgres")
                            .Options;
                        return new OrdersDbContext(options);
                """))).VerifyAsync();
        }

        [Fact]
        public async Task DesignTimeFactory_InLambdaAndNestedType_NoDiagnostic()
        {
            await WithOrdersData(Estate(DesignTimeFactory(
                "public sealed class OrdersContextDesignFactory : IDesignTimeDbContextFactory<OrdersDbContext>",
                """
                        System.Func<OrdersDbContext> create = () => new OrdersDbContext(
                            new DbContextOptionsBuilder<OrdersDbContext>().UseNpgsql("Host=localhost;Database=archive-db").Options);
                        return Nested.Create();
                    }

                    private static class Nested
                    {
                        public static OrdersDbContext Create() =>
                            new OrdersDbContext(new DbContextOptionsBuilder<OrdersDbContext>().UseSqlite("Data Source=scratch.db").Options);
                """))).VerifyAsync();
        }

        [Fact]
        public async Task DesignTimeFactory_NamingAnotherServicesDatabase_StillReportsOps202()
        {
            // Migrations applied from here would change the schema of a database another service owns.
            await WithOrdersData(Estate(DesignTimeFactory(
                "public sealed class OrdersContextDesignFactory : IDesignTimeDbContextFactory<OrdersDbContext>",
                """
                        var options = new DbContextOptionsBuilder<OrdersDbContext>().UseNpgsql({|#0:"Host=localhost;Database=orders-db"|}).Options;
                        return new OrdersDbContext(options);
                """)))
                .Expect(new DiagnosticResult(RuleDescriptors.DatabaseOwnedByAnotherService).WithLocation(0)
                    .WithArguments("connection string literal (Database=orders-db)", "orders-db", "orders", "team-orders"))
                .VerifyAsync();
        }

        [Fact]
        public async Task MSTestV4Project_ReadingAnotherServicesDatabase_NoDiagnostic()
        {
            // MSTest.Sdk leaves IsTestProject empty; the MSTest.TestFramework reference marks the test project.
            var test = Estate(Worker("""        var cs = configuration.GetConnectionString("Orders");"""));
            test.TestState.AdditionalReferences.Add(TestFrameworkReferences.Named("MSTest.TestFramework"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task LookAlikeFactories_AreRunTimeCode_ReportOps203()
        {
            // A CreateDbContext method without the design-time interface, and a run-time IDbContextFactory, run in the service.
            await WithOrdersData(Estate(DesignTimeFactory(
                "public sealed class OrdersContextFactory : IDbContextFactory<OrdersDbContext>",
                """
                        return CreateDbContext(new string[0]);
                    }

                    public OrdersDbContext CreateDbContext() => new {|OPS203:OrdersDbContext|}(new DbContextOptionsBuilder<OrdersDbContext>().Options);

                    public static OrdersDbContext Other(string[] args)
                    {
                        return new {|OPS203:OrdersDbContext|}(new DbContextOptionsBuilder<OrdersDbContext>().Options);
                """))).VerifyAsync();
        }
    }
}
