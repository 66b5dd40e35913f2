using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Operability.AspNetCore.Health;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// Readiness asks the database provider the service registered — here a real PostgreSQL through Npgsql — and
/// follows it down and up again under the readiness hysteresis, without ever showing where the database is.
/// </summary>
public sealed class PostgresReadinessTests : IDisposable
{
    private const string Manifest = """
        {
          "service": "orders",
          "owner": "team-orders",
          "availability": { "target": 99.0 },
          "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ]
        }
        """;

    // The service's clock stands still, so the monitor's own rounds never run: each observation is one the test makes.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly PostgresServer _postgres = PostgresServer.Start();

    public void Dispose() => _postgres.Dispose();

    [Fact]
    public async Task KeyedDataSource_UpReady_StoppedUnreadyAfterUnreadyAfterObservations_StartedReadyAfterReadyAfter_NoAddressInBody()
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(_postgres.ConnectionString);
        await using KestrelService service = await StartAsync(builder => builder.Services.AddKeyedSingleton<DbDataSource>("orders-db", dataSource));

        await AssertUpDownUpAsync(service, "data-source");
    }

    [Fact]
    public async Task EntityFrameworkCanConnect_UpReady_StoppedUnready_StartedReady()
    {
        await using KestrelService service = await StartAsync(builder =>
        {
            builder.Services.AddDbContext<ShopContext>(options => options.UseNpgsql(_postgres.ConnectionString));
            builder.Services.AddOperabilityDatabase("orders-db", (services, cancellationToken) =>
                services.GetRequiredService<ShopContext>().Database.CanConnectAsync(cancellationToken));
        });

        await AssertUpDownUpAsync(service, "can-connect");
    }

    private async Task AssertUpDownUpAsync(KestrelService service, string check)
    {
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();

        Assert.Equal((HttpStatusCode.OK, "Healthy", check), await DatabaseProviderReadinessTests.ReadinessAsync(service));
        using (JsonDocument report = JsonDocument.Parse(await service.Client.GetStringAsync("/operability")))
        {
            JsonElement database = report.RootElement.GetProperty("databases").EnumerateArray().Single();
            Assert.Equal("orders-db", database.GetProperty("name").GetString());
            Assert.Equal("Orders", database.GetProperty("connectionString").GetString());
            Assert.Equal(check, database.GetProperty("check").GetString());
        }

        _postgres.Stop();

        // UnreadyAfter = 2: the first failed observation keeps the instance in rotation, the second takes it out.
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "Degraded", check), await DatabaseProviderReadinessTests.ReadinessAsync(service));
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", check), await DatabaseProviderReadinessTests.ReadinessAsync(service));

        using (HttpResponseMessage down = await service.Client.GetAsync("/health/ready"))
        {
            string body = await down.Content.ReadAsStringAsync();
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
            Assert.DoesNotContain(_postgres.Port.ToString(CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Host=", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("postgres", body, StringComparison.OrdinalIgnoreCase);
        }

        _postgres.StartAgain();

        // ReadyAfter = 2: one good observation after an outage does not bring it back yet.
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", check), await DatabaseProviderReadinessTests.ReadinessAsync(service));
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "Healthy", check), await DatabaseProviderReadinessTests.ReadinessAsync(service));
    }

    private Task<KestrelService> StartAsync(Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder> configure) =>
        KestrelService.StartAsync(
            new ContentRoot(Manifest),
            new Dictionary<string, string?>
            {
                ["Operability:Health:CacheSeconds"] = "0",
                ["Operability:Health:UnreadyAfter"] = "2",
                ["Operability:Health:ReadyAfter"] = "2",
                ["Operability:Endpoints:AnonymousReport"] = "true",
            },
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(_clock);
                configure(builder);
            });

    private sealed class ShopContext : DbContext
    {
        public ShopContext(DbContextOptions<ShopContext> options)
            : base(options)
        {
        }
    }
}
