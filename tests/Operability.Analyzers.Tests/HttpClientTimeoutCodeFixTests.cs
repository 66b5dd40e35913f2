using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes;
using Xunit;
using Test = Operability.Analyzers.Tests.CodeFixTest<Operability.Analyzers.HttpClientTimeoutAnalyzer, Operability.Analyzers.CodeFixes.HttpClientTimeoutCodeFix>;

namespace Operability.Analyzers.Tests
{
    public sealed class HttpClientTimeoutCodeFixTests
    {
        private static Test Fix(string source, string fixedSource, params string[] editorConfig)
        {
            var test = new Test { TestCode = source, FixedCode = fixedSource };
            test.EditorConfig.AddRange(editorConfig);
            return test;
        }

        [Fact]
        public async Task NoInitializer_Fix_AddsInitializerWithThirtySeconds()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public static class Probe
                {
                    public static void Run()
                    {
                        var client = [|new HttpClient()|];
                        client.CancelPendingRequests();
                    }
                }
                """;
            const string fixedSource = """
                using System;
                using System.Net.Http;

                public static class Probe
                {
                    public static void Run()
                    {
                        var client = new HttpClient() { Timeout = TimeSpan.FromSeconds(30) };
                        client.CancelPendingRequests();
                    }
                }
                """;
            var test = Fix(source, fixedSource);
            test.CodeActionEquivalenceKey = HttpClientTimeoutCodeFix.EquivalenceKey;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task NoUsingSystem_Fix_QualifiesTimeSpan()
        {
            const string source = """
                using System.Net.Http;

                public sealed class CatalogClient
                {
                    private static readonly HttpClient Client = [|new HttpClient(new SocketsHttpHandler(), disposeHandler: false)|]; // shared by all requests

                    public void Ping() => Client.CancelPendingRequests();
                }
                """;
            const string fixedSource = """
                using System.Net.Http;

                public sealed class CatalogClient
                {
                    private static readonly HttpClient Client = new HttpClient(new SocketsHttpHandler(), disposeHandler: false) { Timeout = System.TimeSpan.FromSeconds(30) }; // shared by all requests

                    public void Ping() => Client.CancelPendingRequests();
                }
                """;
            await Fix(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task ReturnedFromDependencyInjectionFactoryLambda_Fix_AppendsTimeoutToInitializer()
        {
            const string source = """
                using System;
                using System.Net.Http;
                using Microsoft.Extensions.DependencyInjection;

                public static class Registrations
                {
                    public static void Add(IServiceCollection services) =>
                        services.AddScoped(sp => [|new HttpClient { BaseAddress = new Uri("http://basket-api") }|]);
                }
                """;
            const string fixedSource = """
                using System;
                using System.Net.Http;
                using Microsoft.Extensions.DependencyInjection;

