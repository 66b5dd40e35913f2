using System.Threading.Tasks;
using Xunit;

namespace Operability.Analyzers.Tests.FailureDesign
{
    // OPS404 for a retry whose own ShouldHandle decides: reported at the predicate when it ignores the request's method.
    public sealed partial class UnsafeRetryAnalyzerTests
    {
        [Fact]
        public async Task CustomRetry_PredicateIgnoresMethod_ReportsAtShouldHandle()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = 2,
                            {|#0:ShouldHandle|} = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                        }));
                """)
                .Expect(Retries("AddResilienceHandler", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)", PredicateAdvice))
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHandler_PredicateIgnoresMethod_ReportsAtShouldHandle()
        {
            await Registration("        services.AddHttpClient<InvoicesClient>().AddStandardResilienceHandler(o => o.Retry.{|#0:ShouldHandle|} = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException));")
                .Expect(Retries("AddStandardResilienceHandler", "AddHttpClient<InvoicesClient>", "PATCH (InvoicesClient.AmendAsync)", PredicateAdvice))
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_PredicateBuilderChain_ReportsAtShouldHandle()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            {|#0:ShouldHandle|} = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().HandleResult(response => (int)response.StatusCode >= 500),
                        }));
                """)
                .Expect(Retries("AddResilienceHandler", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)", PredicateAdvice))
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_PredicateChecksResponseRequestMethod_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            ShouldHandle = args => ValueTask.FromResult(
                                args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                        }));
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_PredicateChecksContextRequestMethod_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            ShouldHandle = args =>
                            {
                                var method = args.Context.GetRequestMessage()?.Method;
                                return ValueTask.FromResult(method != HttpMethod.Post && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                            },
                        }));
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHandler_PredicateIgnoresMethodThenDisableForUnsafe_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o =>
                        {
                            o.Retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null);
                            o.Retry.DisableForUnsafeHttpMethods();
                        });
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_PredicateFromMethodGroup_Silent()
        {
            await Registration(
                "        services.AddHttpClient<OrdersClient>().AddResilienceHandler(\"orders\", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = Predicates.Transient }));",
                "\npublic static class Predicates { public static ValueTask<bool> Transient(Polly.Retry.RetryPredicateArguments<HttpResponseMessage> args) => ValueTask.FromResult(true); }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_PredicateCallsProjectHelper_Silent()
        {
            await Registration(
                "        services.AddHttpClient<OrdersClient>().AddResilienceHandler(\"orders\", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = args => Predicates.Idempotent(args) }));",
                "\npublic static class Predicates { public static ValueTask<bool> Idempotent(Polly.Retry.RetryPredicateArguments<HttpResponseMessage> args) => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get); }\n")
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomRetry_PredicateIgnoresMethod_OnClientThatOnlyReads_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient<CatalogClient>().AddResilienceHandler(\"catalog\", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions { ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null) }));")
                .VerifyAsync();
        }

        // The breaker's ShouldHandle decides when to open, not what to send again: the retry's is the one judged.
        [Fact]
        public async Task CircuitBreakerPredicateIgnoresMethod_RetryPredicateToo_ReportsAtTheRetrys()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", pipeline => pipeline
                            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null) })
                            .AddRetry(new HttpRetryStrategyOptions { {|#0:ShouldHandle|} = args => ValueTask.FromResult(args.Outcome.Exception is not null) }));
                """)
                .Expect(Retries("AddResilienceHandler", "AddHttpClient<OrdersClient>", "POST (OrdersClient.PlaceAsync)", PredicateAdvice))
                .VerifyAsync();
        }

        [Fact]
        public async Task CircuitBreakerPredicateIgnoresMethod_RetryPredicateChecksIt_NoDiagnostic()
        {
            await Registration("""
                        services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", pipeline => pipeline
                            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null) })
                            .AddRetry(new HttpRetryStrategyOptions { ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get) }));
                """)
                .VerifyAsync();
        }
    }
}
