using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.HttpClientTimeoutAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed partial class HttpClientTimeoutAnalyzerTests
    {
        private static DiagnosticResult Ops101(int location, string name) =>
            new DiagnosticResult(RuleDescriptors.HttpClientWithoutTimeout).WithLocation(location).WithArguments(name);

        private static Test Library(string source, params DiagnosticResult[] expected)
        {
            var test = new Test { TestCode = source };
            test.Expect(expected);
            return test;
        }

        private static Test TopLevelProgram(string source, params DiagnosticResult[] expected)
        {
            var test = Library(source, expected);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            return test;
        }

        // ---- Reported ----

        [Fact]
        public async Task LocalInTopLevelProgram_WithoutTimeout_ReportsDiagnosticWithMessage()
        {
            const string source = """
                using System.Net.Http;

                var client = {|#0:new HttpClient()|};
                var items = await client.GetStringAsync("http://catalog-api/api/catalog/items");
                System.Console.WriteLine(items);
                """;
            await TopLevelProgram(source, new DiagnosticResult(RuleDescriptors.HttpClientWithoutTimeout).WithLocation(0)
                    .WithMessage("'client' is created without a Timeout and waits up to the 100-second default; set Timeout, or use IHttpClientFactory with a resilience handler"))
                .VerifyAsync();
        }

        [Fact]
        public async Task StaticFieldInitializer_WithoutConstructorAssignment_ReportsDiagnosticWithFieldName()
        {
            const string source = """
                using System.Net.Http;
                using System.Threading.Tasks;

                public sealed class CatalogClient
                {
                    private static readonly HttpClient Client = {|#0:new HttpClient()|};

                    public Task<string> GetItemsAsync() => Client.GetStringAsync("http://catalog-api/api/catalog/items");
                }
                """;
            await Library(source, Ops101(0, "Client")).VerifyAsync();
        }

        [Fact]
        public async Task InstanceFieldAndAutoProperty_WithoutTimeout_ReportEachWithItsName()
        {
            const string source = """
                using System.Net.Http;

                public sealed class BasketGateway
                {
                    private readonly HttpClient _httpClient = {|#0:new HttpClient()|};

                    public HttpClient Ordering { get; } = {|#1:new HttpClient()|};

                    public void Ping()
                    {
                        _httpClient.CancelPendingRequests();
                    }
                }
                """;
            await Library(source, Ops101(0, "_httpClient"), Ops101(1, "Ordering")).VerifyAsync();
        }

        [Fact]
        public async Task HandlerWithDisposeHandlerFalse_WithoutTimeout_ReportsDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;
                using System.Threading.Tasks;

                public sealed class PaymentWorker
                {
                    private readonly SocketsHttpHandler _handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

                    public async Task<int> PollAsync()
                    {
                        using var client = {|#0:new HttpClient(_handler, disposeHandler: false)|};
                        var response = await client.GetAsync("http://payment-api/api/payments/pending");
                        return (int)response.StatusCode;
                    }
                }
                """;
            await Library(source, Ops101(0, "client")).VerifyAsync();
        }

        [Fact]
        public async Task TargetTypedNew_WithoutTimeout_ReportsDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public static class Probe
                {
                    public static void Run()
                    {
                        HttpClient c = {|#0:new()|};
                        c.GetAsync("http://identity-api/health").Wait();
                    }
                }
                """;
            await Library(source, Ops101(0, "c")).VerifyAsync();
        }

        [Fact]
        public async Task LocalInNestedLambda_WithoutTimeout_ReportsDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;
                using System.Threading.Tasks;

                public static class Endpoints
                {
                    public static Func<Task> Map()
                    {
                        Func<Task> handler = async () =>
                        {
                            Func<Task<string>> fetch = async () =>
                            {
                                var c = {|#0:new HttpClient()|};
                                return await c.GetStringAsync("http://webhooks-api/api/webhooks");
                            };
                            await fetch();
                        };
                        return handler;
                    }
                }
                """;
            await Library(source, Ops101(0, "c")).VerifyAsync();
        }

        [Fact]
        public async Task LocalInLocalFunction_WithoutTimeout_ReportsDiagnostic()
        {
            const string source = """
                using System.Net.Http;
                using System.Threading.Tasks;

                public static class Warmup
                {
                    public static Task<string> RunAsync()
                    {
                        return Fetch();

                        async Task<string> Fetch()
                        {
                            var http = {|#0:new HttpClient()|};
                            return await http.GetStringAsync("http://catalog-api/ready");
                        }
                    }
                }
                """;
            await Library(source, Ops101(0, "http")).VerifyAsync();
        }

        [Fact]
        public async Task TimeoutSetOnDifferentClient_ReportsTheOtherClient()
        {
            const string source = """
                using System;
                using System.Net.Http;

                var primary = new HttpClient();
                var fallback = {|#0:new HttpClient()|};
                primary.Timeout = TimeSpan.FromSeconds(5);
                await primary.GetAsync("http://ordering-api/api/orders");
                await fallback.GetAsync("http://ordering-api-dr/api/orders");
                """;
            await TopLevelProgram(source, Ops101(0, "fallback")).VerifyAsync();
        }

        [Fact]
        public async Task TimeoutSetInDifferentMethod_ForLocal_ReportsDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;
                using System.Threading.Tasks;

                public sealed class OrderingClient
                {
                    public async Task SubmitAsync()
                    {
                        var client = {|#0:new HttpClient()|};
                        await client.PostAsync("http://ordering-api/api/orders", new StringContent("{}"));
                    }

                    public async Task CancelAsync()
                    {
                        var client = new HttpClient();
                        client.Timeout = TimeSpan.FromSeconds(5);
                        await client.DeleteAsync("http://ordering-api/api/orders/1");
                    }
                }
                """;
            await Library(source, Ops101(0, "client")).VerifyAsync();
        }

        [Fact]
        public async Task UnstoredClient_UsedOnTheSpot_ReportsNewHttpClient()
        {
            const string source = """
                using System.Net.Http;

                var status = await {|#0:new HttpClient()|}.GetStringAsync("http://catalog-api/health");
                System.Console.WriteLine(status);
                """;
            await TopLevelProgram(source, Ops101(0, "new HttpClient()")).VerifyAsync();
        }

        [Fact]
        public async Task JsonExtensionMethodOnClient_IsNotAnEscape_ReportsDiagnostic()
        {
            const string source = """
                using System.Net.Http;
                using System.Net.Http.Json;
                using System.Threading.Tasks;

                public sealed record CatalogItem(int Id, string Name);

                public static class CatalogReader
                {
                    public static async Task<CatalogItem[]?> ReadAsync()
                    {
                        var client = {|#0:new HttpClient()|};
                        return await client.GetFromJsonAsync<CatalogItem[]>("http://catalog-api/api/catalog/items");
                    }
                }
                """;
            await Library(source, Ops101(0, "client")).VerifyAsync();
        }

        [Fact]
        public async Task FieldCreatedInMethod_TimeoutSetOnlyInConstructorOnPreviousClient_ReportsDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class ReconnectingClient
                {
                    private HttpClient _client = new HttpClient();

                    public ReconnectingClient()
                    {
                        _client.Timeout = TimeSpan.FromSeconds(5);
                    }

                    public void Reset()
                    {
                        _client.Dispose();
                        _client = {|#0:new HttpClient()|};
                    }
                }
                """;
            await Library(source, Ops101(0, "_client")).VerifyAsync();
        }

        [Fact]
        public async Task FieldInNestedType_ReportedOnce()
        {
            const string source = """
                using System.Net.Http;

                public static class Outer
                {
                    public static int Count;

                    public sealed class Inner
                    {
                        private static readonly HttpClient Shared = {|#0:new HttpClient()|};

                        public static void Ping() => Shared.CancelPendingRequests();
                    }
                }
                """;
            await Library(source, Ops101(0, "Shared")).VerifyAsync();
        }

        [Fact]
        public async Task BothBranchesOfConditional_WithoutTimeout_ReportEach()
        {
            const string source = """
                using System.Net.Http;

                public static class ClientChooser
                {
                    public static void Use(HttpMessageHandler? handler)
                    {
                        var client = handler is null ? {|#0:new HttpClient()|} : {|#1:new HttpClient(handler)|};
                        client.CancelPendingRequests();
                    }
                }
                """;
            await Library(source, Ops101(0, "client"), Ops101(1, "client")).VerifyAsync();
        }

        [Fact]
        public async Task TestProject_WithIncludeTestProjectsOption_ReportsDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class CatalogApiTests
                {
                    public void Get()
                    {
                        var client = {|#0:new HttpClient()|};
                        client.GetAsync("http://localhost:5101/api/catalog/items").Wait();
                    }
                }
                """;
            await Library(source, Ops101(0, "client"))
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .VerifyAsync();
        }

        [Fact]
        public async Task TestProject_WithIncludeTestProjectsInGlobalConfig_ReportsDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public static class Smoke
                {
                    public static void Run() => {|#0:new HttpClient()|}.CancelPendingRequests();
                }
                """;
            var test = Library(source, Ops101(0, "new HttpClient()"));
            test.ReferenceAssemblies = References.Xunit;
            test.TestState.AnalyzerConfigFiles.Add(("/.operability.globalconfig", "is_global = true\noperability.timeouts.include_test_projects = true\n"));
            await test.VerifyAsync();
        }

        // ---- Not reported ----

        [Fact]
        public async Task TimeoutInObjectInitializer_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class CatalogClient
                {
                    private static readonly HttpClient Client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

                    private readonly HttpClient _other = new(new HttpClientHandler()) { BaseAddress = new Uri("http://catalog-api"), Timeout = TimeSpan.FromSeconds(3) };

                    public void Ping()
                    {
                        Client.CancelPendingRequests();
                        _other.CancelPendingRequests();
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task UsingVarWithHandlerAndTimeoutInitializer_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
                using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
                await client.GetAsync("http://basket-api/health");
                """;
            await TopLevelProgram(source).VerifyAsync();
        }

        [Fact]
        public async Task LaterAssignmentInSameMethod_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                var client = new HttpClient();
                client.BaseAddress = new Uri("http://ordering-api");
                client.Timeout = TimeSpan.FromSeconds(8);
                await client.GetAsync("/api/orders");
                """;
            await TopLevelProgram(source).VerifyAsync();
        }

        [Fact]
        public async Task LaterAssignmentInsideLambdaOfSameMethod_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public static class Configurer
                {
                    public static void Run()
                    {
                        var client = new HttpClient();
                        Action configure = () => client.Timeout = TimeSpan.FromSeconds(4);
                        configure();
                        client.CancelPendingRequests();
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task FieldInitializer_TimeoutAssignedInConstructors_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class IdentityClient
                {
                    private static readonly HttpClient Shared = new HttpClient();
                    private readonly HttpClient _client = new HttpClient();
                    private HttpClient Tokens { get; } = new HttpClient();

                    static IdentityClient()
                    {
                        Shared.Timeout = TimeSpan.FromSeconds(10);
                    }

                    public IdentityClient()
                    {
                        this._client.Timeout = TimeSpan.FromSeconds(5);
                        Tokens.Timeout = TimeSpan.FromSeconds(2);
                    }

                    public void Ping()
                    {
                        Shared.CancelPendingRequests();
                        _client.CancelPendingRequests();
                        Tokens.CancelPendingRequests();
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task FieldCreatedInConstructor_TimeoutSetThere_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class WebhookSender
                {
                    private readonly HttpClient _http;

                    public WebhookSender(HttpMessageHandler handler)
                    {
                        _http = new HttpClient(handler, disposeHandler: false);
                        _http.Timeout = TimeSpan.FromSeconds(20);
                    }

                    public void Ping() => _http.CancelPendingRequests();
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task LazilyCreatedField_TimeoutSetInSameMethod_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class LazyClient
                {
                    private HttpClient? _client;

                    public HttpClient Get()
                    {
                        if (_client is null)
                        {
                            _client ??= new HttpClient();
                            _client.Timeout = TimeSpan.FromSeconds(3);
                        }

                        return _client;
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task ClientFromHttpClientFactory_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;
                using System.Threading.Tasks;

                public sealed class CatalogService
                {
                    private readonly IHttpClientFactory _factory;

                    public CatalogService(IHttpClientFactory factory) => _factory = factory;

                    public Task<string> GetAsync()
                    {
                        var client = _factory.CreateClient("catalog");
                        return client.GetStringAsync("/api/catalog/items");
                    }
                }
                """;
            var test = Library(source);
            test.ReferenceAssemblies = References.ExtensionsHttp;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task HttpClientFactoryImplementation_ReturnsNewClient_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class PooledClientFactory : IHttpClientFactory
                {
                    private readonly HttpMessageHandler _handler = new SocketsHttpHandler();

                    public HttpClient CreateClient(string name) => new HttpClient(_handler, disposeHandler: false);
                }
                """;
            var test = Library(source);
            test.ReferenceAssemblies = References.ExtensionsHttp;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ClientInstanceOrStoredFactoryRegisteredInDependencyInjection_NoDiagnostic()
        {
            // A factory lambda passed straight to the container is reported (see the DependencyInjection part).
            const string source = """
                using System;
                using System.Net.Http;
                using Microsoft.Extensions.DependencyInjection;

                public static class Registrations
                {
                    public static void Add(IServiceCollection services)
                    {
                        services.AddSingleton(new HttpClient());
                        Func<HttpClient> create = () => new HttpClient();
                        services.AddSingleton(create);
                    }
                }
                """;
            var test = Library(source);
            test.ReferenceAssemblies = References.ExtensionsHttp;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task Handlers_AreNotClients_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                var handler = new HttpClientHandler();
                var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
                System.Console.WriteLine(handler.UseProxy || sockets.UseProxy);
                """;
            await TopLevelProgram(source).VerifyAsync();
        }

        [Fact]
        public async Task DerivedClient_IsNotChecked_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class CatalogHttpClient : HttpClient
                {
                }

                public static class Use
                {
                    public static void Run()
                    {
                        var client = new CatalogHttpClient();
                        client.CancelPendingRequests();
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task ClientPassedToHelperThatSetsTimeout_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;
                using System.Threading.Tasks;

                public sealed class BasketClient
                {
                    public async Task<string> GetAsync()
                    {
                        var client = new HttpClient();
                        Configure(client);
                        return await client.GetStringAsync("http://basket-api/api/basket");
                    }

                    private static void Configure(HttpClient client)
                    {
                        client.Timeout = TimeSpan.FromSeconds(5);
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task ClientHandedToTypedClientOrOtherObject_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class CatalogApi
                {
                    public CatalogApi(HttpClient http) => Http = http;

                    public HttpClient Http { get; }
                }

                public sealed class ApiOptions
                {
                    public HttpClient? Client { get; set; }
                }

                public static class Composition
                {
                    public static object[] Build(ApiOptions target)
                    {
                        var api = new CatalogApi(new HttpClient());
                        var options = new ApiOptions { Client = new HttpClient() };
                        var shared = new HttpClient();
                        target.Client = shared;
                        var clients = new[] { new HttpClient() };
                        return new object[] { api, options, clients };
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task ClientCopiedToAnotherVariable_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                var client = new HttpClient();
                var alias = client;
                alias.Timeout = TimeSpan.FromSeconds(3);
                await client.GetAsync("http://catalog-api/health");
                """;
            await TopLevelProgram(source).VerifyAsync();
        }

        [Fact]
        public async Task ExpressionBodiedStaticConstructorSetsTimeout_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;
                using System.Threading.Tasks;

                public sealed class CatalogClient
                {
                    private static readonly HttpClient Client = new HttpClient();

                    static CatalogClient() => Client.Timeout = TimeSpan.FromSeconds(5);

                    public Task<string> GetItemsAsync() => Client.GetStringAsync("http://catalog-api/api/catalog/items");
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task ClientReturnedFromFactoryMethod_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public static class ClientFactory
                {
                    public static HttpClient Create()
                    {
                        var client = new HttpClient();
                        client.DefaultRequestHeaders.Add("x-service", "ordering");
                        return client;
                    }

                    public static HttpClient CreateBare() => new HttpClient();

                    public static HttpClient? Cached { get; private set; }

                    public static HttpClient GetOrCreate()
                    {
                        return Cached ??= new HttpClient();
                    }
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task FieldPassedToConfigureMethodElsewhereInType_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class OrderingGateway
                {
                    private readonly HttpClient _client = new HttpClient();

                    public OrderingGateway()
                    {
                        Setup(_client);
                    }

                    private static void Setup(HttpClient client) => client.Timeout = TimeSpan.FromSeconds(5);
                }
                """;
            await Library(source).VerifyAsync();
        }

        [Fact]
        public async Task TestProject_ByDefault_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class CatalogApiTests
                {
                    public void Get()
                    {
                        var client = new HttpClient();
                        client.GetAsync("http://localhost:5101/api/catalog/items").Wait();
                    }
                }
                """;
            await Library(source).WithProperty("IsTestProject", "true").VerifyAsync();
        }

        [Fact]
        public async Task MSTestV4Project_WithoutIsTestProject_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class CatalogTests
                {
                    public void Get()
                    {
                        var client = new HttpClient();
                        client.GetAsync("http://localhost:5101/api/catalog/items").Wait();
                    }
                }
                """;
            var test = Library(source);
            test.TestState.AdditionalReferences.Add(TestFrameworkReferences.Named("MSTest.TestFramework"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task ProjectReferencingXunit_ByDefault_NoDiagnostic()
        {
            const string source = """
                using System.Net.Http;

                public sealed class OrderingTests
                {
                    [Xunit.Fact]
                    public void Get()
                    {
                        var client = new HttpClient();
                        client.GetAsync("http://localhost:5102/api/orders").Wait();
                    }
                }
                """;
            var test = Library(source);
            test.ReferenceAssemblies = References.Xunit;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_NoDiagnostic()
        {
            const string generated = """
                // <auto-generated/>
                using System.Net.Http;

                public static class GeneratedClient
                {
                    public static HttpClient Client = new HttpClient();
                }
                """;
            const string generatedByName = """
                using System.Net.Http;

                public static class NamedGeneratedClient
                {
                    public static void Run() => new HttpClient().CancelPendingRequests();
                }
                """;
            var test = new Test();
            test.TestState.Sources.Add(("/0/Client.cs", generated));
            test.TestState.Sources.Add(("/0/Named.g.cs", generatedByName));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task CommentedOutCreation_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                // var client = new HttpClient();
                /* private static readonly HttpClient Client = new HttpClient(); */
                var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                await client.GetAsync("http://catalog-api/health");
                """;
            await TopLevelProgram(source).VerifyAsync();
        }

        [Fact]
        public async Task TimeoutSetThroughNewExpressionMember_NoDiagnostic()
        {
            const string source = """
                using System;
                using System.Net.Http;

                (new HttpClient()).Timeout = TimeSpan.FromSeconds(1);
                """;
            await TopLevelProgram(source).VerifyAsync();
        }

        // ---- Broken code: no crash ----

        [Fact]
        public async Task HalfTypedCode_DoesNotThrow()
        {
            const string source = """
                using System;
                using System.Net.Http;

                public sealed class Broken
                {
                    private readonly HttpClient _a = new HttpClient(;
                    private readonly HttpClient _b = new();

                    public void Run()
                    {
                        var client = new HttpClient(new UnknownHandler());
                        client.Timeout = ;
                        var other = new HttpClient { Timeout = };
                        other. = 3;
                        HttpClient third = new(
                    }
                }
                """;
            var test = Library(source);
            test.CompilerDiagnostics = CompilerDiagnostics.None;

            // Creations that do not parse yet wait; the one that parses (and binds) is judged.
            test.Expect(new DiagnosticResult(RuleDescriptors.HttpClientWithoutTimeout).WithSpan(7, 38, 7, 43).WithArguments("_b"));
            await test.VerifyAsync();
        }
    }
}
