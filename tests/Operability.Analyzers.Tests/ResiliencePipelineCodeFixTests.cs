using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Operability.Analyzers.CodeFixes;
using Xunit;

namespace Operability.Analyzers.Tests
{
    public sealed class ResiliencePipelineCodeFixTests
    {
        private const string Usings = "using System;\nusing Microsoft.Extensions.DependencyInjection;\nusing Polly;\nusing Polly.CircuitBreaker;\nusing Polly.Retry;\n";

        private static CodeFixTest<ResiliencePipelineAnalyzer, ResiliencePipelineCodeFix> Test(string before, string after, string[]? references = null)
        {
            var test = new CodeFixTest<ResiliencePipelineAnalyzer, ResiliencePipelineCodeFix>
            {
                TestCode = before,
                FixedCode = after,
                ReferenceAssemblies = References.None,
            };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(references ?? References.HttpResilience));
            return test;
        }

        private static string Members(string members) => Usings + "\npublic static class Pipelines\n{\n" + members + "}\n";

        [Fact]
        public async Task FluentChainOnePerLine_AddsTimeoutOnItsOwnLineBeforeBuild()
        {
            const string before = """
                    public static ResiliencePipeline Orders() =>
                        new ResiliencePipelineBuilder()
                            .AddRetry(new RetryStrategyOptions())
                            .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                            .[|Build()|];

                """;
            const string after = """
                    public static ResiliencePipeline Orders() =>
                        new ResiliencePipelineBuilder()
                            .AddRetry(new RetryStrategyOptions())
                            .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                            .AddTimeout(TimeSpan.FromSeconds(10))
                            .Build();

                """;
            await Test(Members(before), Members(after)).VerifyAsync();
        }

        [Fact]
        public async Task FluentChainOnOneLine_AddsTimeoutBeforeBuild()
        {
            await Test(
                Members("    public static ResiliencePipeline P() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).[|Build()|];\n"),
                Members("    public static ResiliencePipeline P() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(10)).Build();\n"))
                .VerifyAsync();
        }

        [Fact]
        public async Task BuilderFromHelper_AddsTimeoutBeforeBuildAtTheUseSite()
        {
            const string before = """
                    private static ResiliencePipelineBuilder CreateBuilder() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions());

                    public static ResiliencePipeline P() => CreateBuilder().[|Build()|];

                """;
            const string after = """
                    private static ResiliencePipelineBuilder CreateBuilder() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions());

                    public static ResiliencePipeline P() => CreateBuilder().AddTimeout(TimeSpan.FromSeconds(10)).Build();

                """;
            await Test(Members(before), Members(after)).VerifyAsync();
        }

        [Fact]
        public async Task LocalBuilder_AddsStatementAfterLastStatementBeforeBuild()
        {
            const string before = """
                    public static ResiliencePipeline Catalog()
                    {
                        var builder = new ResiliencePipelineBuilder();
                        builder.AddRetry(new RetryStrategyOptions());

                        // Built once, shared by every call.
                        return builder.[|Build()|];
                    }

                """;
            const string after = """
                    public static ResiliencePipeline Catalog()
                    {
                        var builder = new ResiliencePipelineBuilder();
                        builder.AddRetry(new RetryStrategyOptions());
                        builder.AddTimeout(TimeSpan.FromSeconds(10));

                        // Built once, shared by every call.
                        return builder.Build();
                    }

                """;
            await Test(Members(before), Members(after)).VerifyAsync();
        }

