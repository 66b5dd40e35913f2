using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>Packs once per run: clears stale copies of our packages from the private cache.</summary>
    public sealed class PackageFeedFixture
    {
        public PackageFeedFixture()
        {
            if (Directory.Exists(Repository.PackageCache))
            {
                foreach (var dir in Directory.GetDirectories(Repository.PackageCache, "operability.*"))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }

            AnalyzersVersion = Repository.PackageVersion("Operability.Analyzers");
        }

        public string AnalyzersVersion { get; }
    }

    [CollectionDefinition(Name)]
    public sealed class ConsumerBuilds : ICollectionFixture<PackageFeedFixture>
    {
        public const string Name = "Consumer builds";
    }

    /// <summary>
    /// The analyzer package as users get it: the packed .nupkg from a local feed, referenced by
    /// consumer projects in a temporary folder, built by the real 'dotnet build'.
    /// </summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class AnalyzerPackageTests
    {
        private static readonly Dictionary<string, string> LocalBuild = new();
        private static readonly Dictionary<string, string> CiBuild = new() { ["CI"] = "true" };
        private static readonly Regex AnyOpsDiagnostic = new(@"\b(warning|error|info) OPS\d{3}\b");

        private readonly PackageFeedFixture _feed;

        public AnalyzerPackageTests(PackageFeedFixture feed) => _feed = feed;

        private const string ValidManifest = """
            {
              "service": "orders",
              "owner": "team-orders",
              "contacts": { "onCall": "https://oncall.example/orders", "chat": "#team-orders" },
              "availability": { "target": 99.9, "financialExposurePerHour": 810000 },
              "deployment": { "featureDemand": "very-high" },
              "runbook": "RUNBOOK.md"
            }
            """;

        [Fact]
        public void WebProject_WithoutManifest_BuildsWithOps301Warning()
        {
            using var folder = new ScratchFolder("web-no-manifest");
            WriteWebProject(folder);

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("Program.cs(1,1): warning OPS301: Service 'Shop.Api' has no operability.json", StringComparison.Ordinal));
            Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void WebProject_WithoutManifest_InCi_FailsWithOps301Error()
        {
            using var folder = new ScratchFolder("web-no-manifest-ci");
            WriteWebProject(folder);

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("error OPS301: Service 'Shop.Api' has no operability.json", StringComparison.Ordinal));
        }

        [Fact]
        public void WebProject_InCi_WithOptOutProperty_KeepsWarning()
        {
            using var folder = new ScratchFolder("web-ci-optout");
            WriteWebProject(folder, extraProperties: "<OperabilityErrorsInCI>false</OperabilityErrorsInCI>");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("warning OPS301", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("error OPS301", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void WebProject_InCi_EditorConfigSeverityWinsOverCiErrors()
        {
            using var folder = new ScratchFolder("web-ci-editorconfig");
            WriteWebProject(folder);
            folder.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.OPS301.severity = suggestion\n");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain("error OPS301", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("warning OPS301", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void WebProject_InCi_CategoryLevelSuggestion_StaysSuggestion()
        {
            using var folder = new ScratchFolder("web-ci-category");
            WriteWebProject(folder, extraProperties: SarifLog);
            folder.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_analyzer_diagnostic.category-Operability.ServiceOwnership.severity = suggestion\n");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain("error OPS301", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("warning OPS301", result.Output, StringComparison.Ordinal);
            Assert.Equal(new[] { "OPS301 note" }, SarifResults(folder));
        }

        [Fact]
        public void WebProject_InCi_AllAnalyzersSuggestionInGlobalConfig_IsNotRaised()
        {
            using var folder = new ScratchFolder("web-ci-all-analyzers");
            WriteWebProject(folder, extraProperties: SarifLog);
            folder.Write(".globalconfig", "is_global = true\ndotnet_analyzer_diagnostic.severity = suggestion\n");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain("error OPS301", result.Output, StringComparison.Ordinal);
            Assert.Equal(new[] { "OPS301 note" }, SarifResults(folder));
        }

        [Fact]
        public void WebProject_InCi_IdLevelWarningInGlobalConfig_StaysWarning()
        {
            using var folder = new ScratchFolder("web-ci-id-warning");
            WriteWebProject(folder);
            folder.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.OPS301.severity = warning\n");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("warning OPS301", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("error OPS301", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void WebProject_InCi_RuleInWarningsNotAsErrors_StaysWarning()
        {
            using var folder = new ScratchFolder("web-ci-not-as-errors");
            WriteWebProject(folder, extraProperties: "<WarningsNotAsErrors>$(WarningsNotAsErrors);OPS301</WarningsNotAsErrors>");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("warning OPS301", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("error OPS301", result.Output, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("TF_BUILD", "True")]
        [InlineData("GITHUB_ACTIONS", "true")]
        [InlineData("ContinuousIntegrationBuild", "true")]
        public void WebProject_WithoutManifest_CiDetectedFromVariable_FailsWithOps301Error(string variable, string value)
        {
            using var folder = new ScratchFolder("web-ci-" + variable.ToLowerInvariant());
            WriteWebProject(folder);

            var result = Build(folder, new Dictionary<string, string> { [variable] = value });

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("Program.cs(1,1): error OPS301", StringComparison.Ordinal));
        }

        [Fact]
        public void WebProject_InCi_RuleInNoWarn_StaysOff()
        {
            using var folder = new ScratchFolder("web-ci-nowarn");
            WriteWebProject(folder, extraProperties: "<NoWarn>$(NoWarn);OPS301</NoWarn>");

            var result = Build(folder, CiBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain("OPS301", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void WebProject_WithValidManifestAndRunbook_HasNoOpsDiagnostics_LocallyAndInCi()
        {
            using var folder = new ScratchFolder("web-valid");
            WriteWebProject(folder);
            folder.Write("operability.json", ValidManifest);
            folder.Write("RUNBOOK.md", "# Orders runbook\n");

            var local = Build(folder, LocalBuild);
            var ci = Build(folder, CiBuild, noIncremental: true);

            Assert.True(local.ExitCode == 0, local.ToString());
            Assert.DoesNotMatch(AnyOpsDiagnostic, local.Output);
            Assert.True(ci.ExitCode == 0, ci.ToString());
            Assert.DoesNotMatch(AnyOpsDiagnostic, ci.Output);
        }

        [Fact]
        public void RunbookInSubfolder_WrittenWithWindowsSeparators_IsFound()
        {
            using var folder = new ScratchFolder("web-runbook-backslash");
            WriteWebProject(folder);
            folder.Write("operability.json", ValidManifest.Replace("\"RUNBOOK.md\"", "\"docs\\\\ops\\\\RUNBOOK.md\"", StringComparison.Ordinal));
            folder.Write("docs/ops/RUNBOOK.md", "# Orders runbook\n");

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("docs\\\\ops", File.ReadAllText(Path.Combine(folder.Path, "operability.json")), StringComparison.Ordinal);
            Assert.DoesNotMatch(AnyOpsDiagnostic, result.Output);
        }

        [Fact]
        public void WebProject_WithMalformedManifest_ReportsOps303AtLineAndColumn_WithoutAd0001()
        {
            using var folder = new ScratchFolder("web-malformed");
            WriteWebProject(folder);
            folder.Write("RUNBOOK.md", "# runbook\n");
            folder.Write("operability.json", "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\"\n  \"availability\": { \"target\": 99.9 }\n}\n");

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("operability.json(4,3): warning OPS303", StringComparison.Ordinal));
            Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public void WebProject_WithMissingRunbookAndOwnerList_ReportsBoth()
        {
            using var folder = new ScratchFolder("web-owner-list");
            WriteWebProject(folder);
            folder.Write("operability.json", "{\n  \"service\": \"orders\",\n  \"owner\": [\"team-a\", \"team-b\"],\n  \"availability\": { \"target\": 99.9 },\n  \"runbook\": \"docs/RUNBOOK.md\"\n}\n");

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("operability.json(3,12): warning OPS302", StringComparison.Ordinal));
            Assert.Contains(result.Lines, line => line.Contains("operability.json(5,14): warning OPS305: The runbook 'docs/RUNBOOK.md' named by operability.json does not exist", StringComparison.Ordinal));
        }

        [Fact]
        public void HttpClientRegistrationWithoutTimeout_WarnsLocally_AndFailsInCi()
        {
            using var folder = new ScratchFolder("web-timeout");
            WriteWebProject(folder);
            folder.Write("operability.json", ValidManifest);
            folder.Write("RUNBOOK.md", "# Orders runbook\n");
            folder.Write("Program.cs", "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddHttpClient(\"payments\");\nvar app = builder.Build();\napp.Run();\n");

            var local = Build(folder, LocalBuild);
            var ci = Build(folder, CiBuild, noIncremental: true);

            Assert.True(local.ExitCode == 0, local.ToString());
            Assert.Contains(local.Lines, line => line.Contains("Program.cs(2,18): warning OPS103: The HttpClient registration 'AddHttpClient(\"payments\")' has no timeout", StringComparison.Ordinal));
            Assert.True(ci.ExitCode != 0, ci.ToString());
            Assert.Contains(ci.Lines, line => line.Contains("Program.cs(2,18): error OPS103", StringComparison.Ordinal));
        }

        [Fact]
        public void WorkerService_WithGenericHost_WithoutManifest_ReportsOps301()
        {
            using var folder = new ScratchFolder("worker");
            folder.Write("Worker.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
                    <PackageReference Include="Operability.Analyzers" Version="{_feed.AnalyzersVersion}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("Program.cs", "using Microsoft.Extensions.Hosting;\n\nvar host = Host.CreateApplicationBuilder(args).Build();\nhost.Run();\n");

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("warning OPS301: Service 'Worker' has no operability.json", StringComparison.Ordinal));
        }

        [Fact]
        public void ClassLibraryAndTestProject_WithoutManifest_HaveNoOps301_EvenInCi()
        {
            using var folder = new ScratchFolder("library-and-tests");
            folder.Write("Lib/Lib.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Operability.Analyzers" Version="{_feed.AnalyzersVersion}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("Lib/Greeter.cs", "namespace Lib; public static class Greeter { public static string Hello() => \"hello\"; }\n");
            folder.Write("Lib.Tests/Lib.Tests.csproj", $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <IsPackable>false</IsPackable>
                    <IsTestProject>true</IsTestProject>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                    <PackageReference Include="xunit" Version="2.9.3" />
                    <PackageReference Include="Operability.Analyzers" Version="{_feed.AnalyzersVersion}" PrivateAssets="all" />
                    <ProjectReference Include="../Lib/Lib.csproj" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("Lib.Tests/GreeterTests.cs", "namespace Lib.Tests; public class GreeterTests { [Xunit.Fact] public void Hello() => Xunit.Assert.Equal(\"hello\", Lib.Greeter.Hello()); }\n");

            var library = Dotnet.Run(folder.Path, CiBuild, "build", "Lib/Lib.csproj", "-nologo");
            var tests = Dotnet.Run(folder.Path, CiBuild, "build", "Lib.Tests/Lib.Tests.csproj", "-nologo");

            Assert.True(library.ExitCode == 0, library.ToString());
            Assert.DoesNotMatch(AnyOpsDiagnostic, library.Output);
            Assert.True(tests.ExitCode == 0, tests.ToString());
            Assert.DoesNotMatch(AnyOpsDiagnostic, tests.Output);
        }

        [Fact]
        public void CSharp14ExtensionMembers_AreMatchedLikeExtensionMethods()
        {
            // The analyzer tests compile with Roslyn 4.8, which cannot parse extension blocks, so the .NET 10 SDK's
            // compiler proves it here. The library declares its registration API in an extension block, as Refit 14
            // does for AddRefitClient<T>(), and is consumed from metadata; the service declares one of its own.
            using var folder = new ScratchFolder("csharp14-extensions");
            WriteWebProject(folder, extraProperties: "<LangVersion>14</LangVersion>");
            folder.Write("Shop.Api.csproj", File.ReadAllText(System.IO.Path.Combine(folder.Path, "Shop.Api.csproj"))
                .Replace("</Project>", "  <ItemGroup>\n    <Compile Remove=\"Contoso.Clients/**\" />\n    <ProjectReference Include=\"Contoso.Clients/Contoso.Clients.csproj\" />\n  </ItemGroup>\n</Project>", StringComparison.Ordinal));
            folder.Write("Contoso.Clients/Contoso.Clients.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <LangVersion>14</LangVersion>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <FrameworkReference Include="Microsoft.AspNetCore.App" />
                  </ItemGroup>
                </Project>
                """);
            folder.Write("Contoso.Clients/Registrations.cs", """
                using Microsoft.Extensions.DependencyInjection;
                using Microsoft.Extensions.Hosting;

                namespace Contoso.Clients;

                public static class ClientRegistrations
                {
                    extension(IServiceCollection services)
                    {
                        public IHttpClientBuilder AddRefitClient<T>() where T : class => services.AddHttpClient(typeof(T).Name);
                    }

                    extension(IHostApplicationBuilder builder)
                    {
                        public IHostApplicationBuilder AddNpgsqlDataSource(string connectionName) => builder;
                    }
                }
                """);
            folder.Write("operability.json", ValidManifest);
            folder.Write("RUNBOOK.md", "# Orders runbook\n");
            folder.Write("Program.cs", """
                using Contoso.Clients;

                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddRefitClient<ICatalogApi>();
                builder.Services.AddRefitClient<IBasketApi>().ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));
                builder.Services.AddHttpClient("payments").AddCompanyPolicies();
                builder.AddNpgsqlDataSource("archive");
                var app = builder.Build();
                app.Run();

                public interface ICatalogApi { }

                public interface IBasketApi { }

                public static class CompanyHttpClientBuilderExtensions
                {
                    extension(IHttpClientBuilder builder)
                    {
                        // May add a timeout the analyzer cannot see, like any of the project's own extension methods.
                        public IHttpClientBuilder AddCompanyPolicies() => builder;
                    }
                }
                """);

            var result = Build(folder, LocalBuild);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains(result.Lines, line => line.Contains("Program.cs(4,18): warning OPS103: The HttpClient registration 'AddRefitClient<ICatalogApi>' has no timeout", StringComparison.Ordinal));
            Assert.Contains(result.Lines, line => line.Contains("Program.cs(7,29): warning OPS201: Aspire client 'archive' reaches a database not declared as owned", StringComparison.Ordinal));
            // Line 5 has a timeout (so no OPS103; its missing circuit breaker is OPS403's business); line 6 goes through
            // the project's own extension member, which may add one.
            Assert.DoesNotContain(result.Lines, line => line.Contains("Program.cs(5,", StringComparison.Ordinal) && !line.Contains("warning OPS403", StringComparison.Ordinal));
            Assert.DoesNotContain("Program.cs(6,", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("AD0001", result.Output, StringComparison.Ordinal);
        }

        private void WriteWebProject(ScratchFolder folder, string extraProperties = "")
        {
            folder.Write("Shop.Api.csproj", WebProjectFile(_feed.AnalyzersVersion, extraProperties));
            folder.Write("Program.cs", "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddHealthChecks();\nvar app = builder.Build();\napp.MapHealthChecks(\"/health\");\napp.MapGet(\"/\", () => \"hello\");\napp.Run();\n");
        }

        /// <summary>A web project referencing the packed analyzers, with the shutter rule off.</summary>
        internal static string WebProjectFile(string analyzersVersion, string extraProperties = "") => $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <!-- The shutter (OPS402, information) is Operability's runtime, which these consumers do not use. -->
                    <NoWarn>$(NoWarn);OPS402</NoWarn>
                    {extraProperties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Operability.Analyzers" Version="{analyzersVersion}" PrivateAssets="all" />
                  </ItemGroup>
                </Project>
                """;

        // The compiler's SARIF log shows every diagnostic with its final level, info ("note") included.
        private const string SarifLog = "<ErrorLog>ops.sarif,version=2.1</ErrorLog>";

        internal static List<string> SarifResults(ScratchFolder folder)
        {
            using var log = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "ops.sarif")));
            return log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Select(result => result.GetProperty("ruleId").GetString() + " " + result.GetProperty("level").GetString())
                .Where(line => line.StartsWith("OPS", StringComparison.Ordinal))
                .ToList();
        }

        private static ProcessResult Build(ScratchFolder folder, Dictionary<string, string> environment, bool noIncremental = false)
        {
            var arguments = new List<string> { "build", "-nologo" };
            if (noIncremental)
            {
                arguments.Add("--no-incremental");
            }

            return Dotnet.Run(folder.Path, environment, arguments.ToArray());
        }
    }
}
