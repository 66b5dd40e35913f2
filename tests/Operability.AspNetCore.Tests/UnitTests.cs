using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Operability.AspNetCore.Availability;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Resilience;
using Xunit;

namespace Operability.AspNetCore.Tests;

public sealed class AvailabilityRecorderTests
{
    private static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Window_CountsRequestsAndFailures_AndForgetsThemAfterTheWindow()
    {
        var clock = new FakeTimeProvider(Wednesday);
        var recorder = new AvailabilityRecorder(clock, TimeSpan.FromDays(7), 0.001);
        Assert.Null(recorder.Window().Availability);

        for (int i = 0; i < 999; i++)
        {
            recorder.Record(true);
        }

        recorder.Record(false);
        Assert.Equal(0.999, recorder.Window().Availability!.Value, 12);

        clock.Advance(TimeSpan.FromDays(3));
        recorder.Record(true);
        Assert.Equal(1001, recorder.Window().Requests);

        clock.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(1));
        WindowMeasurement later = recorder.Window();
        Assert.Equal(1, later.Requests);
        Assert.Equal(0, later.Failures);
    }

    [Fact]
    public void ErrorBudget_UsesTheRatioInForceWhenRead()
    {
        var clock = new FakeTimeProvider(Wednesday);
        DateTimeOffset peakStart = Wednesday.AddHours(6);
        var recorder = new AvailabilityRecorder(clock, TimeSpan.FromDays(7), at => at >= peakStart ? 0.001 : 0.01);
        for (int i = 0; i < 999; i++)
        {
            recorder.Record(true);
        }

        recorder.Record(false);
        Assert.Equal((0.01, 10.0, 0.9), (recorder.ThisWeek().AllowedFailureRatio, recorder.ThisWeek().AllowedFailures, recorder.ThisWeek().ErrorBudgetRemaining), new RoundedTuple());

        clock.SetUtcNow(peakStart);
        Assert.Equal((0.001, 1.0, 0.0), (recorder.ThisWeek().AllowedFailureRatio, recorder.ThisWeek().AllowedFailures, recorder.ThisWeek().ErrorBudgetRemaining), new RoundedTuple());
    }

    /// <summary>Compares doubles to nine decimals: 1000 × 0.001 is not exactly 1.</summary>
    private sealed class RoundedTuple : System.Collections.Generic.IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) x, (double, double, double) y) =>
            Math.Round(x.Item1 - y.Item1, 9) == 0 && Math.Round(x.Item2 - y.Item2, 9) == 0 && Math.Round(x.Item3 - y.Item3, 9) == 0;

        public int GetHashCode((double, double, double) obj) => 0;
    }

    [Fact]
    public void ErrorBudget_FollowsTheTargetAndResetsOnMonday()
    {
        var clock = new FakeTimeProvider(Wednesday);
        var recorder = new AvailabilityRecorder(clock, TimeSpan.FromDays(7), 0.001);
        Assert.Equal(1.0, recorder.ThisWeek().ErrorBudgetRemaining);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), recorder.ThisWeek().WeekStart);

        for (int i = 0; i < 2000; i++)
        {
            recorder.Record(true);
        }

        recorder.Record(false);

        // 2001 requests at 99.9% allow 2.001 failures; one is spent.
        Assert.Equal(1 - (1 / 2.001), recorder.ThisWeek().ErrorBudgetRemaining, 9);

        clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(1.0, recorder.ThisWeek().ErrorBudgetRemaining);
        recorder.Record(false);
        Assert.Equal(1, recorder.ThisWeek().Requests);
        Assert.True(recorder.ThisWeek().ErrorBudgetRemaining < 0);
    }

    [Theory]
    [InlineData("2026-11-23T00:00:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("2026-11-29T23:59:59Z", "2026-11-23T00:00:00Z")]
    [InlineData("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z")]
    [InlineData("2026-11-30T00:30:00+02:00", "2026-11-23T00:00:00Z")]
    public void WeekStart_IsMondayMidnightUtc(string now, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected), AvailabilityRecorder.WeekStart(DateTimeOffset.Parse(now)));
    }
}

