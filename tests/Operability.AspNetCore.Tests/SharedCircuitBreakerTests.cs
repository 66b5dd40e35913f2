using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The premise of rule OPS407, checked against the real IHttpClientFactory and Microsoft.Extensions.Http.Resilience:
/// a circuit breaker added in <c>ConfigureHttpClientDefaults</c> is one breaker for every client, so a failing
/// dependency behind client A opens the circuit for client B, whose dependency is healthy. Per-client handlers and
/// <c>SelectPipelineByAuthority()</c> are the controls: they keep one breaker per client or per host.
/// </summary>
public sealed class SharedCircuitBreakerTests
{
    private static readonly Uri Failing = new("http://failing.test/");
    private static readonly Uri Healthy = new("http://healthy.test/");

    [Fact]
    public async Task StandardHandlerInDefaults_FailuresBehindOneClient_OpenTheCircuitForTheOther()
    {
        ServiceCollection services = Clients(defaults => defaults.AddStandardResilienceHandler(LowThreshold));

        await using ServiceProvider provider = services.BuildServiceProvider();
        await OpenCircuitAsync(provider, "failing");

        HttpClient healthy = provider.GetRequiredService<IHttpClientFactory>().CreateClient("healthy");
        await Assert.ThrowsAsync<BrokenCircuitException>(() => healthy.GetAsync("status"));
    }

    [Fact]
    public async Task NamedResilienceHandlerInDefaults_FailuresBehindOneClient_OpenTheCircuitForTheOther()
    {
        ServiceCollection services = Clients(defaults => defaults.AddResilienceHandler("breaker", pipeline =>
            pipeline.AddCircuitBreaker(LowThresholdBreaker())));

        await using ServiceProvider provider = services.BuildServiceProvider();
        await OpenCircuitAsync(provider, "failing");

        HttpClient healthy = provider.GetRequiredService<IHttpClientFactory>().CreateClient("healthy");
        await Assert.ThrowsAsync<BrokenCircuitException>(() => healthy.GetAsync("status"));
    }

    [Fact]
    public async Task TypedClientsWithStandardHandlerInDefaults_ShareOneBreaker()
    {
        FakePrimaryHandler primary = new();
        ServiceCollection services = new();
        services.ConfigureHttpClientDefaults(defaults =>
        {
            defaults.ConfigurePrimaryHttpMessageHandler(() => primary);
            defaults.AddStandardResilienceHandler(LowThreshold);
        });
        services.AddHttpClient<FailingClient>(client => client.BaseAddress = Failing);
        services.AddHttpClient<HealthyClient>(client => client.BaseAddress = Healthy);

        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient failing = provider.GetRequiredService<FailingClient>().Http;
        await OpenCircuitAsync(failing);

        HttpClient healthy = provider.GetRequiredService<HealthyClient>().Http;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => healthy.GetAsync("status"));
    }

    [Fact]
    public async Task StandardHandlerInDefaults_SelectPipelineByAuthority_KeepsTheOtherClientsCircuitClosed()
    {
        ServiceCollection services = Clients(defaults =>
            defaults.AddStandardResilienceHandler(LowThreshold).SelectPipelineByAuthority());

        await using ServiceProvider provider = services.BuildServiceProvider();
        await OpenCircuitAsync(provider, "failing");

        HttpClient healthy = provider.GetRequiredService<IHttpClientFactory>().CreateClient("healthy");
        using HttpResponseMessage response = await healthy.GetAsync("status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StandardHandlerPerClient_KeepsTheOtherClientsCircuitClosed()
    {
        FakePrimaryHandler primary = new();
        ServiceCollection services = new();
        services.ConfigureHttpClientDefaults(defaults => defaults.ConfigurePrimaryHttpMessageHandler(() => primary));
        services.AddHttpClient("failing", client => client.BaseAddress = Failing).AddStandardResilienceHandler(LowThreshold);
        services.AddHttpClient("healthy", client => client.BaseAddress = Healthy).AddStandardResilienceHandler(LowThreshold);

        await using ServiceProvider provider = services.BuildServiceProvider();
        await OpenCircuitAsync(provider, "failing");

        HttpClient healthy = provider.GetRequiredService<IHttpClientFactory>().CreateClient("healthy");
        using HttpResponseMessage response = await healthy.GetAsync("status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static ServiceCollection Clients(Action<IHttpClientBuilder> defaults)
    {
        FakePrimaryHandler primary = new();
        ServiceCollection services = new();
        services.ConfigureHttpClientDefaults(builder =>
        {
            builder.ConfigurePrimaryHttpMessageHandler(() => primary);
            defaults(builder);
        });
        services.AddHttpClient("failing", client => client.BaseAddress = Failing);
        services.AddHttpClient("healthy", client => client.BaseAddress = Healthy);
        return services;
    }

    private static Task OpenCircuitAsync(ServiceProvider provider, string name) =>
        OpenCircuitAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient(name));

    // Failing calls until the breaker refuses one: bounded, and it proves the circuit really opened for this client.
    private static async Task OpenCircuitAsync(HttpClient failing)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                using HttpResponseMessage response = await failing.GetAsync("status");
                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            }
            catch (BrokenCircuitException)
            {
                return;
            }
        }

        Assert.Fail("The failing client's circuit never opened.");
    }

    private static void LowThreshold(HttpStandardResilienceOptions options)
    {
        // One attempt per call, so the breaker counts calls; the break is long enough to outlast the test.
        options.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        options.CircuitBreaker = LowThresholdBreaker();
    }

    private static HttpCircuitBreakerStrategyOptions LowThresholdBreaker() => new()
    {
        MinimumThroughput = 2,
        FailureRatio = 0.5,
        SamplingDuration = TimeSpan.FromMinutes(1),
        BreakDuration = TimeSpan.FromMinutes(1),
    };

    /// <summary>The two dependencies: every call to failing.test answers 500, every call to healthy.test 200.</summary>
    private sealed class FakePrimaryHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(request.RequestUri!.Host == Failing.Host
                ? HttpStatusCode.InternalServerError
                : HttpStatusCode.OK) { RequestMessage = request });
    }

    private sealed class FailingClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    private sealed class HealthyClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }
}
