using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Operability.AspNetCore.Health;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// Which check readiness runs for an owned database: the provider the service registered for it (a keyed or the
/// only <see cref="DbDataSource"/>, or an <c>AddOperabilityDatabase</c> registration), TCP otherwise; and the
/// readiness hysteresis once the database has answered. The provider checks against real PostgreSQL are in
/// <see cref="PostgresReadinessTests"/>.
/// </summary>
public sealed class DatabaseProviderReadinessTests : IDisposable
{
    private const string Manifest = """
        {
          "service": "orders",
          "owner": "team-orders",
          "availability": { "target": 99.0 },
          "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ]
        }
        """;

    // A listener that accepts TCP connections and never speaks a database protocol: TCP says yes, a provider says no.
    private readonly TcpListener _notADatabase = new(IPAddress.Loopback, 0);

    public DatabaseProviderReadinessTests()
    {
        _notADatabase.Start();
    }

    private int Port => ((IPEndPoint)_notADatabase.LocalEndpoint).Port;

    private string ConnectionString => "Host=127.0.0.1;Port=" + Port.ToString(CultureInfo.InvariantCulture) + ";Username=orders;Password=hunter2;Timeout=1";

    public void Dispose() => _notADatabase.Dispose();

    [Fact]
    public async Task NoProviderRegistered_ReadinessOpensATcpConnection_AndSaysSo()
    {
        await using KestrelService service = await StartAsync();

        Assert.Equal((HttpStatusCode.OK, "Healthy", "tcp"), await ReadinessAsync(service));
        Assert.Equal(("tcp", "ConnectionStrings:Orders"), await ReportedCheckAsync(service));
    }

