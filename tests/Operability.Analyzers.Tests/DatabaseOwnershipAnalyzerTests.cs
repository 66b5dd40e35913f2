using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.DatabaseOwnershipAnalyzer>;

namespace Operability.Analyzers.Tests
{
    /// <summary>OPS201–OPS204, from the shapes real services have: workers, Aspire clients, shared EF libraries.</summary>
    public sealed partial class DatabaseOwnershipAnalyzerTests
    {
        private const string ReportsManifest = """
            {
              "service": "order-reports",
              "owner": "team-insights",
              "availability": { "target": 99.5 },
              "databases": [ { "name": "reports-db", "connectionStrings": ["Reports"] } ],
              "reads": [ { "name": "orders-replica", "owner": "orders", "connectionStrings": ["OrdersReplica"] } ]
            }
            """;

        private const string OrdersManifest = """
            {
              "service": "orders",
              "owner": "team-orders",
              "availability": { "target": 99.9 },
              "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ]
            }
            """;

        private const string PaymentsManifest = """
            {
              "service": "payments",
              "owner": "team-payments",
              "availability": { "target": 99.95 },
              "databases": [ { "name": "payments-db", "connectionStrings": ["Payments"] } ]
            }
            """;

        // Two services that both call their connection string "Database", for different databases.
        private const string CatalogManifest = """
            { "service": "catalog", "owner": "team-catalog", "availability": { "target": 99.9 },
              "databases": [ { "name": "catalog-db", "connectionStrings": ["Database"] } ] }
            """;

        private const string BasketManifest = """
            { "service": "basket", "owner": "team-basket", "availability": { "target": 99.9 },
              "databases": [ { "name": "basket-db", "connectionStrings": ["Database"] } ] }
            """;

        private const string OrdersDataLibrary = """
            using Microsoft.EntityFrameworkCore;

            namespace Orders.Data
            {
                public sealed class Order { public int Id { get; set; } }

                public class OrdersDbContext : DbContext
                {
                    public OrdersDbContext(DbContextOptions<OrdersDbContext> options) : base(options) { }
                    public DbSet<Order> Orders => Set<Order>();
                }

                public sealed class OutboxMessage { public int Id { get; set; } }

                public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
                {
                    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<OutboxMessage> builder) => builder.ToTable("outbox");
                }
            }
            """;

        private static Test Create(string source, string? manifest = ReportsManifest, string[]? references = null)
        {
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(references ?? References.EfCore));
            if (manifest is not null)
            {
                test.WithAdditionalFile("operability.json", manifest);
            }

            return test;
        }

        private static Test WithEstate(Test test, params (string Service, string Text)[] manifests)
        {
            var config = new System.Text.StringBuilder("is_global = true\n");
            foreach (var (service, text) in manifests)
            {
                var path = "/estate/" + service + "/operability.json";
                test.TestState.AdditionalFiles.Add((path, text));
                config.Append('[').Append(path).Append("]\nbuild_metadata.AdditionalFiles.OperabilityRole = Estate\n");
            }

            test.TestState.AnalyzerConfigFiles.Add(("/estate.globalconfig", config.ToString()));
            return test;
        }

        private static Test Estate(string source, string? manifest = ReportsManifest, string[]? references = null) =>
            WithEstate(Create(source, manifest, references), ("orders", OrdersManifest), ("payments", PaymentsManifest), ("catalog", CatalogManifest), ("basket", BasketManifest));

        private static Test WithOrdersData(Test test)
        {
            var library = test.TestState.AdditionalProjects["Orders.Data"];
            library.Sources.Add(("/orders-data/OrdersDbContext.cs", OrdersDataLibrary));
            library.ReferenceAssemblies = References.None;
            library.AdditionalReferences.AddRange(References.Runtime(References.EfCore));
            test.TestState.AdditionalProjectReferences.Add("Orders.Data");
            return test;
        }

        private static string Worker(string body, string usings = "") => usings + """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public static class Startup
            {
                public static void Configure(IHostApplicationBuilder builder, IConfiguration configuration)
                {
            """ + "\n" + body + """

                }
            }
            """;

        // ---- connection-string names -------------------------------------------------------------------------------

