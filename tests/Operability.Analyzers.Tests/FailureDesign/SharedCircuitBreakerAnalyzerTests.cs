using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.FailureDesign.SharedCircuitBreakerAnalyzer>;

namespace Operability.Analyzers.Tests.FailureDesign
{
    public sealed class SharedCircuitBreakerAnalyzerTests
    {
        private const string Usings = "using System;\nusing System.Net.Http;\nusing Microsoft.Extensions.DependencyInjection;\nusing Microsoft.Extensions.Http.Resilience;\nusing Polly;\n";

        private static Test Registration(string body)
        {
            var source = Usings + "public static class Startup\n{\n    public static void Configure(IServiceCollection services)\n    {\n" + body + "\n    }\n}\n";
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.HttpResilience.Concat(new[] { "Microsoft.Extensions.Configuration.Abstractions" }).ToArray()));
            return test;
        }

        private static DiagnosticResult Shared(string handler) =>
            new DiagnosticResult(RuleIds.SharedCircuitBreaker, DiagnosticSeverity.Info).WithLocation(0)
                .WithMessage($"'{handler}' in ConfigureHttpClientDefaults gives every client the same pipeline, so one failing dependency opens the circuit for all; add the handler per client, or call SelectPipelineByAuthority() on it");

        // The .NET Aspire ServiceDefaults shape.
        [Fact]
        public async Task StandardHandlerInDefaults_Reports()
        {
            await Registration("""
                        services.ConfigureHttpClientDefaults(http =>
                        {
                            http.{|#0:AddStandardResilienceHandler()|};
                        });
                """)
                .Expect(Shared("AddStandardResilienceHandler"))
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomPipelineWithBreakerInDefaults_Reports()
        {
            await Registration("        services.ConfigureHttpClientDefaults(http => http.{|#0:AddResilienceHandler(\"defaults\", p => p.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions()))|});")
                .Expect(Shared("AddResilienceHandler"))
                .VerifyAsync();
        }

        [Fact]
        public async Task PipelinePerAuthority_NoDiagnostic()
        {
            await Registration("        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler().SelectPipelineByAuthority());")
                .VerifyAsync();
        }

        [Fact]
        public async Task CustomPipelineWithoutBreakerInDefaults_NoDiagnostic()
        {
            await Registration("        services.ConfigureHttpClientDefaults(http => http.AddResilienceHandler(\"defaults\", p => p.AddTimeout(TimeSpan.FromSeconds(5))));")
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHandlerPerClient_NoDiagnostic()
        {
            await Registration("        services.AddHttpClient(\"github\").AddStandardResilienceHandler();\n        services.AddHttpClient(\"payments\").AddStandardResilienceHandler();")
                .VerifyAsync();
        }

        [Fact]
        public async Task StandardHandlerInOtherLambda_NoDiagnostic()
        {
            await Registration("        Action<IHttpClientBuilder> tune = http => http.AddStandardResilienceHandler();\n        tune(services.AddHttpClient(\"github\"));")
                .VerifyAsync();
        }
    }
}
