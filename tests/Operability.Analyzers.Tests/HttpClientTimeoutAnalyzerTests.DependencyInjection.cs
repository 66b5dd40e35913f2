using System.Threading.Tasks;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.HttpClientTimeoutAnalyzer>;

namespace Operability.Analyzers.Tests
{
    /// <summary>Clients a DI factory lambda creates and hands to the container: nothing else can configure them.</summary>
    public sealed partial class HttpClientTimeoutAnalyzerTests
    {
        private static Test WithDependencyInjection(string body)
        {
            var source = """
                using System;
                using System.Net.Http;
                using Microsoft.Extensions.DependencyInjection;
                using Microsoft.Extensions.DependencyInjection.Extensions;

                public static class Registrations
                {
                    public static void Add(IServiceCollection services)
                    {

                """ + body + """

                    }

                    private static HttpClient Configure(HttpClient client) => client;

                    private static void Register(Func<IServiceProvider, HttpClient> factory) => factory(null!);
                }
                """;
            var test = new Test { TestCode = source, ReferenceAssemblies = References.None };
            test.TestState.AdditionalReferences.AddRange(References.Runtime(References.HttpClientFactory));
            return test;
        }

        [Fact]
        public async Task ReturnedFromAddScopedFactoryLambda_WithBaseAddressOnly_ReportsDiagnostic()
        {
            await WithDependencyInjection("""
                        services.AddScoped(sp => {|#0:new HttpClient { BaseAddress = new Uri("http://basket-api") }|});
                """)
                .Expect(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(RuleDescriptors.HttpClientWithoutTimeout).WithLocation(0)
                    .WithMessage("'new HttpClient()' is created without a Timeout and waits up to the 100-second default; set Timeout, or use IHttpClientFactory with a resilience handler"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ReturnedFromSingletonTransientAndTryAddFactories_ReportsEach()
        {
            await WithDependencyInjection("""
                        services.AddSingleton<HttpClient>(_ => {|#0:new HttpClient()|});
                        services.AddTransient(sp => { return {|#1:new HttpClient { BaseAddress = new Uri("http://ordering-api") }|}; });
                        services.TryAddSingleton(sp => {|#2:new HttpClient(new SocketsHttpHandler())|});
                        services.TryAddScoped<HttpClient>(sp => {|#3:new HttpClient()|});
                        services.AddKeyedSingleton("catalog", (sp, key) => {|#4:new HttpClient()|});
                """)
                .Expect(Ops101(0, "new HttpClient()"), Ops101(1, "new HttpClient()"), Ops101(2, "new HttpClient()"), Ops101(3, "new HttpClient()"), Ops101(4, "new HttpClient()"))
                .VerifyAsync();
        }

        [Fact]
        public async Task LocalReturnedFromFactoryLambda_WithoutTimeout_ReportsDiagnosticWithLocalName()
        {
            await WithDependencyInjection("""
                        services.AddSingleton(sp =>
                        {
                            var client = {|#0:new HttpClient()|};
                            client.BaseAddress = new Uri("http://identity-api");
                            return client;
                        });
                """)
                .Expect(Ops101(0, "client"))
                .VerifyAsync();
        }

        [Fact]
        public async Task ReturnedFromFactoryLambda_WithTimeout_NoDiagnostic()
        {
            await WithDependencyInjection("""
                        services.AddScoped(sp => new HttpClient { BaseAddress = new Uri("http://basket-api"), Timeout = TimeSpan.FromSeconds(5) });
                        services.AddSingleton(sp =>
                        {
                            var client = new HttpClient();
                            client.Timeout = TimeSpan.FromSeconds(5);
                            return client;
                        });
                """)
                .VerifyAsync();
        }

        [Fact]
        public async Task ReturnedFromLambdaThatIsNotAContainerFactory_NoDiagnostic()
        {
            // Whoever receives these clients may configure them: an in-house registration helper, a method that
            // wraps the client before it reaches the container, a lambda that is only stored.
            await WithDependencyInjection("""
                        Register(sp => new HttpClient());
                        services.AddScoped(sp => Configure(new HttpClient()));
                        Func<IServiceProvider, HttpClient> factory = sp => new HttpClient();
                        services.AddScoped(factory);
                """)
                .VerifyAsync();
        }
    }
}
