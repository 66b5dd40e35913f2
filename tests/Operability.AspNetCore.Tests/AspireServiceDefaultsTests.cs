using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.Timeout;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// A service that starts from Aspire's ServiceDefaults (a standard resilience handler and service discovery on
/// every client through ConfigureHttpClientDefaults) and then adds Operability: its dependency clients run one
/// pipeline, Operability's, and still resolve through service discovery.
/// </summary>
public sealed class AspireServiceDefaultsTests : IAsyncLifetime
{
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServiceDefaults_DependencyClientHasExactlyOneResiliencePipeline(bool defaultsFirst)
    {
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:02"), new(), defaultsFirst);

        HttpMessageHandler handler = service.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("payments");

        Assert.Equal(1, Count<ResilienceHandler>(handler));

        // Clients that are not dependencies keep what the defaults gave them.
        HttpMessageHandler other = service.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("weather");
        Assert.Equal(1, Count<ResilienceHandler>(other));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServiceDefaults_FailingGet_TheDependencySeesRetriesPlusOneAttempts(bool defaultsFirst)
    {
        _payments.Mode = FakeMode.Fail;
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:05"), new()
        {
            ["Operability:Dependencies:payments:Retries"] = "2",
            ["Operability:Dependencies:payments:RetryBaseDelay"] = "00:00:00.010",
        }, defaultsFirst);
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");

        using HttpResponseMessage response = await client.GetAsync("status");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(3, _payments.Count("GET"));
    }

    [Fact]
    public async Task ServiceDefaults_SlowDependency_TheManifestsTimeoutApplies()
    {
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:00.600"), new()
        {
            ["Operability:Dependencies:payments:Retries"] = "0",
        }, defaultsFirst: true);
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");
        // One quick call first: on a busy machine the first call's start-up (JIT, connection) could use up the 500 ms
        // before the request reaches the fake, and then no call would be counted at all.
        using (HttpResponseMessage warm = await client.GetAsync("status"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        _payments.Mode = FakeMode.Slow;
        _payments.SlowDelay = TimeSpan.FromSeconds(10);

        TimeoutRejectedException timeout = await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.GetAsync("status"));

        // Operability's attempt (500 ms, the target's) or total timeout (the manifest's 600 ms) decided, not the
        // standard handler's 10 s attempt and 30 s total; and its retries did not send the call again.
        Assert.Contains(timeout.Timeout, new[] { TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(600) });
        Assert.Equal(2, _payments.Count("GET"));
    }

    [Fact]
    public async Task ServiceDiscovery_HttpsPlusHttpBaseAddress_ResolvesThroughConfiguration()
    {
        await using KestrelService service = await StartAsync(Manifests.WithDependency("00:00:02"), new()
        {
            ["Operability:Dependencies:payments:BaseAddress"] = "https+http://payments",
            ["Services:payments:http:0"] = "http://" + _payments.Address.Authority,
        }, defaultsFirst: true);
        HttpClient client = service.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments");

        using HttpResponseMessage response = await client.GetAsync("status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _payments.Count("GET"));
    }

    /// <summary>The shape of Aspire's ServiceDefaults <c>AddServiceDefaults()</c>, as far as HttpClients go.</summary>
    private static void AddServiceDefaults(WebApplicationBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
    }

    private static int Count<THandler>(HttpMessageHandler handler)
    {
        int count = 0;
        for (HttpMessageHandler? current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            if (current is THandler)
            {
                count++;
            }
        }

        return count;
    }

    private async Task<KestrelService> StartAsync(string manifest, Dictionary<string, string?> settings, bool defaultsFirst)
    {
        settings.TryAdd("Operability:Dependencies:payments:BaseAddress", _payments.Address.ToString());
        return await KestrelService.StartAsync(
            new ContentRoot(manifest),
            settings,
            configure: defaultsFirst ? null : AddServiceDefaults,
            beforeOperability: defaultsFirst ? AddServiceDefaults : null);
    }
}
