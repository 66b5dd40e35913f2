using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Operability.Manifest;

namespace Operability.AspNetCore.Health;

/// <summary>A provider check registered with <c>AddOperabilityDatabase</c> for a database or connection-string name.</summary>
internal sealed record DatabaseProviderRegistration(string Name, Func<IServiceProvider, DbDataSource>? DataSource, Func<IServiceProvider, CancellationToken, Task<bool>>? CanConnect);

/// <summary>
/// How readiness asks one owned database connection string, decided once: a check registered with
/// <c>AddOperabilityDatabase</c> (its connection-string name first, then its database name), else a
/// <see cref="DbDataSource"/> keyed by the connection-string name or the database name, else the only unkeyed
/// <see cref="DbDataSource"/> when the manifest names exactly one connection string (and reads no other service's
/// dataset, whose data source it could be), else a TCP connection to the
/// host and port of <c>ConnectionStrings:&lt;name&gt;</c>. The names are the manifest's, so the analyzers' view of
/// which database the service owns and readiness's agree; a keyed registration is what Npgsql's
/// <c>AddNpgsqlDataSource(…, serviceKey:)</c> and Aspire's <c>AddKeyedNpgsqlDataSource</c> make.
/// </summary>
internal sealed class DatabaseProbe
{
    /// <summary>The check's name in <c>/health/ready</c> and <c>/operability</c>: a TCP connection (or the SQLite file).</summary>
    public const string Tcp = "tcp";

    /// <summary>A <c>SELECT 1</c> through the registered <see cref="DbDataSource"/>.</summary>
    public const string DataSourceQuery = "data-source";

    /// <summary>A registered can-connect delegate (EF Core's <c>Database.CanConnectAsync</c>, or the team's own).</summary>
    public const string CanConnectCheck = "can-connect";

    private readonly IServiceProvider _services;
    private readonly Func<IServiceProvider, DbDataSource>? _dataSource;
    private readonly Func<IServiceProvider, CancellationToken, Task<bool>>? _canConnect;
    private readonly DatabaseReachabilityCheck? _tcp;

    private DatabaseProbe(string checkName, string database, string connectionStringName, string check, string source, IServiceProvider services, Func<IServiceProvider, DbDataSource>? dataSource, Func<IServiceProvider, CancellationToken, Task<bool>>? canConnect, DatabaseReachabilityCheck? tcp)
    {
        CheckName = checkName;
        Database = database;
        ConnectionStringName = connectionStringName;
        Check = check;
        Source = source;
        _services = services;
        _dataSource = dataSource;
        _canConnect = canConnect;
        _tcp = tcp;
    }

    public string CheckName { get; }

    public string Database { get; }

    public string ConnectionStringName { get; }

    /// <summary><see cref="Tcp"/>, <see cref="DataSourceQuery"/> or <see cref="CanConnectCheck"/>.</summary>
    public string Check { get; }

    /// <summary>Where the check came from, for <c>/operability</c>: a registration or service key, never an address.</summary>
    public string Source { get; }

    public DatabaseReadiness Readiness { get; } = new();

    /// <summary>Whether <paramref name="kind"/> is one of the check kinds above (what a health body may show).</summary>
    internal static bool IsCheckKind(string kind) => kind is Tcp or DataSourceQuery or CanConnectCheck;

    /// <summary>The readiness check's name: <c>database:&lt;name&gt;</c>, with <c>:&lt;connection string&gt;</c> when the database has several.</summary>
    internal static string CheckNameFor(OwnedDatabase database, string connectionStringName) =>
        database.ConnectionStrings.Count == 1 ? "database:" + database.Name : "database:" + database.Name + ":" + connectionStringName;