    [Theory]
    [InlineData("orders-db")]
    [InlineData("Orders")]
    public async Task DataSourceKeyedByTheDatabaseOrConnectionStringName_IsAskedInsteadOfTcp(string key)
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using KestrelService service = await StartAsync(builder => builder.Services.AddKeyedSingleton<DbDataSource>(key, dataSource));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "data-source"), await ReadinessAsync(service));
        Assert.Equal(("data-source", "DbDataSource keyed '" + key + "'"), await ReportedCheckAsync(service));
    }

    [Fact]
    public async Task OnlyUnkeyedDataSource_WithOneConnectionStringInTheManifest_IsAsked()
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using KestrelService service = await StartAsync(builder => builder.Services.AddSingleton<DbDataSource>(dataSource));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "data-source"), await ReadinessAsync(service));
        Assert.Equal(("data-source", "DbDataSource"), await ReportedCheckAsync(service));
    }

    [Fact]
    public async Task OnlyUnkeyedDataSource_WhenTheServiceAlsoReadsAnotherServicesDataset_IsNotTaken_TcpRuns()
    {
        const string reading = """
            {
              "service": "orders",
              "owner": "team-orders",
              "availability": { "target": 99.0 },
              "databases": [ { "name": "orders-db", "connectionStrings": ["Orders"] } ],
              "reads": [ { "name": "customers-replica", "owner": "customers", "connectionStrings": ["Customers"] } ]
            }
            """;
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(reading),
            new Dictionary<string, string?> { ["ConnectionStrings:Orders"] = ConnectionString, ["Operability:Health:CacheSeconds"] = "0" },
            builder => builder.Services.AddSingleton<DbDataSource>(dataSource));

        Assert.Equal((HttpStatusCode.OK, "Healthy", "tcp"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task DataSourceKeyedByAnotherName_IsNotTaken_TcpRuns()
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using KestrelService service = await StartAsync(builder => builder.Services.AddKeyedSingleton<DbDataSource>("audit-db", dataSource));

        Assert.Equal((HttpStatusCode.OK, "Healthy", "tcp"), await ReadinessAsync(service));
    }

    [Theory]
    [InlineData(true, HttpStatusCode.OK, "Healthy")]
    [InlineData(false, HttpStatusCode.ServiceUnavailable, "Unhealthy")]
    public async Task CanConnectRegistration_DecidesReadiness_InAScopeOfItsOwn(bool answer, HttpStatusCode status, string overall)
    {
        var scopes = new List<ScopedMarker>();
        await using KestrelService service = await StartAsync(builder =>
        {
            builder.Services.AddScoped<ScopedMarker>();
            builder.Services.AddOperabilityDatabase("orders-db", (services, cancellationToken) =>
            {
                scopes.Add(services.GetRequiredService<ScopedMarker>());
                return Task.FromResult(answer);
            });
        });

        Assert.Equal((status, overall, "can-connect"), await ReadinessAsync(service));
        Assert.Equal(("can-connect", "AddOperabilityDatabase(\"orders-db\")"), await ReportedCheckAsync(service));
        Assert.Single(scopes);
        Assert.True(scopes[0].Disposed);
    }

    [Fact]
    public async Task DataSourceRegistration_ByConnectionStringName_IsAsked()
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using KestrelService service = await StartAsync(builder => builder.Services.AddOperabilityDatabase("Orders", _ => dataSource));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "data-source"), await ReadinessAsync(service));
        Assert.Equal(("data-source", "AddOperabilityDatabase(\"Orders\")"), await ReportedCheckAsync(service));
    }

    [Fact]
    public async Task CanConnectThatHangs_IsCutOffByTheHealthTimeout()
    {
        await using KestrelService service = await StartAsync(
            builder => builder.Services.AddOperabilityDatabase("orders-db", async (_, cancellationToken) =>
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return true;
            }),
            new() { ["Operability:Health:TimeoutSeconds"] = "0.2" });

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "can-connect"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task ATeamsOwnCheckWithACheckDataValue_DoesNotPutItInTheProductionBody()
    {
        await using KestrelService service = await StartAsync(builder => builder.Services.AddHealthChecks().AddCheck(
            "orders-db-query",
            () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(data: new Dictionary<string, object> { ["check"] = "Host=10.0.0.7" }),
            new[] { OperabilityHealthTags.Ready }));

        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        string body = await ready.Content.ReadAsStringAsync();

        Assert.Contains("{\"name\":\"orders-db-query\",\"status\":\"Healthy\"}", body, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.7", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOperabilityDatabase_NameTheManifestDoesNotDeclare_StopsTheStart()
    {
        using var root = new ContentRoot(Manifest);
        OperabilityStartupException error = await StartupValidationTests.StartFailsAsync(
            root,
            new() { ["ConnectionStrings:Orders"] = ConnectionString },
            builder => builder.Services.AddOperabilityDatabase("billing-db", (_, _) => Task.FromResult(true)));

        Assert.Contains("AddOperabilityDatabase(\"billing-db\") names neither a database nor a connection string that ", error.Message, StringComparison.Ordinal);
        Assert.Contains(" declares (owned databases: 'orders-db' ('Orders')).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseThatAnswered_ThenFails_StaysInRotationUntilUnreadyAfterObservations_AndNeedsReadyAfterToReturn()
    {
        bool answer = true;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        await using KestrelService service = await StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddOperabilityDatabase("orders-db", (_, _) => Task.FromResult(answer));
            },
            new() { ["Operability:Health:UnreadyAfter"] = "3", ["Operability:Health:ReadyAfter"] = "2" });
        DependencyMonitor monitor = service.Services.GetRequiredService<DependencyMonitor>();
        Assert.Equal((HttpStatusCode.OK, "Healthy", "can-connect"), await ReadinessAsync(service));

        answer = false;
        for (int i = 0; i < 2; i++)
        {
            await monitor.ObserveOnceAsync(CancellationToken.None);
            Assert.Equal((HttpStatusCode.OK, "Degraded", "can-connect"), await ReadinessAsync(service));
        }

        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "can-connect"), await ReadinessAsync(service));

        answer = true;
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "can-connect"), await ReadinessAsync(service));
        await monitor.ObserveOnceAsync(CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "Healthy", "can-connect"), await ReadinessAsync(service));
    }

    [Fact]
    public async Task DatabaseThatNeverAnswered_IsUnreadyAtOnce_AndReadyAtItsFirstAnswer()
    {
        bool answer = false;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        await using KestrelService service = await StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddOperabilityDatabase("orders-db", (_, _) => Task.FromResult(answer));
            },
            new() { ["Operability:Health:ReadyAfter"] = "3" });

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy", "can-connect"), await ReadinessAsync(service));
        answer = true;
        Assert.Equal((HttpStatusCode.OK, "Healthy", "can-connect"), await ReadinessAsync(service));
    }

    internal static async Task<(HttpStatusCode Status, string Overall, string Check)> ReadinessAsync(KestrelService service)
    {
        using HttpResponseMessage ready = await service.Client.GetAsync("/health/ready");
        using JsonDocument body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        JsonElement database = body.RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "database:orders-db");
        Assert.Equal(database.GetProperty("status").GetString(), body.RootElement.GetProperty("status").GetString());
        return (ready.StatusCode, body.RootElement.GetProperty("status").GetString()!, database.GetProperty("check").GetString()!);
    }

    private static async Task<(string Check, string Source)> ReportedCheckAsync(KestrelService service)
    {
        using JsonDocument report = JsonDocument.Parse(await service.Client.GetStringAsync("/operability"));
        JsonElement database = report.RootElement.GetProperty("databases").EnumerateArray().Single();
        Assert.Equal("orders-db", database.GetProperty("name").GetString());
        Assert.Equal("Orders", database.GetProperty("connectionString").GetString());
        return (database.GetProperty("check").GetString()!, database.GetProperty("source").GetString()!);
    }

    private Task<KestrelService> StartAsync(Action<WebApplicationBuilder>? configure = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orders"] = ConnectionString,
            ["Operability:Health:CacheSeconds"] = "0",
            ["Operability:Health:TimeoutSeconds"] = "2",
            ["Operability:Endpoints:AnonymousReport"] = "true",
        };
        foreach (KeyValuePair<string, string?> entry in extra ?? new())
        {
            settings[entry.Key] = entry.Value;
        }

        return KestrelService.StartAsync(new ContentRoot(Manifest), settings, configure);
    }

    private sealed class ScopedMarker : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
