using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.ResiliencePipelineAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed class ResiliencePipelineAnalyzerTests
    {
        private const string V8Usings = "using System;\nusing System.Net.Http;\nusing System.Threading.Tasks;\nusing Microsoft.Extensions.DependencyInjection;\nusing Polly;\nusing Polly.CircuitBreaker;\nusing Polly.Retry;\n";
        private const string V7Usings = "using System;\nusing System.Net.Http;\nusing System.Threading.Tasks;\nusing Polly;\n";
        private const string V8Fix = "AddTimeout(...)";

        /// <summary>Polly v8 with its DI integration (AddResiliencePipeline) and Microsoft.Extensions.Http.Resilience.</summary>
        private static readonly string[] PollyV8 = References.HttpResilience;

        /// <summary>Polly v7 (Policy, PolicyBuilder) with Polly.Extensions.Http and Microsoft.Extensions.Http.Polly.</summary>
        private static readonly string[] PollyV7 = References.HttpPollyV7;

        private static readonly string[] BothVersions = PollyV8.Concat(PollyV7).Distinct().ToArray();

        private static Test Create(string source, string[] references)
        {
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(references));
            return test;
        }

        private static Test V8(string members) => Create(V8Usings + "public sealed class Pipelines\n{\n" + members + "\n}\n", PollyV8);

        private static Test V7(string members) => Create(V7Usings + "public sealed class Work\n{\n    private static int Call() => 1;\n    private static Task<int> CallAsync() => Task.FromResult(1);\n" + members + "\n}\n", PollyV7);

        private static DiagnosticResult Diagnostic(int location = 0) =>
            new DiagnosticResult(RuleIds.ResiliencePipelineWithoutTimeout, DiagnosticSeverity.Warning).WithLocation(location);

        // ---- Polly v8: fluent chains ----

        [Fact]
        public async Task FluentChain_RetryAndCircuitBreakerWithoutTimeout_ReportsOnBuild()
        {
            const string members = """
                    public static ResiliencePipeline Orders() =>
                        new ResiliencePipelineBuilder()
                            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 })
                            .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                            .{|#0:Build()|};
                """;
            await V8(members)
                .Expect(Diagnostic().WithMessage("Pipeline built by ResiliencePipelineBuilder retries or breaks circuits but has no timeout; add AddTimeout(...) so a hung call gives up"))
                .VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_GenericBuilderWithRetryOnly_ReportsWithTypeArgument()
        {
            const string members = """
                    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry(new RetryStrategyOptions<HttpResponseMessage> { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200) })
                        .{|#0:Build()|};
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline built by ResiliencePipelineBuilder<HttpResponseMessage>", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_CircuitBreakerOnly_Reports()
        {
            await V8("    public static ResiliencePipeline P() => new ResiliencePipelineBuilder { Name = \"stock\" }.AddCircuitBreaker(new CircuitBreakerStrategyOptions()).{|#0:Build()|};")
                .Expect(Diagnostic().WithArguments("Pipeline built by ResiliencePipelineBuilder", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_TimeoutAfterRetry_NoDiagnostic()
        {
            await V8("    public static ResiliencePipeline P() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(2)).Build();")
                .VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_TimeoutBeforeRetry_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline P() => new ResiliencePipelineBuilder()
                        .AddTimeout(new Polly.Timeout.TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(10) })
                        .AddRetry(new RetryStrategyOptions())
                        .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                        .Build();
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_NoRetryNorCircuitBreaker_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline<int> Fallback() => new ResiliencePipelineBuilder<int>()
                        .AddFallback(new Polly.Fallback.FallbackStrategyOptions<int> { FallbackAction = _ => Outcome.FromResultAsValueTask(0) })
                        .Build();

                    public static ResiliencePipeline Empty() => new ResiliencePipelineBuilder().Build();
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_WithAddPipelineOrCustomStrategy_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline Nested(ResiliencePipeline shared) =>
                        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddPipeline(shared).Build();
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_ProjectExtensionMethod_NoDiagnostic()
        {
            const string source = V8Usings + """
                public static class BuilderExtensions
                {
                    public static ResiliencePipelineBuilder AddCompanyDefaults(this ResiliencePipelineBuilder builder) => builder;
                }

                public static class Pipelines
                {
                    public static ResiliencePipeline P() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddCompanyDefaults().Build();
                }
                """;
            await Create(source, PollyV8).VerifyAsync();
        }

        [Fact]
        public async Task InnerPipelineNestedInOuterWithTimeout_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline P() => new ResiliencePipelineBuilder()
                        .AddTimeout(TimeSpan.FromSeconds(5))
                        .AddPipeline(new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build())
                        .Build();
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task BuilderFromParameterOrFactory_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline FromParameter(ResiliencePipelineBuilder builder) => builder.AddRetry(new RetryStrategyOptions()).Build();

                    // A factory whose builder depends on which of its returns runs (one that returns a single chain is followed).
                    private static ResiliencePipelineBuilder Create(string name)
                    {
                        if (name.Length == 0)
                        {
                            return new ResiliencePipelineBuilder();
                        }

                        return new ResiliencePipelineBuilder { Name = name };
                    }

                    public static ResiliencePipeline FromFactory() => Create("orders").AddRetry(new RetryStrategyOptions()).Build();
                """;
            await V8(members).VerifyAsync();
        }

        // ---- Polly v8: a local builder ----

        [Fact]
        public async Task LocalBuilder_RetryInStatements_ReportsOnBuildWithVariableName()
        {
            const string members = """
                    public static ResiliencePipeline<HttpResponseMessage> Catalog()
                    {
                        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
                        builder.InstanceName = "catalog";
                        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage> { MaxRetryAttempts = 4 });
                        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>());
                        return builder.{|#0:Build()|};
                    }
                """;
            await V8(members)
                .Expect(Diagnostic().WithMessage("Pipeline built by 'builder' (ResiliencePipelineBuilder<HttpResponseMessage>) retries or breaks circuits but has no timeout; add AddTimeout(...) so a hung call gives up"))
                .VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_InitializedWithChain_Reports()
        {
            const string members = """
                    public static ResiliencePipeline P()
                    {
                        ResiliencePipelineBuilder b = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions());
                        var pipeline = b.{|#0:Build()|};
                        return pipeline;
                    }
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline built by 'b' (ResiliencePipelineBuilder)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_TimeoutInAnotherStatement_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline P(bool slow)
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddRetry(new RetryStrategyOptions());
                        if (slow)
                        {
                            b.AddTimeout(TimeSpan.FromSeconds(30));
                        }
                        else
                        {
                            b.AddTimeout(TimeSpan.FromSeconds(3));
                        }

                        return b.Build();
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_TimeoutChainedBeforeBuild_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline P()
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddRetry(new RetryStrategyOptions());
                        return b.AddTimeout(TimeSpan.FromSeconds(3)).Build();
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_PassedToHelper_NoDiagnostic()
        {
            const string members = """
                    private static void AddDefaults(ResiliencePipelineBuilder builder) { }

                    public static ResiliencePipeline P()
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddRetry(new RetryStrategyOptions());
                        AddDefaults(b);
                        return b.Build();
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_StoredInFieldOrAliased_NoDiagnostic()
        {
            const string members = """
                    private ResiliencePipelineBuilder? _last;

                    public ResiliencePipeline Stored()
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddRetry(new RetryStrategyOptions());
                        _last = b;
                        return b.Build();
                    }

                    public ResiliencePipeline Aliased()
                    {
                        var b = new ResiliencePipelineBuilder();
                        var same = b.AddRetry(new RetryStrategyOptions());
                        return b.Build();
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_UsedInsideLambda_NoDiagnostic()
        {
            const string members = """
                    public static ResiliencePipeline P()
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddRetry(new RetryStrategyOptions());
                        Action addTimeout = () => b.AddTimeout(TimeSpan.FromSeconds(1));
                        addTimeout();
                        return b.Build();
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_InLocalFunction_Reports()
        {
            const string members = """
                    public static ResiliencePipeline P()
                    {
                        return Make();

                        static ResiliencePipeline Make()
                        {
                            var b = new ResiliencePipelineBuilder();
                            b.AddRetry(new RetryStrategyOptions());
                            return b.{|#0:Build()|};
                        }
                    }
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline built by 'b' (ResiliencePipelineBuilder)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task FluentChain_InsideServiceRegistrationLambda_Reports()
        {
            const string members = """
                    public static void Register(IServiceCollection services) =>
                        services.AddSingleton(_ => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).{|#0:Build()|});
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline built by ResiliencePipelineBuilder", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task TopLevelStatements_LocalBuilder_Reports()
        {
            const string source = V8Usings + """
                var builder = new ResiliencePipelineBuilder();
                builder.AddRetry(new RetryStrategyOptions());
                var pipeline = builder.{|#0:Build()|};
                await pipeline.ExecuteAsync(async token => await Task.Delay(10, token));
                """;
            var test = Create(source, PollyV8);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.Expect(Diagnostic().WithArguments("Pipeline built by 'builder' (ResiliencePipelineBuilder)", V8Fix)).VerifyAsync();
        }

        // ---- Polly v8: lambdas that configure a builder ----

        [Fact]
        public async Task AddResiliencePipeline_RetryAndBreakerWithoutTimeout_ReportsOnRegistration()
        {
            const string members = """
                    public static void Register(IServiceCollection services)
                    {
                        services.{|#0:AddResiliencePipeline("orders-db", (builder, context) =>
                        {
                            builder.AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 5 })
                                   .AddCircuitBreaker(new CircuitBreakerStrategyOptions { FailureRatio = 0.5 });
                        })|};
                    }
                """;
            await V8(members)
                .Expect(Diagnostic().WithMessage("Pipeline 'orders-db' (AddResiliencePipeline) retries or breaks circuits but has no timeout; add AddTimeout(...) so a hung call gives up"))
                .VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipeline_GenericExpressionLambda_Reports()
        {
            const string members = """
                    public const string Key = "payments";

                    public static void Register(IServiceCollection services) =>
                        services.{|#0:AddResiliencePipeline<string, HttpResponseMessage>(Key, builder => builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>()))|};
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline 'payments' (AddResiliencePipeline)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipeline_WithTimeout_NoDiagnostic()
        {
            const string members = """
                    public static void Register(IServiceCollection services)
                    {
                        services.AddResiliencePipeline("orders-db", builder =>
                        {
                            builder.AddRetry(new RetryStrategyOptions());
                            builder.AddTimeout(TimeSpan.FromSeconds(2));
                        });
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipeline_MethodGroupOrHelper_NoDiagnostic()
        {
            const string members = """
                    private static void Configure(ResiliencePipelineBuilder builder) => builder.AddRetry(new RetryStrategyOptions());

                    private static void AddTimeouts(ResiliencePipelineBuilder builder) { }

                    public static void Register(IServiceCollection services)
                    {
                        services.AddResiliencePipeline("a", Configure);
                        services.AddResiliencePipeline("b", builder =>
                        {
                            builder.AddRetry(new RetryStrategyOptions());
                            AddTimeouts(builder);
                        });
                    }
                """;
            await V8(members).VerifyAsync();
        }

        [Fact]
        public async Task RegistryTryAddBuilderAndGetOrAddPipeline_Report()
        {
            const string members = """
                    public static ResiliencePipeline Register(Polly.Registry.ResiliencePipelineRegistry<string> registry)
                    {
                        registry.{|#0:TryAddBuilder("inventory", (builder, context) => builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions()))|};
                        return registry.{|#1:GetOrAddPipeline("pricing", builder => builder.AddRetry(new RetryStrategyOptions()))|};
                    }
                """;
            await V8(members)
                .Expect(Diagnostic(0).WithArguments("Pipeline 'inventory' (TryAddBuilder)", V8Fix), Diagnostic(1).WithArguments("Pipeline 'pricing' (GetOrAddPipeline)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipelinesContext_ReportsTheInnerRegistration()
        {
            const string members = """
                    public static void Register(IServiceCollection services) =>
                        services.AddResiliencePipelines<string>(context =>
                        {
                            context.{|#0:AddResiliencePipeline("basket", (builder, _) => builder.AddRetry(new RetryStrategyOptions()))|};
                            context.AddResiliencePipeline("ordering", (builder, _) => builder.AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(3)));
                        });
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline 'basket' (AddResiliencePipeline)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipeline_EnumKeyAndBuilderSettings_ReportsWithKeyExpression()
        {
            const string source = V8Usings + """
                public enum PipelineKey { Catalog }

                public static class Startup
                {
                    public static void Register(IServiceCollection services) =>
                        services.{|#0:AddResiliencePipeline(PipelineKey.Catalog, builder =>
                        {
                            builder.InstanceName = "catalog";
                            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions());
                        })|};
                }
                """;
            await Create(source, PollyV8)
                .Expect(Diagnostic().WithArguments("Pipeline 'PipelineKey.Catalog' (AddResiliencePipeline)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task HttpClientResilienceHandler_LeftToOps103_NoDiagnostic()
        {
            const string source = V8Usings + """
                public sealed class CatalogClient { public CatalogClient(HttpClient http) { } }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        services.AddHttpClient<CatalogClient>()
                            .AddResilienceHandler("catalog", pipeline => pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions()));
                        services.ConfigureHttpClientDefaults(http => http.AddResilienceHandler("defaults", (pipeline, context) =>
                        {
                            pipeline.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions());
                        }));
                    }
                }
                """;
            await Create(source, PollyV8).VerifyAsync();
        }

        // ---- Polly v7 ----

        [Fact]
        public async Task V7_LocalRetryPolicyExecuted_ReportsOnExecute()
        {
            const string members = """
                    public int Run()
                    {
                        var retry = Policy.Handle<TimeoutException>().WaitAndRetry(3, attempt => TimeSpan.FromSeconds(attempt));
                        return retry.{|#0:Execute(() => Call())|};
                    }
                """;
            await V7(members)
                .Expect(Diagnostic().WithMessage("Retry policy 'retry' retries or breaks circuits but has no timeout; add Policy.Timeout(...) with Policy.Wrap so a hung call gives up"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_AsyncRetryExecutedInSameExpression_Reports()
        {
            const string members = """
                    public Task<int> Run() =>
                        Policy.Handle<HttpRequestException>()
                            .Or<TimeoutException>()
                            .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(100 * attempt))
                            .{|#0:ExecuteAsync(() => CallAsync())|};
                """;
            await V7(members)
                .Expect(Diagnostic().WithArguments("Retry policy 'WaitAndRetryAsync(...)'", "Policy.TimeoutAsync(...) with Policy.WrapAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_CircuitBreakerAndResultPolicies_Report()
        {
            const string members = """
                    public async Task<HttpResponseMessage> Run(HttpClient http)
                    {
                        var breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
                        await breaker.{|#0:ExecuteAsync(() => CallAsync())|};
                        var transient = Polly.Extensions.Http.HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(2, _ => TimeSpan.FromSeconds(1));
                        await transient.{|#1:ExecuteAsync(() => http.GetAsync("http://stock/items"))|};
                        return await Policy<HttpResponseMessage>.Handle<HttpRequestException>().OrResult(r => !r.IsSuccessStatusCode).RetryAsync(2)
                            .{|#2:ExecuteAndCaptureAsync(() => http.GetAsync("http://stock/items"))|}.ContinueWith(t => t.Result.Result);
                    }
                """;
            await V7(members)
                .Expect(
                    Diagnostic(0).WithArguments("Circuit-breaker policy 'breaker'", "Policy.TimeoutAsync(...) with Policy.WrapAsync"),
                    Diagnostic(1).WithArguments("Retry policy 'transient'", "Policy.TimeoutAsync(...) with Policy.WrapAsync"),
                    Diagnostic(2).WithArguments("Retry policy 'RetryAsync(...)'", "Policy.TimeoutAsync(...) with Policy.WrapAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_WrapOfRetryAndBreakerWithoutTimeout_ReportsWrap()
        {
            const string members = """
                    public int Run()
                    {
                        var retry = Policy.Handle<TimeoutException>().Retry(3);
                        var breaker = Policy.Handle<TimeoutException>().CircuitBreaker(2, TimeSpan.FromMinutes(1));
                        var resilience = Policy.Wrap(retry, breaker);
                        return resilience.{|#0:Execute(Call)|};
                    }
                """;
            await V7(members)
                .Expect(Diagnostic().WithArguments("Policy wrap 'resilience'", "Policy.Timeout(...) with Policy.Wrap"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_WrappedWithTimeout_NoDiagnostic()
        {
            const string members = """
                    public async Task<int> Run()
                    {
                        var timeout = Policy.TimeoutAsync(5);
                        var retry = Policy.Handle<TimeoutException>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));
                        var a = await Policy.WrapAsync(retry, timeout).ExecuteAsync(() => CallAsync());
                        var b = await retry.WrapAsync(Policy.TimeoutAsync(2)).ExecuteAsync(() => CallAsync());
                        var c = Policy.Timeout(1).Wrap(Policy.Handle<Exception>().Retry()).Execute(() => Call());
                        return a + b + c;
                    }
                """;
            await V7(members).VerifyAsync();
        }

        [Fact]
        public async Task V7_PolicyFromFieldMethodOrReassigned_NoDiagnostic()
        {
            const string members = """
                    private static readonly Polly.Retry.RetryPolicy Retry = Policy.Handle<Exception>().Retry(2);

                    // Two returns: which policy runs is decided at run time (a helper with one return is followed).
                    private static ISyncPolicy Resilience()
                    {
                        if (DateTime.Now.Hour > 12)
                        {
                            return Policy.Handle<Exception>().Retry(2);
                        }

                        return Policy.Timeout(3);
                    }

                    public int Run(bool wrap)
                    {
                        var local = Policy.Handle<Exception>().Retry(2);
                        ISyncPolicy policy = local;
                        if (wrap)
                        {
                            policy = Policy.Wrap(Policy.Timeout(3), local);
                        }

                        return Retry.Execute(Call) + Resilience().Execute(Call) + policy.Execute(Call);
                    }
                """;
            await V7(members).VerifyAsync();
        }

        [Fact]
        public async Task V7_ExecutedWithTokenFromLocalTokenSource_NoDiagnostic()
        {
            const string members = """
                    public async Task<string> Run(HttpClient http, System.Threading.CancellationToken requestAborted)
                    {
                        var retry = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));
                        using var deadline = System.Threading.CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
                        deadline.CancelAfter(TimeSpan.FromSeconds(5));
                        var bounded = await retry.ExecuteAsync(token => http.GetStringAsync("http://basket/items", token), deadline.Token);
                        var unbounded = await retry.{|#0:ExecuteAsync(token => http.GetStringAsync("http://basket/items", token), requestAborted)|};
                        return bounded + unbounded;
                    }
                """;
            await V7(members)
                .Expect(Diagnostic().WithArguments("Retry policy 'retry'", "Policy.TimeoutAsync(...) with Policy.WrapAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_PolicyHandlerOnHttpClientRegistration_LeftToOps103_NoDiagnostic()
        {
            const string source = V7Usings + """
                using Microsoft.Extensions.DependencyInjection;

                public sealed class CatalogClient { public CatalogClient(HttpClient http) { } }

                public static class Startup
                {
                    public static void Configure(IServiceCollection services)
                    {
                        var retry = Policy.Handle<HttpRequestException>().OrResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode).WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
                        services.AddHttpClient<CatalogClient>().AddPolicyHandler(retry);
                        services.AddHttpClient("stock").AddTransientHttpErrorPolicy(p => p.CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)));
                    }
                }
                """;
            await Create(source, PollyV7).VerifyAsync();
        }

        [Fact]
        public async Task V7AndV8Referenced_BothShapesReported()
        {
            const string source = V8Usings + """
                public static class Mixed
                {
                    public static ResiliencePipeline V8() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).{|#0:Build()|};

                    public static void V7() => Policy.Handle<Exception>().Retry(1).{|#1:Execute(() => { })|};
                }
                """;
            await Create(source, BothVersions)
                .Expect(Diagnostic(0).WithArguments("Pipeline built by ResiliencePipelineBuilder", V8Fix), Diagnostic(1).WithArguments("Retry policy 'Retry(...)'", "Policy.Timeout(...) with Policy.Wrap"))
                .VerifyAsync();
        }

        // ---- Policies and builders from a helper: one level into the same compilation ----

        [Fact]
        public async Task V7_PolicyFromExpressionBodiedHelper_ReportsOnExecute()
        {
            const string members = """
                    private static IAsyncPolicy CreatePolicy(int retries) =>
                        Policy.Handle<HttpRequestException>().WaitAndRetryAsync(retries, attempt => TimeSpan.FromSeconds(attempt));

                    public async Task<int> Run()
                    {
                        var policy = CreatePolicy(3);
                        return await policy.{|#0:ExecuteAsync(() => CallAsync())|};
                    }
                """;
            await V7(members)
                .Expect(Diagnostic().WithMessage("Retry policy 'policy' retries or breaks circuits but has no timeout; add Policy.TimeoutAsync(...) with Policy.WrapAsync so a hung call gives up"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_PolicyFromBlockHelperInAnotherFile_ReportsOnExecute()
        {
            const string members = """
                    public Task<int> Run() => Policies.Resilient().{|#0:ExecuteAsync(() => CallAsync())|};
                """;
            const string helper = """
                using System;
                using System.Net.Http;
                using Polly;

                internal static class Policies
                {
                    public static IAsyncPolicy Resilient()
                    {
                        var retry = Policy.Handle<HttpRequestException>().RetryAsync(3);
                        var breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
                        return Policy.WrapAsync(retry, breaker);
                    }
                }
                """;
            var test = V7(members);
            test.TestState.Sources.Add(("/0/Policies.cs", helper));
            await test
                .Expect(Diagnostic().WithArguments("Policy wrap 'Resilient(...)'", "Policy.TimeoutAsync(...) with Policy.WrapAsync"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_PolicyFromExpressionBodiedProperty_ReportsOnExecute()
        {
            const string members = """
                    private static ISyncPolicy Breaker => Policy.Handle<TimeoutException>().CircuitBreaker(2, TimeSpan.FromMinutes(1));

                    public int Run() => Breaker.{|#0:Execute(() => Call())|};
                """;
            await V7(members)
                .Expect(Diagnostic().WithArguments("Circuit-breaker policy 'Breaker'", "Policy.Timeout(...) with Policy.Wrap"))
                .VerifyAsync();
        }

        [Fact]
        public async Task V7_HelperPolicyWithTimeoutInsideOrAtTheUseSite_NoDiagnostic()
        {
            const string members = """
                    private static IAsyncPolicy Bounded() =>
                        Policy.WrapAsync(Policy.TimeoutAsync(5), Policy.Handle<HttpRequestException>().RetryAsync(3));

                    private static IAsyncPolicy Retry() => Policy.Handle<HttpRequestException>().RetryAsync(3);

                    public async Task<int> Run()
                    {
                        await Bounded().ExecuteAsync(() => CallAsync());
                        var wrapped = Policy.WrapAsync(Policy.TimeoutAsync(5), Retry());
                        return await wrapped.ExecuteAsync(() => CallAsync());
                    }
                """;
            await V7(members).VerifyAsync();
        }

        [Fact]
        public async Task V7_HelperWithSeveralReturnsTwoLevelsDeepOrVirtual_NoDiagnostic()
        {
            const string members = """
                    private static IAsyncPolicy Choose(bool fast)
                    {
                        if (fast)
                        {
                            return Policy.Handle<HttpRequestException>().RetryAsync(1);
                        }

                        return Policy.Handle<HttpRequestException>().RetryAsync(3);
                    }

                    private static IAsyncPolicy Inner() => Policy.Handle<HttpRequestException>().RetryAsync(3);

                    private static IAsyncPolicy Outer() => Inner();

                    protected virtual IAsyncPolicy Overridable() => Policy.Handle<HttpRequestException>().RetryAsync(3);

                    public async Task<int> Run()
                    {
                        await Choose(true).ExecuteAsync(() => CallAsync());
                        await Outer().ExecuteAsync(() => CallAsync());
                        return await Overridable().ExecuteAsync(() => CallAsync());
                    }
                """;
            // Not sealed: the virtual helper may be overridden.
            await Create(V7Usings + "public class Work\n{\n    private static Task<int> CallAsync() => Task.FromResult(1);\n" + members + "\n}\n", PollyV7).VerifyAsync();
        }

        [Fact]
        public async Task V7_HelperInAnotherAssembly_NoDiagnostic()
        {
            const string members = """
                    public Task<int> Run() => Shared.Policies.Retry().ExecuteAsync(() => CallAsync());
                """;
            var test = V7(members);
            var library = test.TestState.AdditionalProjects["Shared"];
            library.Sources.Add(("/shared/Policies.cs", """
                using System.Net.Http;
                using Polly;

                namespace Shared
                {
                    public static class Policies
                    {
                        public static IAsyncPolicy Retry() => Policy.Handle<HttpRequestException>().RetryAsync(3);
                    }
                }
                """));
            library.ReferenceAssemblies = References.None;
            library.AdditionalReferences.AddRange(References.Runtime(PollyV7));
            test.TestState.AdditionalProjectReferences.Add("Shared");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task V8_BuilderFromHelper_ReportsOnBuildAtTheUseSite()
        {
            const string members = """
                    private static ResiliencePipelineBuilder CreateBuilder() =>
                        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 });

                    private static ResiliencePipelineBuilder Breaking
                    {
                        get { return new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()); }
                    }

                    private static ResiliencePipelineBuilder Create() => new ResiliencePipelineBuilder();

                    public static ResiliencePipeline Orders() => CreateBuilder().{|#0:Build()|};

                    public static ResiliencePipeline FromFactory() => Create().AddRetry(new RetryStrategyOptions()).{|#2:Build()|};

                    public static ResiliencePipeline Stock()
                    {
                        var builder = Breaking;
                        builder.AddRetry(new RetryStrategyOptions());
                        return builder.{|#1:Build()|};
                    }
                """;
            await V8(members)
                .Expect(
                    Diagnostic(0).WithMessage("Pipeline built by CreateBuilder(...) (ResiliencePipelineBuilder) retries or breaks circuits but has no timeout; add AddTimeout(...) so a hung call gives up"),
                    Diagnostic(1).WithArguments("Pipeline built by 'builder' (ResiliencePipelineBuilder)", V8Fix),
                    Diagnostic(2).WithArguments("Pipeline built by Create(...) (ResiliencePipelineBuilder)", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task V8_PipelineBuiltInHelper_ReportedOnceInTheHelperNotAtItsUses()
        {
            const string members = """
                    private static ResiliencePipeline CreatePipeline() =>
                        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).{|#0:Build()|};

                    public static async Task Run()
                    {
                        var pipeline = CreatePipeline();
                        await pipeline.ExecuteAsync(_ => default);
                        await CreatePipeline().ExecuteAsync(_ => default);
                    }
                """;
            await V8(members)
                .Expect(Diagnostic().WithArguments("Pipeline built by ResiliencePipelineBuilder", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task V8_HelperBuilderWithTimeoutSeveralReturnsOrTwoLevels_NoDiagnostic()
        {
            const string members = """
                    private static ResiliencePipelineBuilder Bounded() =>
                        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(2));

                    private static ResiliencePipelineBuilder Inner() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions());

                    private static ResiliencePipelineBuilder Outer() => Inner().AddCircuitBreaker(new CircuitBreakerStrategyOptions());

                    private static ResiliencePipelineBuilder Choose(bool fast)
                    {
                        if (fast)
                        {
                            return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions());
                        }

                        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(2));
                    }

                    public static ResiliencePipeline A() => Bounded().Build();

                    public static ResiliencePipeline B() => Outer().Build();

                    public static ResiliencePipeline C() => Choose(true).Build();
                """;
            await V8(members).VerifyAsync();
        }

        // ---- Look-alikes, scope, robustness ----

        [Fact]
        public async Task EfCoreStyleEnableRetryOnFailure_NoDiagnostic()
        {
            const string source = V8Usings + """
                public sealed class SqlServerOptionsBuilder
                {
                    public SqlServerOptionsBuilder EnableRetryOnFailure(int maxRetryCount = 6) => this;
                    public SqlServerOptionsBuilder Build() => this;
                }

                public sealed class RetryPolicy
                {
                    public RetryPolicy WaitAndRetry(int count) => this;
                    public T Execute<T>(Func<T> action) => action();
                }

                public static class Data
                {
                    public static void Configure()
                    {
                        new SqlServerOptionsBuilder().EnableRetryOnFailure(5).Build();
                        new RetryPolicy().WaitAndRetry(3).Execute(() => 1);
                    }
                }
                """;
            await Create(source, PollyV8).VerifyAsync();
        }

        [Fact]
        public async Task PollyNotReferenced_LookAlikeBuilder_NoDiagnostic()
        {
            const string source = """
                namespace Polly
                {
                    public sealed class ResiliencePipelineBuilder
                    {
                        public ResiliencePipelineBuilder AddRetry(object options) => this;
                        public object Build() => this;
                    }
                }

                public static class Use
                {
                    public static object P() => new Polly.ResiliencePipelineBuilder().AddRetry(new object()).Build();
                }
                """;
            await Create(source, new string[0]).VerifyAsync();
        }

        [Fact]
        public async Task TestProject_NoDiagnostic_UnlessIncluded()
        {
            const string members = "    public static ResiliencePipeline P() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).{|#0:Build()|};";
            await V8(members.Replace("{|#0:", string.Empty).Replace("|}", string.Empty)).WithProperty("IsTestProject", "true").VerifyAsync();
            await V8(members)
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .Expect(Diagnostic().WithArguments("Pipeline built by ResiliencePipelineBuilder", V8Fix))
                .VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_NoDiagnostic()
        {
            var test = Create(string.Empty, PollyV8);
            test.TestState.Sources.Clear();
            test.TestState.Sources.Add(("/0/Pipelines.g.cs", "// <auto-generated/>\n" + V8Usings + "public static class Generated { public static ResiliencePipeline P() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build(); }"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_NoCrash()
        {
            const string members = """
                    public static ResiliencePipeline P()
                    {
                        var b = new ResiliencePipelineBuilder(;
                        b.AddRetry(;
                        services.AddResiliencePipeline("x", (builder, ) => builder.AddRetry(
                        Policy.Handle<Exception>().Retry(.Execute(
                        return b.Build(
                    }
                """;
            var test = V8(members);
            test.TestState.AdditionalReferences.Clear();
            test.TestState.AdditionalReferences.AddRange(References.Runtime(BothVersions));
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.VerifyAsync();
        }
    }
}
