using System.Net;

namespace OperableService._1.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Liveness_IsHealthy()
    {
        await using var service = new ServiceFactory();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_IsHealthy_WhenWhatTheServiceNeedsIsThere()
    {
//#if (hasDatabase)
        using var database = new FakeDatabase();
        await using var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:example-db"] = database.ConnectionString,
        });
//#else
        await using var service = new ServiceFactory();
//#endif
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OperabilityEndpoint_OutsideDevelopment_TellsAnonymousCallersNothingAboutTheService()
    {
        await using var service = new ServiceFactory();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/operability");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Operability:Endpoints:OperabilityAuthorizationPolicy", body, StringComparison.Ordinal);
        Assert.DoesNotContain("operable-service", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperabilityEndpoint_OpenedDeliberately_ReportsTheManifest()
    {
        await using var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Operability:Endpoints:AnonymousReport"] = "true",
        });
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/operability");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("operable-service", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_Answers()
    {
        await using var service = new ServiceFactory();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
