using System.Net;
using System.Net.Http.Headers;

namespace OperableService._1.Tests;

/// <summary>The shutter: what users and API clients get while the service is shuttered (see RUNBOOK.md).</summary>
public sealed class ShutterTests
{
    private static ServiceFactory Shuttered() => new(new Dictionary<string, string?>
    {
        ["Operability:Shutter:Enabled"] = "true",
        ["Operability:Shutter:RetryAfterSeconds"] = "120",
    });

    [Fact]
    public async Task Shuttered_ApiClient_Gets503ProblemJson_WithRetryAfter()
    {
        await using var service = Shuttered();
        using var client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Shuttered_Browser_Gets503HtmlPage_WithRetryAfter()
    {
        await using var service = Shuttered();
        using var client = service.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Shuttered_HealthEndpointsKeepAnswering()
    {
        await using var service = Shuttered();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NotShuttered_ByDefault()
    {
        await using var service = new ServiceFactory();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }
}
