using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>Owned databases of the manifest become readiness checks that reach the connection string's host and port.</summary>
public sealed class DatabaseReadinessTests
{
    private const string Manifest = """
        {
          "service": "orders",
          "owner": "team-orders",
          "availability": { "target": 99.0 },
          "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ]
        }
        """;

    [Fact]
    public async Task Readiness_ReachesTheDatabaseListener_AndReportsItByNameOnly()
    {
        using var database = new TcpListener(IPAddress.Loopback, 0);
        database.Start();
        int port = ((IPEndPoint)database.LocalEndpoint).Port;
        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(Manifest), new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orders"] = $"Host=127.0.0.1;Port={port};Database=orders;Username=orders;Password=hunter2",
        });

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("{\"status\":\"Healthy\",\"checks\":[{\"name\":\"database:orders-db\",\"status\":\"Healthy\",\"check\":\"tcp\"},{\"name\":\"shutter\",\"status\":\"Healthy\"}]}", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_DatabaseDown_Is503WithoutHostOrConnectionString()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(Manifest), new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orders"] = $"Host=127.0.0.1;Port={port};Database=orders;Username=orders;Password=hunter2",
        });

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        string body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("{\"name\":\"database:orders-db\",\"status\":\"Unhealthy\",\"check\":\"tcp\"}", body);
        Assert.DoesNotContain("127.0.0.1", body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), body);
    }

    [Fact]
    public async Task Readiness_DatabaseDownWhileShuttered_IsDegradedAndReady_SoUsersSeeTheShutterPage()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(Manifest), new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orders"] = $"Host=127.0.0.1;Port={port};Database=orders;Username=orders;Password=hunter2",
            ["Operability:Shutter:Enabled"] = "true",
        });

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("{\"name\":\"database:orders-db\",\"status\":\"Degraded\",\"check\":\"tcp\"}", await ready.Content.ReadAsStringAsync());
    }
}