    internal static DatabaseProbe Create(IServiceProvider services, OwnedDatabase database, string connectionStringName, bool onlyConnectionString, IReadOnlyList<DatabaseProviderRegistration> registrations)
    {
        string checkName = CheckNameFor(database, connectionStringName);
        foreach (string key in new[] { connectionStringName, database.Name })
        {
            foreach (DatabaseProviderRegistration registration in registrations)
            {
                if (string.Equals(registration.Name, key, StringComparison.OrdinalIgnoreCase))
                {
                    return registration.CanConnect is not null
                        ? new DatabaseProbe(checkName, database.Name, connectionStringName, CanConnectCheck, "AddOperabilityDatabase(\"" + registration.Name + "\")", services, null, registration.CanConnect, null)
                        : new DatabaseProbe(checkName, database.Name, connectionStringName, DataSourceQuery, "AddOperabilityDatabase(\"" + registration.Name + "\")", services, registration.DataSource, null, null);
                }
            }
        }

        if (services.GetService<IServiceProviderIsKeyedService>() is { } keyed)
        {
            foreach (string key in new[] { connectionStringName, database.Name })
            {
                if (keyed.IsKeyedService(typeof(DbDataSource), key))
                {
                    string captured = key;
                    return new DatabaseProbe(checkName, database.Name, connectionStringName, DataSourceQuery, "DbDataSource keyed '" + key + "'", services, s => s.GetRequiredKeyedService<DbDataSource>(captured), null, null);
                }
            }
        }

        if (onlyConnectionString && services.GetService<IServiceProviderIsService>() is { } registered && registered.IsService(typeof(DbDataSource)))
        {
            return new DatabaseProbe(checkName, database.Name, connectionStringName, DataSourceQuery, "DbDataSource", services, s => s.GetRequiredService<DbDataSource>(), null, null);
        }

        var tcp = new DatabaseReachabilityCheck(services.GetRequiredService<IConfiguration>(), database.Name, connectionStringName);
        return new DatabaseProbe(checkName, database.Name, connectionStringName, Tcp, "ConnectionStrings:" + connectionStringName, services, null, null, tcp);
    }

    /// <summary>Asks the database once, bounded by <paramref name="timeout"/>, and records the answer as an observation.</summary>
    public async Task<HealthCheckResult> ObserveAsync(TimeSpan timeout, Hysteresis readiness, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        HealthCheckResult result;
        try
        {
            result = await AskAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            result = HealthCheckResult.Unhealthy(Describe() + " did not answer within " + timeout.TotalSeconds + " s", ex);
        }
        catch (Exception ex)
        {
            // Any provider failure (refused, authentication, the server shutting down) means "not ready now";
            // its text is shown in Development only.
            result = HealthCheckResult.Unhealthy(Describe() + " failed", ex);
        }

        Readiness.Observe(result, readiness);
        return result;
    }

    private async Task<HealthCheckResult> AskAsync(CancellationToken cancellationToken)
    {
        if (_tcp is not null)
        {
            return await _tcp.CheckAsync(cancellationToken).ConfigureAwait(false);
        }

        // A scope per check: a DbContext is scoped, and must not outlive the question.
        AsyncServiceScope scope = _services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            if (_canConnect is not null)
            {
                return await _canConnect(scope.ServiceProvider, cancellationToken).ConfigureAwait(false)
                    ? HealthCheckResult.Healthy(Describe() + " answered")
                    : HealthCheckResult.Unhealthy(Describe() + " answered that it cannot connect");
            }

            // A query, not only an open: a pooled connection the server has already closed opens without a word.
            DbCommand command = _dataSource!(scope.ServiceProvider).CreateCommand("SELECT 1");
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            return HealthCheckResult.Healthy(Describe() + " answered SELECT 1");
        }
    }

    private string Describe() => Check switch
    {
        Tcp => "TCP check (" + Source + ")",
        CanConnectCheck => "Can-connect check (" + Source + ")",
        _ => "DbDataSource (" + Source + ")",
    };
}

/// <summary>
/// What readiness concludes from the observations of one database check: Unhealthy until the database first
/// answers (an instance whose database never answered takes no traffic), then held unready only after
/// <see cref="Hysteresis.EngageAfter"/> consecutive failed observations and released after
/// <see cref="Hysteresis.DisengageAfter"/> good ones — the dependencies' readiness hysteresis, so a database restart
/// or failover of a few seconds does not take every instance out of rotation at once.
/// </summary>
internal sealed class DatabaseReadiness
{
    private readonly object _gate = new();
    private bool _answered;
    private bool _heldUnready = true;
    private int _consecutiveHealthy;
    private int _consecutiveUnhealthy;
    private HealthCheckResult? _last;

    /// <summary>The database has answered at least once since the start.</summary>
    public bool Answered
    {
        get
        {
            lock (_gate)
            {
                return _answered;
            }
        }
    }