public sealed class DependencyDefaultsTests
{
    [Theory]
    [InlineData("99.99", 2000, 500)]
    [InlineData("99.9", 2000, 500)]
    [InlineData("99.5", 5000, 1500)]
    [InlineData("99.0", 5000, 1500)]
    [InlineData("95.0", 10000, 3000)]
    public void Defaults_ShortenWithTheTarget(string target, int totalMs, int attemptMs)
    {
        DependencyDefaults defaults = DependencyDefaults.ForTarget(decimal.Parse(target, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromMilliseconds(totalMs), defaults.TotalTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(attemptMs), defaults.AttemptTimeout);
        Assert.Equal(2, defaults.Retries);
    }
}

public sealed class DatabaseReachabilityTests
{
    [Theory]
    [InlineData("Host=db.example;Port=6543;Database=orders;Username=u;Password=p", "db.example", 6543)]
    [InlineData("Host=db.example;Database=orders", "db.example", 5432)]
    [InlineData("Host=primary:5433,replica:5434;Database=orders", "primary", 5433)]
    [InlineData("Server=tcp:sql.example,1444;Database=orders;User Id=sa;Password=p", "sql.example", 1444)]
    [InlineData("Server=sql.example;Database=orders", "sql.example", 1433)]
    [InlineData("Data Source=sql.example\\INSTANCE;Initial Catalog=orders", "sql.example", 1433)]
    [InlineData("Server=(local);Database=orders", "localhost", 1433)]
    [InlineData("Server=mysql.example;Port=3306;Database=orders", "mysql.example", 3306)]
    [InlineData("postgres://u:p@pg.example/orders", "pg.example", 5432)]
    [InlineData("postgresql://u:p@pg.example:6000/orders", "pg.example", 6000)]
    [InlineData("mongodb://mongo.example:27018/orders", "mongo.example", 27018)]
    [InlineData("redis://cache.example", "cache.example", 6379)]
    public void TryParse_FindsHostAndPort(string connectionString, string host, int port)
    {
        Assert.True(DatabaseReachabilityCheck.TryParse(connectionString, out DatabaseEndpoint endpoint));
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("Data Source=orders.db", "orders.db")]
    [InlineData("Data Source=:memory:", ":memory:")]
    [InlineData("Filename=/var/data/orders.sqlite", "/var/data/orders.sqlite")]
    public void TryParse_FileDatabases(string connectionString, string file)
    {
        Assert.True(DatabaseReachabilityCheck.TryParse(connectionString, out DatabaseEndpoint endpoint));
        Assert.Equal(file, endpoint.FilePath);
    }

    [Theory]
    [InlineData("Database=orders;User Id=sa")]
    [InlineData("Server=(localdb)\\MSSQLLocalDB;Database=orders")]
    [InlineData("this is = not ; = valid")]
    public void TryParse_NoReachableHost(string connectionString)
    {
        Assert.False(DatabaseReachabilityCheck.TryParse(connectionString, out _));
    }

    [Fact]
    public async Task Check_HealthyWhenTheListenerAccepts_UnhealthyWhenNothingListens()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = ((IPEndPoint)listener.LocalEndpoint).Port;
        int closed;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new System.Collections.Generic.Dictionary<string, string?>
        {
            ["ConnectionStrings:Up"] = $"Host=127.0.0.1;Port={open};Password=secret",
            ["ConnectionStrings:Down"] = $"Host=127.0.0.1;Port={closed};Password=secret",
        }).Build();

        HealthCheckResult up = await Check(configuration, "Up");
        HealthCheckResult down = await Check(configuration, "Down");
        HealthCheckResult missing = await Check(configuration, "Missing");

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Equal(HealthStatus.Unhealthy, missing.Status);
        Assert.Contains("not configured", missing.Description);
        Assert.DoesNotContain("secret", down.Description);
    }

    private static Task<HealthCheckResult> Check(IConfiguration configuration, string name)
    {
        var check = new DatabaseReachabilityCheck(configuration, "orders-db", name);
        return check.CheckAsync(System.Threading.CancellationToken.None);
    }
}

public sealed class SafeLinkTests
{
    [Theory]
    [InlineData("/help", true)]
    [InlineData("/status?x=1#top", true)]
    [InlineData("https://help.example.com/orders", true)]
    [InlineData("mailto:team-orders@example.com", true)]
    [InlineData("tel:+441234567890", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("\\\\evil.example", false)]
    [InlineData("/\t/evil.example", false)]
    [InlineData("/\n/evil.example", false)]
    [InlineData("https://help.example.com\\@evil.example", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("help", false)]
    public void HelpUrl_OnlySiteLocalPathsOrAbsoluteSafeSchemes(string link, bool safe)
    {
        Assert.Equal(safe, Operability.AspNetCore.Configuration.OperabilityValidation.IsSafeLink(link));
    }
}
