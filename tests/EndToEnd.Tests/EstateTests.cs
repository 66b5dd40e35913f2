using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The sample estate (samples/estate) as users build it: the order-reports worker reads the orders service's
    /// database and is told so (OPS201/202/203) at the right lines; CI fails it; the fixed worker, which calls the
    /// orders API instead, builds clean. Real 'dotnet build' against the packed package.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class EstateTests
    {
        private static readonly Regex AnyOpsDiagnostic = new(@"\b(warning|error|info) OPS\d{3}\b");
        private static readonly Dictionary<string, string> LocalBuild = new();
        private static readonly Dictionary<string, string> CiBuild = new() { ["CI"] = "true" };

        private readonly PackageFeedFixture _feed;

        public EstateTests(PackageFeedFixture feed) => _feed = feed;

        [Fact]
        public void OrderReports_ReadingTheOrdersDatabase_ReportsOps201_202_203AtTheirLines()
        {
            using var folder = CopyEstate("estate-reports");

            var result = Build(folder, "estate/order-reports/OrderReports.csproj", LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            AssertLine(result, "Program.cs(9,18): warning OPS203: 'OrdersDbContext' is declared in 'Orders.Data', not in this service");
            AssertLine(result, "Program.cs(10,65): warning OPS202: connection string 'Orders' reaches database 'orders-db', which service 'orders' (team 'team-orders') owns");
            AssertLine(result, "Program.cs(13,99): warning OPS201: connection string 'OrdersArchive' reaches a database not declared as owned in operability.json");
            Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void OrderReports_AppsettingsNamingTheOrdersDatabase_ReportsOps202AtItsLineUnlessOptedOut()
        {
            using var folder = CopyEstate("estate-reports-appsettings");
            const string Expected = "appsettings.json(9,25): warning OPS202: configuration value 'Reporting:ConnectionString' (Database=orders-db) reaches database 'orders-db', which service 'orders' (team 'team-orders') owns";

            var result = Build(folder, "estate/order-reports/OrderReports.csproj", LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            AssertLine(result, Expected);
            Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);

            var optedOut = Build(folder, "estate/order-reports/OrderReports.csproj", LocalBuild, "-p:OperabilityConfigurationFiles=false");

            Assert.True(optedOut.ExitCode == 0, optedOut.ToString());
            Assert.DoesNotContain("appsettings.json(", optedOut.Output, StringComparison.Ordinal);
            AssertLine(optedOut, "Program.cs(10,65): warning OPS202");
        }

        [Fact]
        public void OrderReports_InCiMode_Fails()
        {
            using var folder = CopyEstate("estate-reports-ci");

            var result = Build(folder, "estate/order-reports/OrderReports.csproj", CiBuild, "-p:OperabilityErrorsInCI=true");

            Assert.True(result.ExitCode != 0, result.ToString());
            AssertLine(result, "Program.cs(9,18): error OPS203");
            AssertLine(result, "Program.cs(10,65): error OPS202");
            AssertLine(result, "Program.cs(13,99): error OPS201");
            AssertLine(result, "appsettings.json(9,25): error OPS202");
        }

        [Fact]
        public void OperableServices_OwningTheirDatabases_BuildCleanInCi()
        {
            using var folder = CopyEstate("estate-operable");

            foreach (var project in new[] { "estate/orders/Orders.csproj", "estate/payments/Payments.csproj" })
            {
                var result = Build(folder, project, CiBuild);

                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.DoesNotMatch(AnyOpsDiagnostic, result.Output);
            }
        }

        [Fact]
        public void OrderReports_Fixed_CallingTheOrdersApi_BuildsCleanInCi()
        {
            using var folder = CopyEstate("estate-reports-fixed");
            folder.Write("estate/order-reports/OrderReports.csproj", """
                <Project Sdk="Microsoft.NET.Sdk.Worker">
                  <ItemGroup>
                    <PackageReference Include="Microsoft.Extensions.Hosting" />
                    <PackageReference Include="Microsoft.Extensions.Http" />
                    <PackageReference Include="Microsoft.Extensions.Http.Resilience" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("estate/order-reports/Program.cs", """
                using OrderReports;

                var builder = Host.CreateApplicationBuilder(args);

                // The orders service's API, not its database: a typed client with timeouts, retries and a circuit breaker.
                builder.Services.AddHttpClient<OrdersClient>(client =>
                        client.BaseAddress = new Uri(builder.Configuration["Services:Orders"] ?? "http://orders"))
                    .AddStandardResilienceHandler(options =>
                    {
                        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
                        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
                    });

                builder.Services.AddHostedService<DailyReportWorker>();

                builder.Build().Run();
                """);
            folder.Write("estate/order-reports/appsettings.json", """
                {
                  "Logging": { "LogLevel": { "Default": "Information" } },
                  "Services": { "Orders": "http://orders" }
                }
                """);
            folder.Write("estate/order-reports/OrdersClient.cs", """
                using System.Net.Http.Json;

                namespace OrderReports;

                public sealed record OrderSummary(Guid Id, string Status, decimal Total, DateTimeOffset PlacedAt);

                public sealed class OrdersClient(HttpClient http)
                {
                    public async Task<IReadOnlyList<OrderSummary>> PlacedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
                        await http.GetFromJsonAsync<List<OrderSummary>>($"/orders?since={Uri.EscapeDataString(since.ToString("O"))}", cancellationToken) ?? [];
                }
                """);
            folder.Write("estate/order-reports/DailyReportWorker.cs", """
                namespace OrderReports;

                public sealed class DailyReportWorker(OrdersClient orders, ILogger<DailyReportWorker> logger) : BackgroundService
                {
                    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                    {
                        while (!stoppingToken.IsCancellationRequested)
                        {
                            var placed = await orders.PlacedSinceAsync(DateTimeOffset.UtcNow.AddDays(-1), stoppingToken);
                            logger.LogInformation("{Count} orders in the last day", placed.Count);
                            await Task.Delay(TimeSpan.FromHours(1), stoppingToken);
                        }
                    }
                }
                """);

            var result = Build(folder, "estate/order-reports/OrderReports.csproj", CiBuild, "-p:OperabilityErrorsInCI=true");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotMatch(AnyOpsDiagnostic, result.Output);
        }

        private static void AssertLine(ProcessResult result, string expected) =>
            Assert.True(result.Lines.Any(line => line.Contains(expected, StringComparison.Ordinal)), $"expected a line containing: {expected}\n{result}");

        private ProcessResult Build(ScratchFolder folder, string project, IReadOnlyDictionary<string, string> environment, params string[] extra)
        {
            var arguments = new List<string>
            {
                "build", project, "-c", "Debug", "--nologo", "--no-incremental", "-v", "q", "-clp:NoSummary",
                "-p:OperabilityVersion=" + _feed.AnalyzersVersion,
            };
            arguments.AddRange(extra);
            return Dotnet.Run(folder.Path, environment, arguments.ToArray());
        }

        // samples/estate with the samples' shared build files, the feed pointed at the packed packages.
        internal static ScratchFolder CopyEstate(string name)
        {
            var folder = new ScratchFolder(name);
            var samples = Path.Combine(Repository.Root, "samples");
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" })
            {
                File.Copy(Path.Combine(samples, file), Path.Combine(folder.Path, file), overwrite: true);
            }

            var nugetConfig = File.ReadAllText(Path.Combine(samples, "nuget.config"))
                .Replace("value=\"../artifacts/packages\"", "value=\"" + Repository.Packages + "\"", StringComparison.Ordinal);
            Assert.Contains(Repository.Packages, nugetConfig, StringComparison.Ordinal);
            folder.Write("nuget.config", nugetConfig);

            // The estate's own Directory.Build.props imports ../Directory.Build.props: keep the same layout.
            CopyDirectory(Path.Combine(samples, "estate"), Path.Combine(folder.Path, "estate"));
            // The estate's Directory.Build.props names the organisation policy beside it.
            Directory.CreateDirectory(Path.Combine(folder.Path, "organisation"));
            CopyDirectory(Path.Combine(samples, "organisation"), Path.Combine(folder.Path, "organisation"));
            return folder;
        }

        private static void CopyDirectory(string source, string target)
        {
            foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, directory);
                if (IsBuildOutput(relative))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.Combine(target, relative));
            }

            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                if (!IsBuildOutput(relative))
                {
                    File.Copy(file, Path.Combine(target, relative), overwrite: true);
                }
            }
        }

        private static bool IsBuildOutput(string relativePath)
        {
            foreach (var part in relativePath.Split(Path.DirectorySeparatorChar))
            {
                if (part is "bin" or "obj")
                {
                    return true;
                }
            }

            return false;
        }
    }
}