    public void Observe(HealthCheckResult result, Hysteresis readiness)
    {
        lock (_gate)
        {
            bool healthy = result.Status == HealthStatus.Healthy;
            if (healthy)
            {
                _consecutiveHealthy++;
                _consecutiveUnhealthy = 0;
            }
            else
            {
                _consecutiveUnhealthy++;
                _consecutiveHealthy = 0;
            }

            // Before the first answer there is no outage to ride out: ready as soon as the database answers.
            _heldUnready = _answered ? readiness.Next(_heldUnready, _consecutiveUnhealthy, _consecutiveHealthy) : !healthy;
            _answered |= healthy;
            _last = result;
        }
    }

    /// <summary>The readiness result from the observations so far; no I/O.</summary>
    public HealthCheckResult Report(Hysteresis readiness, IReadOnlyDictionary<string, object> data)
    {
        lock (_gate)
        {
            string last = _last?.Description ?? "Not asked yet";
            Exception? exception = _last?.Exception;
            if (!_answered)
            {
                return HealthCheckResult.Unhealthy(last + " (has not answered since the start)", exception, data);
            }

            bool failing = _last?.Status != HealthStatus.Healthy;
            if (!failing && !_heldUnready)
            {
                return HealthCheckResult.Healthy(last, data);
            }

            if (!failing)
            {
                return HealthCheckResult.Unhealthy("Recovering: " + _consecutiveHealthy + " of " + readiness.DisengageAfter + " consecutive healthy observations before ready again", data: data);
            }

            return _heldUnready
                ? HealthCheckResult.Unhealthy(last, exception, data)
                : HealthCheckResult.Degraded(last + " (unready after " + readiness.EngageAfter + " consecutive failed observations, " + _consecutiveUnhealthy + " so far)", exception, data);
        }
    }
}

/// <summary>Every owned database connection string's probe, decided once per service provider.</summary>
internal sealed class DatabaseProbes
{
    public DatabaseProbes(OperabilityManifest manifest, IServiceProvider services, IEnumerable<DatabaseProviderRegistration> registrations)
    {
        var all = new List<DatabaseProbe>();
        var registered = new List<DatabaseProviderRegistration>(registrations);
        int entries = 0;
        foreach (OwnedDatabase database in manifest.Manifest.Databases)
        {
            entries += database.ConnectionStrings.Count;
        }

        foreach (ReadableDataset dataset in manifest.Manifest.Reads)
        {
            entries += dataset.ConnectionStrings.Count;
        }

        foreach (OwnedDatabase database in manifest.Manifest.Databases)
        {
            foreach (string connectionStringName in database.ConnectionStrings)
            {
                all.Add(DatabaseProbe.Create(services, database, connectionStringName, entries == 1, registered));
            }
        }

        All = all;
    }

    public IReadOnlyList<DatabaseProbe> All { get; }

    public DatabaseProbe? Find(string checkName)
    {
        foreach (DatabaseProbe probe in All)
        {
            if (probe.CheckName == checkName)
            {
                return probe;
            }
        }

        return null;
    }
}

/// <summary>
/// Readiness of one owned database connection string. Until the database first answers it asks on every
/// (cached) readiness report, so a starting instance is ready as soon as its database is; after that it reports the
/// monitor's observations (one per <c>Operability:Health:ProbeIntervalSeconds</c>) under the readiness hysteresis,
/// without I/O of its own. The check that runs is in the result's data as <c>check</c>.
/// </summary>
internal sealed class DatabaseHealthCheck : IHealthCheck
{
    private readonly DatabaseProbe _probe;
    private readonly HealthSettings _health;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, object> _data;

    public DatabaseHealthCheck(DatabaseProbe probe, HealthSettings health, TimeProvider time)
    {
        _probe = probe;
        _health = health;
        _time = time;
        _data = new Dictionary<string, object> { ["check"] = probe.Check };
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthValues health = _health.Current;
        if (!_probe.Readiness.Answered)
        {
            try
            {
                await _probe.ObserveAsync(TimeSpan.FromSeconds(health.TimeoutSeconds), health.Readiness, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The check's own timeout: answer it here, so the body still says which check ran.
                return HealthCheckResult.Unhealthy("Did not answer within the health timeout (has not answered since the start)", data: _data);
            }
        }

        return _probe.Readiness.Report(health.Readiness, _data);
    }
}