        [Fact]
        public async Task GetConnectionString_OfAnotherServicesDatabase_ReportsOps202WithOwnerAndTeam()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString({|#0:"Orders"|});"""))
                .Expect(new DiagnosticResult(RuleDescriptors.DatabaseOwnedByAnotherService).WithLocation(0)
                    .WithMessage("connection string 'Orders' reaches database 'orders-db', which service 'orders' (team 'team-orders') owns; call its API, or read a replica or dataset it publishes"))
                .VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_OfAnotherServicesDatabase_IsAWarningOutsideCi()
        {
            // An error only in CI (the package's OperabilityCiErrorRules), so a first build with honest manifests
            // on a developer's machine does not fail.
            await Estate(Worker("""        var cs = configuration.GetConnectionString({|#0:"Orders"|});"""))
                .Expect(new DiagnosticResult(RuleIds.DatabaseOwnedByAnotherService, DiagnosticSeverity.Warning).WithLocation(0)
                    .WithArguments("connection string 'Orders'", "orders-db", "orders", "team-orders"))
                .VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_OnBuilderConfiguration_ReportsOps202()
        {
            await Estate(Worker("""        var cs = builder.Configuration.GetConnectionString({|OPS202:"Payments"|});""")).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_Owned_NoDiagnostic()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString("Reports");""")).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_OwnedDatabaseName_NoDiagnostic()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString("reports-db");""")).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_DeclaredUnderReads_NoDiagnostic()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString("OrdersReplica");""")).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_Undeclared_ReportsOps201()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString({|#0:"Archive"|});"""))
                .Expect(new DiagnosticResult(RuleDescriptors.DatabaseNotOwned).WithLocation(0)
                    .WithMessage("connection string 'Archive' reaches a database not declared as owned in operability.json; declare it under 'databases' if it is this service's, or call the owning service's API"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ManifestWithTimeoutTooLargeForATimeSpan_StillReportsOps201WithoutAnalyzerException()
        {
            const string manifest = """
                {
                  "service": "order-reports",
                  "owner": "team-insights",
                  "availability": { "target": 99.5 },
                  "databases": [ { "name": "reports-db", "connectionStrings": ["Reports"] } ],
                  "dependencies": [ { "name": "payments", "timeout": 1e22 } ]
                }
                """;
            await WithEstate(Create(Worker("""        var cs = configuration.GetConnectionString({|OPS201:"Archive"|});"""), manifest), ("payments", """{ "service": "payments", "owner": "team-payments", "dependencies": [ { "name": "bank", "timeout": -1e30 } ] }"""))
                .VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_UndeclaredWithoutEstate_ReportsOps201()
        {
            await Create(Worker("""        var cs = configuration.GetConnectionString({|OPS201:"Orders"|});""")).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_NameTwoEstateServicesUse_IsNotProofOfAnOwner_ReportsOps201Only()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString({|OPS201:"Database"|});""")).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_NameAnotherServiceAlsoUses_DeclaredHere_NoDiagnostic()
        {
            const string manifest = """
                { "service": "order-reports", "owner": "team-insights", "availability": { "target": 99.5 },
                  "databases": [ { "name": "reports-db", "connectionStrings": ["Database", "Orders"] } ] }
                """;
            await Estate(Worker("""
                        var a = configuration.GetConnectionString("Database");
                        var b = configuration.GetConnectionString("Orders");
                """), manifest).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_MessagingName_NoDiagnostic()
        {
            await Estate(Worker("""
                        var bus = configuration.GetConnectionString("EventBus");
                        var blobs = configuration.GetConnectionString("BlobStorage");
                """)).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_AiEndpointName_NoDiagnostic()
        {
            // Aspire connection strings that name AI endpoints (OpenAI, Ollama) are not databases.
            await Estate(Worker("""
                        var openAi = configuration.GetConnectionString("openai");
                        var ollama = builder.Configuration.GetConnectionString("OllamaChat");
                """)).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_OnlyTestedForPresence_NoDiagnostic()
        {
            // Asking whether an optional connection is configured, to decide what to register, reaches nothing.
            await Estate(Worker("""
                        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("chatModel"))) { }
                        var a = string.IsNullOrEmpty(configuration.GetConnectionString("Orders"));
                        var b = configuration.GetConnectionString("Orders") is null;
                        var c = configuration.GetConnectionString("Orders") is not null;
                        var d = configuration.GetConnectionString("Orders") != null;
                        var e = null == configuration["ConnectionStrings:Orders"];
                """)).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_PresenceCheckThenUse_ReportsTheUse()
        {
            await Estate(Worker("""
                        if (!string.IsNullOrEmpty(configuration.GetConnectionString("Orders")))
                        {
                            var cs = configuration.GetConnectionString({|OPS202:"Orders"|});
                        }

                        var fallback = configuration.GetConnectionString({|OPS202:"Orders"|}) ?? "Host=localhost";
                        var length = configuration.GetConnectionString({|OPS202:"Orders"|})?.Length;
                """)).VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_IgnoredByOption_NoDiagnostic()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString("Telemetry");"""))
                .WithEditorConfig("operability.OPS201.ignored_connection_names = Telemetry, Search")
                .VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_NonConstantName_NoDiagnostic()
        {
            await Estate(Worker("""
                        var name = System.Environment.GetEnvironmentVariable("DB");
                        var cs = configuration.GetConnectionString(name!);
                """)).VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationIndexer_ConnectionStringsKey_ReportsOps202()
        {
            await Estate(Worker("""
                        var a = configuration[{|OPS202:"ConnectionStrings:Orders"|}];
                        var b = configuration.GetSection("ConnectionStrings")[{|OPS202:"Orders"|}];
                        var c = configuration.GetSection({|OPS202:"ConnectionStrings:Orders"|}).Value;
                        var d = builder.Configuration[{|OPS201:"connectionstrings:Archive"|}];
                """)).VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationIndexer_OtherKeysAndWrites_NoDiagnostic()
        {
            await Estate(Worker("""
                        var level = configuration["Logging:LogLevel:Default"];
                        var section = configuration.GetSection("Orders")["Timeout"];
                        configuration["ConnectionStrings:Orders"] = "Host=localhost";
                        var all = configuration.GetSection("ConnectionStrings");
                """)).VerifyAsync();
        }

        // ---- .NET Aspire client integrations ------------------------------------------------------------------------

        [Fact]
        public async Task AspireClient_OfAnotherServicesDatabase_ReportsOps202()
        {
            await Estate(Worker("""        builder.AddNpgsqlDataSource({|#0:"orders-db"|});"""), references: References.Aspire)
                .Expect(new DiagnosticResult(RuleDescriptors.DatabaseOwnedByAnotherService).WithLocation(0)
                    .WithMessage("Aspire client 'orders-db' reaches database 'orders-db', which service 'orders' (team 'team-orders') owns; call its API, or read a replica or dataset it publishes"))
                .VerifyAsync();
        }

        [Fact]
        public async Task AspireClients_UndeclaredAndOwned()
        {
            await Estate(Worker("""
                        builder.AddRedisClient({|OPS201:"cache"|});
                        builder.AddKeyedNpgsqlDataSource("reports-db");
                        builder.AddNpgsqlDbContext<ReportsDbContext>("Reports");
                """) + "\npublic sealed class ReportsDbContext : DbContext { public ReportsDbContext(DbContextOptions<ReportsDbContext> o) : base(o) { } }\n", references: References.Aspire)
                .VerifyAsync();
        }

        [Fact]
        public async Task AspireDbContext_FromSharedLibrary_ReportsOps202AndOps203()
        {
            await WithOrdersData(Estate(Worker(
                """        builder.{|OPS203:AddNpgsqlDbContext<OrdersDbContext>|}({|OPS202:"orders-db"|});""",
                "using Orders.Data;\n"), references: References.Aspire))
                .VerifyAsync();
        }

        [Fact]
        public async Task InHouseClientMethod_FromOption_ReportsOps202()
        {
            var source = Worker("""
                        builder.AddOurDbClient({|OPS202:"Orders"|});
                        builder.AddLegacyDb(timeoutSeconds: 5, connectionName: {|OPS201:"legacy"|});
                """) + """

                public static class InHouse
                {
                    public static void AddOurDbClient(this IHostApplicationBuilder builder, string connectionName) { }
                    public static void AddLegacyDb(this IHostApplicationBuilder builder, int timeoutSeconds, string connectionName) { }
                }
                """;
            await Estate(source).WithEditorConfig("operability.OPS201.connection_name_methods = AddOurDbClient, AddLegacyDb").VerifyAsync();
        }

        [Fact]
        public async Task InHouseClientMethod_WithoutOption_NoDiagnostic()
        {
            var source = Worker("""        builder.AddOurDbClient("Orders");""")
                + "\npublic static class InHouse { public static void AddOurDbClient(this IHostApplicationBuilder builder, string connectionName) { } }\n";
            await Estate(source).VerifyAsync();
        }

        // ---- literal connection strings -----------------------------------------------------------------------------

        [Fact]
        public async Task NpgsqlConnection_LiteralNamingAnotherServicesDatabase_ReportsOps202()
        {
            await Estate(Worker("""        using var connection = new Npgsql.NpgsqlConnection({|#0:"Host=db;Database=orders-db;Username=reports"|});"""))
                .Expect(new DiagnosticResult(RuleDescriptors.DatabaseOwnedByAnotherService).WithLocation(0)
                    .WithMessage("connection string literal (Database=orders-db) reaches database 'orders-db', which service 'orders' (team 'team-orders') owns; call its API, or read a replica or dataset it publishes"))
                .VerifyAsync();
        }

        [Fact]
        public async Task LiteralConnectionStrings_AllShapes()
        {
            await Estate(Worker("""
                        var a = Npgsql.NpgsqlDataSource.Create({|OPS202:"Host=db; database = 'payments-db' ;Pooling=true"|});
                        var b = new Npgsql.NpgsqlDataSourceBuilder({|OPS202:"Host=db;DB=orders-db"|});
                        var c = new Npgsql.NpgsqlConnection("Host=db;Database=reports-db");
                        var d = new Npgsql.NpgsqlConnection({|OPS201:"Host=db;Database=scratch"|});
                        var e = new Npgsql.NpgsqlConnection("Host=db;Username=reports");
                        var f = new Npgsql.NpgsqlConnection("Host=db;Database=orders-replica");
                        var g = new Npgsql.NpgsqlConnection("Host=db;Database=orders-db;Database=reports-db");
                        var h = new Npgsql.NpgsqlConnection("not a connection string");
                """)).VerifyAsync();
        }

        [Fact]
        public async Task EfProviders_LiteralAndNamedConnectionStrings()
        {
            await Estate(Worker("""
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseNpgsql({|OPS202:"Host=db;Database=orders-db"|}));
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite({|OPS202:"Name=ConnectionStrings:Orders"|}));
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite({|OPS202:"Data Source=/var/data/orders-db.db"|}));
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite("Data Source=local-cache.db"));
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite("Data Source=:memory:"));
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite("Data Source=orders-db;Mode=Memory;Cache=Shared"));
                        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite("Data Source=reports-db.db"));
                """) + "\npublic sealed class ReportsDbContext : DbContext { public ReportsDbContext(DbContextOptions<ReportsDbContext> o) : base(o) { } }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task ConnectionFromConfiguration_IsReportedOnceAtTheName()
        {
            await Estate(Worker("""        using var connection = new Npgsql.NpgsqlConnection(configuration.GetConnectionString({|OPS202:"Orders"|}));""")).VerifyAsync();
        }

        [Fact]
        public async Task SqlConnection_MicrosoftDataSqlClient_InitialCatalog_ReportsOps202()
        {
            var test = new Test
            {
                TestCode = """
                    public static class Reports
                    {
                        public static Microsoft.Data.SqlClient.SqlConnection Open() =>
                            new Microsoft.Data.SqlClient.SqlConnection({|OPS202:"Server=sql;Initial Catalog=\"payments-db\";Integrated Security=true"|});
                        public static Microsoft.Data.SqlClient.SqlConnection Own() =>
                            new Microsoft.Data.SqlClient.SqlConnection("Server=sql;Initial Catalog=reports-db");
                    }
                    """,
                ReferenceAssemblies = References.InfiniteTimeout.MicrosoftDataSqlClient,
            };
            test.WithAdditionalFile("operability.json", ReportsManifest);
            await WithEstate(test, ("payments", PaymentsManifest)).VerifyAsync();
        }

        [Fact]
        public async Task SqlConnection_SystemDataSqlClient_Database_ReportsOps201()
        {
            var test = new Test
            {
                TestCode = """
                    public static class Reports
                    {
                        public static System.Data.SqlClient.SqlConnection Open() =>
                            new System.Data.SqlClient.SqlConnection({|OPS201:"Data Source=sql;Database=warehouse"|});
                    }
                    """,
                ReferenceAssemblies = References.InfiniteTimeout.SystemDataSqlClient,
            };
            await test.WithAdditionalFile("operability.json", ReportsManifest).VerifyAsync();
        }

        // ---- DbContext from another assembly ------------------------------------------------------------------------

        [Fact]
        public async Task AddDbContext_SharedLibraryContext_ReportsOps203AndOps202()
        {
            await WithOrdersData(Estate(Worker(
                """        builder.Services.{|#0:AddDbContext<OrdersDbContext>|}(o => o.UseSqlite(builder.Configuration.GetConnectionString({|OPS202:"Orders"|})));""",
                "using Orders.Data;\n")))
                .Expect(new DiagnosticResult(RuleDescriptors.SharedDbContext).WithLocation(0)
                    .WithMessage("'OrdersDbContext' is declared in 'Orders.Data', not in this service; sharing a data-access library shares its database"))
                .VerifyAsync();
        }

        [Fact]
        public async Task SharedLibraryContext_EveryUseSiteIsReported()
        {
            await WithOrdersData(Estate(Worker("""
                        builder.Services.{|OPS203:AddDbContextFactory<OrdersDbContext>|}();
                        builder.Services.{|OPS203:AddDbContextPool<OrdersDbContext>|}(o => { });
                        var options = new DbContextOptionsBuilder<OrdersDbContext>().Options;
                        using var db = new {|OPS203:OrdersDbContext|}(options);
                        OrdersDbContext other = {|OPS203:new(options)|};
                """, "using Orders.Data;\n"))).VerifyAsync();
        }

        [Fact]
        public async Task SharedLibraryContext_ConfiguredWithOwnedDatabase_NoDiagnostic()
        {
            // An outbox or audit context from a shared library, pointed at this service's own database.
            await WithOrdersData(Estate(Worker(
                """        builder.Services.AddDbContext<OrdersDbContext>(o => o.UseSqlite(configuration.GetConnectionString("Reports")));""",
                "using Orders.Data;\n"))).VerifyAsync();
        }

        [Fact]
        public async Task SharedLibraryContext_OfThisService_NoDiagnostic()
        {
            // The orders service uses its own data library, Orders.Data.
            const string manifest = """
                { "service": "orders", "owner": "team-orders", "availability": { "target": 99.9 },
                  "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ] }
                """;
            await WithOrdersData(WithEstate(Create(Worker("""
                        builder.Services.AddDbContext<OrdersDbContext>(o => o.UseSqlite(configuration.GetConnectionString("Orders")));
                        var db = new OrdersDbContext(new DbContextOptionsBuilder<OrdersDbContext>().Options);
                """, "using Orders.Data;\n"), manifest), ("payments", PaymentsManifest))).VerifyAsync();
        }

        [Fact]
        public async Task SharedLibraryContext_ListedInOwnAssembliesOption_NoDiagnostic()
        {
            await WithOrdersData(Estate(Worker("""        builder.Services.AddDbContext<OrdersDbContext>();""", "using Orders.Data;\n")))
                .WithEditorConfig("operability.OPS203.own_assemblies = Orders.Data")
                .VerifyAsync();
        }

        [Fact]
        public async Task EntityConfigurationFromSharedLibrary_AppliedInOwnContext_NoDiagnostic()
        {
            var source = Worker("""        builder.Services.AddDbContext<ReportsDbContext>(o => o.UseSqlite(configuration.GetConnectionString("Reports")));""", "using Orders.Data;\n") + """

                public sealed class ReportsDbContext : DbContext
                {
                    public ReportsDbContext(DbContextOptions<ReportsDbContext> options) : base(options) { }
                    protected override void OnModelCreating(ModelBuilder modelBuilder)
                    {
                        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
                        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OutboxMessage).Assembly);
                    }
                }
                """;
            await WithOrdersData(Estate(source)).VerifyAsync();
        }

        [Fact]
        public async Task SharedLibraryContext_OnlyInjected_NoDiagnostic()
        {
            // Registration is where the rule looks; a constructor parameter is not a second use site.
            await WithOrdersData(Estate("""
                using Orders.Data;
                public sealed class DailyReport
                {
                    private readonly OrdersDbContext _db;
                    public DailyReport(OrdersDbContext db) => _db = db;
                }
                """)).VerifyAsync();
        }

        // ---- where the rules do not apply ----------------------------------------------------------------------------

        [Fact]
        public async Task ProjectWithoutManifest_LibraryOrMigrations_NoDiagnostic()
        {
            await WithOrdersData(WithEstate(Create(Worker("""
                        var cs = configuration.GetConnectionString("Orders");
                        builder.Services.AddDbContext<OrdersDbContext>(o => o.UseSqlite(cs));
                """, "using Orders.Data;\n"), manifest: null), ("orders", OrdersManifest))).VerifyAsync();
        }

        [Fact]
        public async Task TestProject_ReferencingServiceContext_NoDiagnostic()
        {
            await WithOrdersData(Estate(Worker("""
                        var cs = configuration.GetConnectionString("Orders");
                        using var db = new OrdersDbContext(new DbContextOptionsBuilder<OrdersDbContext>().UseSqlite("Data Source=orders-db.db").Options);
                """, "using Orders.Data;\n")))
                .WithProperty("IsTestProject", "true")
                .VerifyAsync();
        }

        [Fact]
        public async Task CommentedOutCode_NoDiagnostic()
        {
            await Estate(Worker("""
                        // var cs = configuration.GetConnectionString("Orders");
                        /* builder.AddNpgsqlDataSource("orders-db"); */
                        var text = "configuration.GetConnectionString(\"Orders\")";
                """)).VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_NoDiagnostic()
        {
            var test = Estate(string.Empty);
            test.TestState.Sources.Clear();
            test.TestState.Sources.Add(("/0/Startup.g.cs", Worker("""        var cs = configuration.GetConnectionString("Orders");""")));
            test.TestState.Sources.Add(("/0/Other.cs", "// <auto-generated/>\n" + Worker("""        var cs = configuration.GetConnectionString("Orders");""").Replace("class Startup", "class Startup2")));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TopLevelStatements_LambdasAndLocalFunctions_AreAnalysed()
        {
            var test = Estate("""
                using Microsoft.Extensions.Configuration;
                using Microsoft.Extensions.DependencyInjection;

                IConfiguration configuration = new ConfigurationBuilder().Build();
                var services = new ServiceCollection();
                services.AddSingleton(_ => configuration.GetConnectionString({|OPS202:"Orders"|})!);
                string Local() => configuration.GetConnectionString({|OPS201:"Archive"|})!;
                System.Func<System.Func<string?>> nested = () => () => configuration[{|OPS202:"ConnectionStrings:Payments"|}];
                System.Console.WriteLine(Local());
                """);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_NoCrash()
        {
            var test = Estate(Worker("""
                        var a = configuration.GetConnectionString(;
                        var b = configuration.GetConnectionString("Orders"
                        builder.AddNpgsqlDataSource(
                        var c = new Npgsql.NpgsqlConnection(42);
                        builder.Services.AddDbContext<Missing>(o => o.UseSqlite(configuration[]));
                """));
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task MalformedManifest_NothingChecked()
        {
            await Estate(Worker("""        var cs = configuration.GetConnectionString("Orders");"""), manifest: "{ \"service\": ").VerifyAsync();
        }

        [Fact]
        public async Task NoDatabaseApisReferenced_NoDiagnostic()
        {
            var test = new Test { TestCode = "public static class Plain { public static string Name => \"Orders\"; }" };
            await test.WithAdditionalFile("operability.json", ReportsManifest).VerifyAsync();
        }

        // ---- OPS204 ------------------------------------------------------------------------------------------------------

        [Fact]
        public async Task DatabaseClaimedByThisAndAnotherManifest_ReportsOps204AtTheName()
        {
            const string manifest = """
                {
                  "service": "order-reports",
                  "owner": "team-insights",
                  "availability": { "target": 99.5 },
                  "databases": [ { "name": "reports-db" }, { "name": "Orders-DB", "connectionStrings": ["OrdersCopy"] } ]
                }
                """;
            await Estate("public static class Empty { }", manifest)
                .Expect(new DiagnosticResult(RuleDescriptors.DatabaseClaimedTwice)
                    .WithSpan("/0/operability.json", 5, 54, 5, 65)
                    .WithMessage("Database 'Orders-DB' is also declared by service 'orders' in '/estate/orders/operability.json'; a database has exactly one owning service"))
                .VerifyAsync();
        }

        [Fact]
        public async Task DatabaseClaimedTwice_OnlyByOtherServices_NotReportedHere()
        {
            const string rival = """{ "service": "rival", "owner": "team-rival", "availability": { "target": 99 }, "databases": [ { "name": "orders-db" } ] }""";
            await WithEstate(Create("public static class Empty { }"), ("orders", OrdersManifest), ("rival", rival)).VerifyAsync();
        }

        [Fact]
        public async Task Catalogue_ListingThisServiceToo_IsNotAConflict_AndProvesOwners()
        {
            var catalogue = "{ \"services\": [\n" + ReportsManifest + ",\n" + OrdersManifest + "\n] }";
            var test = Create(Worker("""        var cs = configuration.GetConnectionString({|OPS202:"Orders"|});"""));
            test.TestState.AdditionalFiles.Add(("/estate/catalogue.json", catalogue));
            test.TestState.AnalyzerConfigFiles.Add(("/estate.globalconfig", "is_global = true\n[/estate/catalogue.json]\nbuild_metadata.AdditionalFiles.OperabilityRole = Estate\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task BrokenEstateFile_IsIgnored()
        {
            await WithEstate(Create(Worker("""        var cs = configuration.GetConnectionString({|OPS201:"Orders"|});""")), ("orders", "{ \"service\": ")).VerifyAsync();
        }

        // ---- configuration files (appsettings*.json) ---------------------------------------------------------------

        private static Test WithConfiguration(Test test, params (string Name, string Text)[] files)
        {
            var config = new System.Text.StringBuilder("is_global = true\n");
            foreach (var (name, text) in files)
            {
                var path = Test.ProjectDirectory + "/" + name;
                test.TestState.AdditionalFiles.Add((path, text));
                config.Append('[').Append(path).Append("]\nbuild_metadata.AdditionalFiles.OperabilityRole = Configuration\n");
            }

            test.TestState.AnalyzerConfigFiles.Add(("/configuration.globalconfig", config.ToString()));
            return test;
        }

        private static DiagnosticResult InFile(DiagnosticDescriptor descriptor, string file, int line, int column, int endColumn) =>
            new DiagnosticResult(descriptor).WithSpan(Test.ProjectDirectory + "/" + file, line, column, line, endColumn);

        [Fact]
        public async Task ConfigurationFile_ConnectionStringNamingAnotherServicesDatabase_ReportsOps202AtTheValue()
        {
            // Comments and trailing commas, as appsettings files have them.
            const string appsettings = """
                {
                  // copied from the orders service
                  "ConnectionStrings": {
                    "Reports": "Server=sql;Database=orders-db;User Id=sa",
                  },
                }
                """;
            await WithConfiguration(Estate(Worker(string.Empty)), ("appsettings.json", appsettings))
                .Expect(InFile(RuleDescriptors.DatabaseOwnedByAnotherService, "appsettings.json", 4, 16, 58)
                    .WithMessage("configuration value 'ConnectionStrings:Reports' (Database=orders-db) reaches database 'orders-db', which service 'orders' (team 'team-orders') owns; call its API, or read a replica or dataset it publishes"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationFile_OtherKeyWhoseValueIsAConnectionString_ReportsOps202AndOps201()
        {
            const string development = """
                {
                  "Catalog": { "ConnectionString": "Server=tcp:sql,1433;Initial Catalog=payments-db;Encrypt=true" },
                  "Workers": [ { "Audit": "Host=pg;Database=AuditDb" } ]
                }
                """;
            await WithConfiguration(Estate(Worker(string.Empty)), ("appsettings.Development.json", development))
                .Expect(
                    InFile(RuleDescriptors.DatabaseOwnedByAnotherService, "appsettings.Development.json", 2, 36, 98)
                        .WithArguments("configuration value 'Catalog:ConnectionString' (Initial Catalog=payments-db)", "payments-db", "payments", "team-payments"),
                    InFile(RuleDescriptors.DatabaseNotOwned, "appsettings.Development.json", 3, 27, 53)
                        .WithMessage("configuration value 'Workers:0:Audit' (Database=AuditDb) reaches database 'AuditDb' not declared as owned in operability.json; declare it under 'databases' if it is this service's, or call the owning service's API"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationFile_InCi_Ops201IsRaisedToAnError()
        {
            const string appsettings = """
                { "ConnectionStrings": { "Audit": "Host=pg;Database=AuditDb" } }
                """;
            var test = WithConfiguration(Estate(Worker(string.Empty)), ("appsettings.json", appsettings));
            test.WithProperty("OperabilityCiErrors", "OPS201,OPS202");
            await test
                .Expect(InFile(RuleDescriptors.DatabaseNotOwned, "appsettings.json", 1, 35, 61).WithSeverity(DiagnosticSeverity.Error)
                    .WithMessage("configuration value 'ConnectionStrings:Audit' (Database=AuditDb) reaches database 'AuditDb' not declared as owned in operability.json; declare it under 'databases' if it is this service's, or call the owning service's API"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationFile_OwnedReadDeclaredOrNotAConnectionString_NoDiagnostic()
        {
            const string appsettings = """
                {
                  "Logging": { "LogLevel": { "Default": "Information" } },
                  "AllowedHosts": "*",
                  "ConnectionStrings": {
                    "Own": "Server=sql;Database=reports-db",
                    "Reports": "Server=sql;Database=ReportsProduction",
                    "OrdersReplica": "Host=replica;Database=orders-replica",
                    "Redis": "localhost:6379,abortConnect=false",
                    "Blob": "UseDevelopmentStorage=true"
                  },
                  "Links": { "Help": "https://example.com/help?topic=database&id=1" },
                  "Retries": 3
                }
                """;
            await WithConfiguration(Estate(Worker(string.Empty)), ("appsettings.json", appsettings)).VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationFile_NotTaggedByThePackage_IsNotRead()
        {
            // The opt-out (OperabilityConfigurationFiles=false) leaves the file untagged; an untagged appsettings.json is not ours.
            var test = Estate(Worker(string.Empty));
            test.WithAdditionalFile("appsettings.json", """{ "ConnectionStrings": { "Reports": "Server=sql;Database=orders-db" } }""");
            await test.VerifyAsync();
        }

        [Theory]
        [InlineData("{ \"ConnectionStrings\": { \"Reports\": \"Server=sql;Database=orders-db\" ")]
        [InlineData("{ \"ConnectionStrings\": { \"Reports\": \"Server=sql;Database=orders-db\" }, } }")]
        [InlineData("")]
        [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"Database=orders-db\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
        [InlineData("{ \"A\": \"Database=orders-db\", \"A\": 1, \"B\": NaN }")]
        public async Task ConfigurationFile_Malformed_SilentWithoutAnalyzerException(string appsettings)
        {
            await WithConfiguration(Estate(Worker("""        var cs = configuration.GetConnectionString("Reports");""")), ("appsettings.json", appsettings)).VerifyAsync();
        }

        [Fact]
        public async Task ConfigurationFile_InATestProject_NotRead()
        {
            await WithConfiguration(Estate(Worker(string.Empty)), ("appsettings.json", """{ "ConnectionStrings": { "Reports": "Server=sql;Database=orders-db" } }"""))
                .WithProperty("IsTestProject", "true")
                .VerifyAsync();
        }

        [Fact]
        public async Task GetConnectionString_WhoseConfiguredValueNamesADatabase_JudgedByThatValueInTheFile()
        {
            // 'Default' is not declared, but its value names the service's own database: no OPS201 in the code.
            // 'Legacy' names another service's database: reported once, at the value, not again at the read.
            // 'Archive' has no value in the files: judged by its name, as before.
            // 'Catalog:ConnectionString' is judged at its value in the file, once, however the code reads it.
            const string body = """
                        var own = configuration.GetConnectionString("Default");
                        var legacy = configuration["ConnectionStrings:Legacy"];
                        var archive = configuration.GetConnectionString({|#0:"Archive"|});
                        var catalog = configuration.GetSection("Catalog")["ConnectionString"];
                """;
            const string appsettings = """
                {
                  "ConnectionStrings": {
                    "Default": "Server=sql;Database=reports-db",
                    "Legacy": "Server=sql;Database=orders-db"
                  },
                  "Catalog": { "ConnectionString": "Server=sql;Database=payments-db" }
                }
                """;
            await WithConfiguration(Estate(Worker(body)), ("appsettings.json", appsettings))
                .Expect(
                    new DiagnosticResult(RuleDescriptors.DatabaseNotOwned).WithLocation(0).WithArguments("connection string 'Archive'", "a database"),
                    InFile(RuleDescriptors.DatabaseOwnedByAnotherService, "appsettings.json", 4, 15, 46)
                        .WithArguments("configuration value 'ConnectionStrings:Legacy' (Database=orders-db)", "orders-db", "orders", "team-orders"),
                    InFile(RuleDescriptors.DatabaseOwnedByAnotherService, "appsettings.json", 6, 36, 69)
                        .WithArguments("configuration value 'Catalog:ConnectionString' (Database=payments-db)", "payments-db", "payments", "team-payments"))
                .VerifyAsync();
        }
    }
}