                public static class Registrations
                {
                    public static void Add(IServiceCollection services) =>
                        services.AddScoped(sp => new HttpClient { BaseAddress = new Uri("http://basket-api"), Timeout = TimeSpan.FromSeconds(30) });
                }
                """;
            var test = Fix(source, fixedSource);
            test.ReferenceAssemblies = References.None;
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.HttpClientFactory));
            test.FixedState.AdditionalReferences.AddRange(References.Runtime(References.HttpClientFactory));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TargetTypedNew_Fix_AddsInitializer()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public static class Probe
                {
                    public static void Run()
                    {
                        HttpClient c = [|new()|];
                        c.CancelPendingRequests();
                    }
                }
                """;
            const string fixedSource = """
                using System;
                using System.Net.Http;

                public static class Probe
                {
                    public static void Run()
                    {
                        HttpClient c = new() { Timeout = TimeSpan.FromSeconds(30) };
                        c.CancelPendingRequests();
                    }
                }
                """;
            await Fix(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task SingleLineInitializer_Fix_AppendsMember()
        {
            const string source = """
                using System;
                using System.Net.Http;

                var client = [|new HttpClient { BaseAddress = new Uri("http://catalog-api") }|];
                await client.GetAsync("/health");
                """;
            const string fixedSource = """
                using System;
                using System.Net.Http;

                var client = new HttpClient { BaseAddress = new Uri("http://catalog-api"), Timeout = TimeSpan.FromSeconds(30) };
                await client.GetAsync("/health");
                """;
            var test = Fix(source, fixedSource);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.FixedState.OutputKind = OutputKind.ConsoleApplication;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task MultiLineInitializer_Fix_AppendsMemberOnItsOwnLineAndKeepsComments()
        {
            const string source = """
                using System;
                using System.Net;
                using System.Net.Http;

                public sealed class OrderingClient
                {
                    private readonly HttpClient _client = [|new HttpClient(new SocketsHttpHandler())
                    {
                        // the ordering service behind the gateway
                        BaseAddress = new Uri("http://ordering-api"),
                        DefaultRequestVersion = HttpVersion.Version20 // h2 only
                    }|];

                    public void Ping() => _client.CancelPendingRequests();
                }
                """;
            const string fixedSource = """
                using System;
                using System.Net;
                using System.Net.Http;

                public sealed class OrderingClient
                {
                    private readonly HttpClient _client = new HttpClient(new SocketsHttpHandler())
                    {
                        // the ordering service behind the gateway
                        BaseAddress = new Uri("http://ordering-api"),
                        DefaultRequestVersion = HttpVersion.Version20, // h2 only
                        Timeout = TimeSpan.FromSeconds(30)
                    };

                    public void Ping() => _client.CancelPendingRequests();
                }
                """;
            await Fix(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task MultiLineInitializerWithTrailingComma_Fix_KeepsTrailingComma()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class BasketClient
                {
                    private readonly HttpClient _client = [|new HttpClient
                    {
                        BaseAddress = new Uri("http://basket-api"),
                    }|];

                    public void Ping() => _client.CancelPendingRequests();
                }
                """;
            const string fixedSource = """
                using System;
                using System.Net.Http;

                public sealed class BasketClient
                {
                    private readonly HttpClient _client = new HttpClient
                    {
                        BaseAddress = new Uri("http://basket-api"),
                        Timeout = TimeSpan.FromSeconds(30),
                    };

                    public void Ping() => _client.CancelPendingRequests();
                }
                """;
            await Fix(source, fixedSource).VerifyAsync();
        }

        [Theory]
        [InlineData("5", 5)]
        [InlineData("120", 120)]
        [InlineData("abc", 30)]
        [InlineData("0", 30)]
        [InlineData("-5", 30)]
        [InlineData("2.5", 30)]
        [InlineData("", 30)]
        public async Task ConfiguredSeconds_Fix_UsesEditorConfigValueOrFallsBackToThirty(string value, int written)
        {
            const string source = """
                using System;
                using System.Net.Http;

                public static class Probe
                {
                    public static void Run() => [|new HttpClient()|].CancelPendingRequests();
                }
                """;
            var fixedSource = source
                .Replace("[|new HttpClient()|]", "new HttpClient() { Timeout = TimeSpan.FromSeconds(" + written + ") }", System.StringComparison.Ordinal);
            await Fix(source, fixedSource, "operability.OPS101.default_timeout_seconds = " + value).VerifyAsync();
        }

        [Fact]
        public async Task SeveralClientsInOneFile_FixAll_SetsEveryTimeout()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class Gateway
                {
                    private static readonly HttpClient Catalog = [|new HttpClient()|];
                    private readonly HttpClient _ordering = [|new HttpClient { BaseAddress = new Uri("http://ordering-api") }|];

                    public void Run()
                    {
                        HttpClient basket = [|new()|];
                        basket.CancelPendingRequests();
                        Catalog.CancelPendingRequests();
                        _ordering.CancelPendingRequests();
                    }
                }
                """;
            const string fixedSource = """
                using System;
                using System.Net.Http;

                public sealed class Gateway
                {
                    private static readonly HttpClient Catalog = new HttpClient() { Timeout = TimeSpan.FromSeconds(10) };
                    private readonly HttpClient _ordering = new HttpClient { BaseAddress = new Uri("http://ordering-api"), Timeout = TimeSpan.FromSeconds(10) };

                    public void Run()
                    {
                        HttpClient basket = new() { Timeout = TimeSpan.FromSeconds(10) };
                        basket.CancelPendingRequests();
                        Catalog.CancelPendingRequests();
                        _ordering.CancelPendingRequests();
                    }
                }
                """;
            var test = Fix(source, fixedSource, "operability.OPS101.default_timeout_seconds = 10");
            test.NumberOfFixAllIterations = 1;
            await test.VerifyAsync();
        }

        [Theory]
        [InlineData(null, 30)]
        [InlineData("45", 45)]
        [InlineData(" 7 ", 7)]
        [InlineData("0", 30)]
        [InlineData("+3", 30)]
        [InlineData("99999999999", 30)]
        public void ParseTimeoutSeconds_AcceptsPositiveWholeSecondsOnly(string? value, int expected)
        {
            Assert.Equal(expected, HttpClientTimeoutAnalyzer.ParseTimeoutSeconds(value));
        }
    }
}
