using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.FailureDesign.UnsafeRetryAnalyzer>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed partial class UnsafeRetryAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Net.Http;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Http.Resilience;\nusing Polly;\n";

        // A typed client that places orders (POST) and one that only reads.
        private const string Clients = """

            public sealed class OrdersClient
            {
                private readonly HttpClient _http;
                public OrdersClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> PlaceAsync(HttpContent order) => _http.PostAsync("/orders", order);
            }

            public sealed class InvoicesClient
            {
                private readonly HttpClient _http;
                public InvoicesClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> AmendAsync() => _http.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/invoices/1"));
            }

            public sealed class CatalogClient
            {
                private readonly HttpClient _http;
                public CatalogClient(HttpClient http) => _http = http;
                public Task<string> GetAsync() => _http.GetStringAsync("/products");
            }
            """;

        internal static Test Registration(string body, string extra = "", string[]? references = null)
        {
            var usings = references is not null && references.Contains("Refit") ? Usings + "using Refit;\n" : Usings;
            var source = usings + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body + "\n    }\n}\n" + Clients + extra;
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime((references ?? References.HttpResilience).Concat(new[] { "Microsoft.Extensions.Configuration.Abstractions" }).ToArray()));
            return test;
        }

        private const string StandardAdvice = "call options.Retry.DisableForUnsafeHttpMethods()";
        private const string OwnOptionsAdvice = "call DisableForUnsafeHttpMethods() on its HttpRetryStrategyOptions";
        private const string PredicateAdvice = "make that ShouldHandle return false for POST and PATCH (args.Context.GetRequestMessage()?.Method), or call DisableForUnsafeHttpMethods() after setting it";

        private static DiagnosticResult Retries(string source, string client, string sends, string advice = StandardAdvice) =>
            new DiagnosticResult(RuleIds.RetriesUnsafeMethods, DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage($"'{source}' retries the requests of '{client}', which sends {sends}; {advice} so a request that is not idempotent is not sent twice");

        [Fact]
        public async Task StandardHandler_OnClientThatPosts_Reports()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().{|#0:AddStandardResilienceHandler()|};")
                .Expect(Retries("AddStandardResilienceHandler", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHandler_OnClientThatSendsPatch_Reports()
        {
            await Registration("        services.AddHttpClient<InvoicesClient>().{|#0:AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2)|};")
                .Expect(Retries("AddStandardResilienceHandler", "AddHttpClient<InvoicesClient>", "PATCH (InvoicesClient.AmendAsync)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_OnClientThatPosts_Reports()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().{|#0:AddResilienceHandler(\"orders\", p => p.AddRetry(new HttpRetryStrategyOptions()))|};")
                .Expect(Retries("AddResilienceHandler", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)", OwnOptionsAdvice))
                .VerifyAsync();
        }

        // Aspire's ServiceDefaults: every client gets the standard handler, retries included.
        [Fact]
        public async Task DefaultsStandardHandler_ReportedAtTheClientThatPosts()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http =>
                        {
                            http.AddStandardResilienceHandler();
                        });
                        services.{|#0:AddHttpClient<OrdersClient>()|};
                        services.AddHttpClient<CatalogClient>();
                """)
                .Expect(Retries("ConfigureHttpClientDefaults", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)"))
                .VerifyAsync();
        }

        // dotnet/eShop's WebApp (5624ad5): Aspire's AddServiceDefaults from the ServiceDefaults project, whose
        // ConfigureHttpClientDefaults adds the standard handler to every client, retries of POST included.
        [Fact]
        public async Task AspireDefaultsFromItsOwnProject_ClientThatPosts_Reports()
        {
            var test = Registration("""
                        services.{|#0:AddHttpClient<OrdersClient>(o => o.BaseAddress = new("https+http://ordering-api"))|};
                    }

                    public static void Host(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
                    {
                        Microsoft.Extensions.Hosting.Extensions.AddServiceDefaults(builder);
                """);
            test.TestState.AdditionalProjects["ServiceDefaults"].Sources.Add("""
                namespace Microsoft.Extensions.Hosting
                {
                    public static class Extensions
                    {
                        public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder) => builder;
                    }
                }

                namespace Microsoft.Extensions.DependencyInjection
                {
                    public static class HttpClientExtensions
                    {
                        public static IHttpClientBuilder AddAuthToken(this IHttpClientBuilder builder) => builder;
                    }
                }
                """);
            test.TestState.AdditionalProjects["ServiceDefaults"].AdditionalReferences.AddRange(References.Web());
            test.TestState.AdditionalProjectReferences.Add("ServiceDefaults");
            test.TestState.AdditionalReferences.AddRange(References.Web());
            await test.Expect(Retries("AddServiceDefaults", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)")).VerifyAsync();
        }

        // dotnet/eShop's WebApp OrderingService (5624ad5): the POST carries the key the ordering API deduplicates
        // requests by, so a retry cannot place the order twice.
        private const string IdempotentClient = """

            public sealed class OrderingClient
            {
                private readonly HttpClient _http;
                public OrderingClient(HttpClient http) => _http = http;
                public Task CreateOrder(HttpContent order, Guid requestId)
                {
                    var requestMessage = new HttpRequestMessage(HttpMethod.Post, "/api/Orders/");
                    requestMessage.Headers.Add("x-requestid", requestId.ToString());
                    requestMessage.Content = order;
                    return _http.SendAsync(requestMessage);
                }
                public Task<HttpResponseMessage> CancelAsync(HttpContent order) => _http.PatchAsync("/api/Orders/cancel", order);
            }

            public sealed class PaymentsClient
            {
                private readonly HttpClient _http;
                public PaymentsClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> PayAsync(HttpContent payment, string key)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "/payments") { Content = payment };
                    request.Headers.Add("Idempotency-Key", key);
                    return _http.SendAsync(request);
                }
            }
            """;

        [Fact]
        public async Task PostWithIdempotencyKeyHeader_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<PaymentsClient>().AddStandardResilienceHandler();", IdempotentClient)
                .VerifyAsync();
        }

        [Fact]
        public async Task PostWithIdempotencyKey_OtherMethodPatches_ReportsThePatch()
        {
            await Registration("        services.AddHttpClient<OrderingClient>().{|#0:AddStandardResilienceHandler()|};", IdempotentClient)
                .Expect(Retries("AddStandardResilienceHandler", "AddHttpClient<OrderingClient>", "PATCH (OrderingClient.CancelAsync)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task RefitInterfaceWithPost_Reports()
        {
            await Registration(
                "        services.AddRefitClient<IOrdersApi>().{|#0:AddStandardResilienceHandler()|};",
                "\npublic interface IOrdersApi { [Refit.Get(\"/orders\")] Task<string> List(); [Refit.Post(\"/orders\")] Task Place(); }\n",
                References.HttpResilience.Concat(new[] { "Refit.HttpClientFactory", "Refit" }).ToArray())
                .Expect(Retries("AddStandardResilienceHandler", "AddRefitClient<IOrdersApi>", "POST (IOrdersApi.Place)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task DisableForUnsafeHttpMethods_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());")
                .VerifyAsync();
        }

        [Fact]
        public async Task DisableForOnChainedConfigure_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler().Configure(o => o.Retry.DisableFor(HttpMethod.Post));")
                .VerifyAsync();
        }

        [Fact]
        public async Task DefaultsDisableUnsafeRetries_NoDiagnostic()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods()));
                        services.AddHttpClient<OrdersClient>();
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task ClientThatOnlyReads_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task NamedClient_CodeNotTiedToIt_Silent()
        {
            await Registration("        services.AddHttpClient(\"orders\").AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task TypedClientFromAnotherAssembly_Silent()
        {
            await Registration("        services.AddHttpClient<System.Net.Http.HttpMessageInvoker>().AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task OwnShouldHandleThatNeverRetries_Silent()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.ShouldHandle = args => ValueTask.FromResult(false));")
                .VerifyAsync();
        }

        [Fact]
        public async Task OptionsFromMethodGroup_Silent()
        {
            await Registration(
                "        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(Tuning.Orders);",
                "\npublic static class Tuning { public static void Orders(HttpStandardResilienceOptions o) { } }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task PipelineWithoutRetry_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().AddResilienceHandler(\"orders\", p => p.AddTimeout(TimeSpan.FromSeconds(2)));")
                .VerifyAsync();
        }

        [Fact]
        public async Task OperabilityClient_RetriesOnlyIdempotentRequests_NoDiagnostic()
        {
            await Registration(
                "        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());\n        services.AddOperabilityClient<OrdersClient>(\"orders\");",
                "\npublic static class OperabilityServiceCollectionExtensions { public static IHttpClientBuilder AddOperabilityClient<TClient>(this IServiceCollection services, string name) where TClient : class => services.AddHttpClient<TClient>(name); }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task CiBuild_RaisesToError()
        {
            await Registration("        services.AddHttpClient<OrdersClient>().{|#0:AddStandardResilienceHandler()|};")
                .WithProperty("OperabilityCiErrors", "OPS404")
                .Expect(new DiagnosticResult(RuleIds.RetriesUnsafeMethods, DiagnosticSeverity.Error).WithLocation(0)
                    .WithMessage("'AddStandardResilienceHandler' retries the requests of 'AddHttpClient<OrdersClient>', which sends POST (OrdersClient.PlaceAsync); call options.Retry.DisableForUnsafeHttpMethods() so a request that is not idempotent is not sent twice"))
                .VerifyAsync();
        }
    }
}
