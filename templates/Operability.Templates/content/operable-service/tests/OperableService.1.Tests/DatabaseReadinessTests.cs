using System.Net;

namespace OperableService._1.Tests;

/// <summary>Readiness follows example-db, the database this service owns (see RUNBOOK.md, "example-db unavailable").</summary>
public sealed class DatabaseReadinessTests
{
    [Fact]
    public async Task Ready_WhenExampleDbAcceptsConnections()
    {
        using var database = new FakeDatabase();
        await using var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:example-db"] = database.ConnectionString,
        });
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NotReady_WhenExampleDbIsDown_AndLivenessStaysHealthy()
    {
        await using var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:example-db"] = FakeDatabase.Unreachable(),
        });
        using var client = service.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("example-db", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