        [Fact]
        public async Task TopLevelStatements_UsesConfiguredSeconds()
        {
            const string before = Usings + """
                var builder = new ResiliencePipelineBuilder();
                builder.AddRetry(new RetryStrategyOptions());
                var pipeline = builder.[|Build()|];
                pipeline.Execute(() => { });

                """;
            const string after = Usings + """
                var builder = new ResiliencePipelineBuilder();
                builder.AddRetry(new RetryStrategyOptions());
                builder.AddTimeout(TimeSpan.FromSeconds(3));
                var pipeline = builder.Build();
                pipeline.Execute(() => { });

                """;
            var test = Test(before, after);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.EditorConfig.Add("operability.OPS104.default_timeout_seconds = 3");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipelineBlockLambda_AppendsTimeoutStatement()
        {
            const string before = """
                    public static void Register(IServiceCollection services)
                    {
                        services.[|AddResiliencePipeline("orders-db", (pipeline, context) =>
                        {
                            pipeline.AddRetry(new RetryStrategyOptions());
                            pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions());
                        })|];
                    }

                """;
            const string after = """
                    public static void Register(IServiceCollection services)
                    {
                        services.AddResiliencePipeline("orders-db", (pipeline, context) =>
                        {
                            pipeline.AddRetry(new RetryStrategyOptions());
                            pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions());
                            pipeline.AddTimeout(TimeSpan.FromSeconds(10));
                        });
                    }

                """;
            await Test(Members(before), Members(after)).VerifyAsync();
        }

        [Fact]
        public async Task AddResiliencePipelineExpressionLambda_AppendsToChain()
        {
            const string before = """
                    public static void Register(IServiceCollection services)
                    {
                        services.[|AddResiliencePipeline("a", b => b.AddRetry(new RetryStrategyOptions()))|];
                        services.[|AddResiliencePipeline("b", b => b
                            .AddRetry(new RetryStrategyOptions())
                            .AddCircuitBreaker(new CircuitBreakerStrategyOptions()))|];
                    }

                """;
            const string after = """
                    public static void Register(IServiceCollection services)
                    {
                        services.AddResiliencePipeline("a", b => b.AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(10)));
                        services.AddResiliencePipeline("b", b => b
                            .AddRetry(new RetryStrategyOptions())
                            .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                            .AddTimeout(TimeSpan.FromSeconds(10)));
                    }

                """;
            await Test(Members(before), Members(after)).VerifyAsync();
        }

        [Fact]
        public async Task WithoutUsingSystem_QualifiesTimeSpan()
        {
            const string before = "using Polly;\n\npublic static class P\n{\n    public static Polly.ResiliencePipeline Make() => new ResiliencePipelineBuilder().AddRetry(new Polly.Retry.RetryStrategyOptions()).[|Build()|];\n}\n";
            const string after = "using Polly;\n\npublic static class P\n{\n    public static Polly.ResiliencePipeline Make() => new ResiliencePipelineBuilder().AddRetry(new Polly.Retry.RetryStrategyOptions()).AddTimeout(System.TimeSpan.FromSeconds(10)).Build();\n}\n";
            await Test(before, after).VerifyAsync();
        }

        [Fact]
        public async Task FixAll_FixesEveryPipelineInTheDocument()
        {
            const string before = """
                    public static ResiliencePipeline A() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).[|Build()|];

                    public static ResiliencePipeline B()
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddCircuitBreaker(new CircuitBreakerStrategyOptions());
                        return b.[|Build()|];
                    }

                    public static void C(IServiceCollection services) => services.[|AddResiliencePipeline("c", b => b.AddRetry(new RetryStrategyOptions()))|];

                """;
            const string after = """
                    public static ResiliencePipeline A() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(10)).Build();

                    public static ResiliencePipeline B()
                    {
                        var b = new ResiliencePipelineBuilder();
                        b.AddCircuitBreaker(new CircuitBreakerStrategyOptions());
                        b.AddTimeout(TimeSpan.FromSeconds(10));
                        return b.Build();
                    }

                    public static void C(IServiceCollection services) => services.AddResiliencePipeline("c", b => b.AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(10)));

                """;
            var test = Test(Members(before), Members(after));
            test.NumberOfFixAllIterations = 1;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task PollyV7Policy_NoFixOffered()
        {
            const string source = "using System;\nusing Polly;\n\npublic static class Work\n{\n    public static void Run() => Policy.Handle<Exception>().Retry(2).[|Execute(() => { })|];\n}\n";
            await Test(source, source, References.HttpPollyV7).VerifyAsync();
        }
    }
}
