using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The failure-design rules (OPS4xx) as a consumer of the packed package meets them: a web service with a
    /// manifest and a runbook but no health endpoint (and no shutter), a client with a timeout and no breaker, two
    /// resilience handlers on one client, retries of a client that posts, and a client timeout shorter than its pipeline's. Warnings locally; the warning-level rules are errors in CI, the information one is not.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class FailureDesignPackageTests
    {
        private const string Program = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddHttpClient("payments").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));
            var github = builder.Services.AddHttpClient("github");
            github.AddStandardResilienceHandler();
            github.AddStandardHedgingHandler();
            builder.Services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler();
            builder.Services.AddHttpClient("catalog", c => c.Timeout = TimeSpan.FromSeconds(10)).AddStandardResilienceHandler();
            var app = builder.Build();
            app.MapGet("/", () => "hello");
            app.Run();

            public sealed class OrdersClient(HttpClient http)
            {
                public Task<HttpResponseMessage> PlaceAsync(HttpContent order) => http.PostAsync("/orders", order);
            }

            """;

        private const string Manifest = """
            {
              "service": "shop-api",
              "owner": "team-shop",
              "contacts": { "onCall": "https://oncall.example/shop", "chat": "#team-shop" },
              "availability": { "target": 99.9, "financialExposurePerHour": 810000 },
              "deployment": { "featureDemand": "very-high" },
              "runbook": "RUNBOOK.md"
            }
            """;

        private readonly PackageFeedFixture _feed;

        public FailureDesignPackageTests(PackageFeedFixture feed) => _feed = feed;

        [Fact]
        public void FailureDesignRules_WarnLocally_AndTheWarningLevelOnesFailCi()
        {
            using var folder = new ScratchFolder("web-failure-design");
            folder.Write("Shop.Api.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <ErrorLog>ops.sarif,version=2.1</ErrorLog>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="10.11.0" />
                    <PackageReference Include="Operability.Analyzers" Version="{_feed.AnalyzersVersion}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("Program.cs", Program);
            folder.Write("operability.json", Manifest);
            folder.Write("RUNBOOK.md", "# Shop runbook\n");

            var local = Dotnet.Run(folder.Path, new Dictionary<string, string>(), "build", "-nologo");
            var localSarif = AnalyzerPackageTests.SarifResults(folder);
            var ci = Dotnet.Run(folder.Path, new Dictionary<string, string> { ["CI"] = "true" }, "build", "-nologo", "--no-incremental");
            var ciSarif = AnalyzerPackageTests.SarifResults(folder);

            Assert.True(local.ExitCode == 0, local.ToString());
            AssertLine(local, "Program.cs(2,18): warning OPS403: The HttpClient registration 'AddHttpClient(\"payments\")' has a timeout but no circuit breaker");
            AssertLine(local, "Program.cs(5,8): warning OPS405: 'AddStandardHedgingHandler' adds a resilience handler to 'AddHttpClient(\"github\")', which already gets one from 'AddStandardResilienceHandler' earlier in its chain");
            AssertLine(local, "Program.cs(6,48): warning OPS404: 'AddStandardResilienceHandler' retries the requests of 'AddHttpClient<OrdersClient>', which sends POST (OrdersClient.PlaceAsync)");
            AssertLine(local, "Program.cs(7,48): warning OPS406: 'AddHttpClient(\"catalog\")': HttpClient.Timeout (10 s) is shorter than its resilience pipeline's total timeout (30 s)");
            AssertLine(local, "Program.cs(8,19): warning OPS401: Web service 'Shop.Api' maps no health endpoint");
            Assert.Contains("OPS402 note", localSarif);
            Assert.DoesNotContain("AD0001", local.Output, StringComparison.Ordinal);

            Assert.True(ci.ExitCode != 0, ci.ToString());
            AssertLine(ci, "Program.cs(2,18): error OPS403");
            AssertLine(ci, "Program.cs(5,8): error OPS405");
            AssertLine(ci, "Program.cs(6,48): error OPS404");
            AssertLine(ci, "Program.cs(7,48): error OPS406");
            AssertLine(ci, "Program.cs(8,19): error OPS401");
            Assert.Contains("OPS402 note", ciSarif);
            Assert.DoesNotContain("OPS402 error", ciSarif);
        }

        private static void AssertLine(ProcessResult result, string expected) =>
            Assert.True(result.Lines.Any(line => line.Contains(expected, StringComparison.Ordinal)), $"expected a line containing: {expected}\n{result}");
    }
}
