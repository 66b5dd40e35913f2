using System;
using System.Data.Common;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Operability.AspNetCore.Health;

/// <summary>Where a connection string points: a TCP endpoint or a local file.</summary>
internal readonly record struct DatabaseEndpoint(string? Host, int Port, string? FilePath)
{
    public bool IsFile => FilePath is not null;
}

/// <summary>
/// Provider-agnostic readiness for an owned database, the fallback when the service registers no provider for it
/// (see <see cref="DatabaseProbe"/>): can a TCP connection be opened to the host and port the connection string
/// names (or, for a file database such as SQLite, does the file exist)? It proves the network path and the
/// listener, not credentials or schema. The description (shown in Development only) names the host; the
/// connection string itself is never reported.
/// </summary>
internal sealed class DatabaseReachabilityCheck
{
    private readonly IConfiguration _configuration;
    private readonly string _database;
    private readonly string _connectionStringName;

    public DatabaseReachabilityCheck(IConfiguration configuration, string database, string connectionStringName)
    {
        _configuration = configuration;
        _database = database;
        _connectionStringName = connectionStringName;
    }

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        string? connectionString = _configuration.GetConnectionString(_connectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return HealthCheckResult.Unhealthy(
                "Connection string '" + _connectionStringName + "' of database '" + _database + "' is not configured (ConnectionStrings:" + _connectionStringName + ")");
        }

        if (!TryParse(connectionString, out DatabaseEndpoint endpoint))
        {
            return HealthCheckResult.Unhealthy(
                "Connection string '" + _connectionStringName + "' names no host (Host, Server, Data Source or Address) this check can reach");
        }

        if (endpoint.IsFile)
        {
            return endpoint.FilePath == ":memory:" || File.Exists(endpoint.FilePath)
                ? HealthCheckResult.Healthy("Database file exists")
                : HealthCheckResult.Unhealthy("Database file '" + endpoint.FilePath + "' does not exist");
        }

        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint.Host!, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("TCP connection to " + endpoint.Host + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture) + " opened");
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy(
                "No TCP connection to " + endpoint.Host + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture) + " (" + ex.SocketErrorCode + ")",
                ex);
        }
    }

    /// <summary>
    /// Reads the host and port of a key=value connection string (Host/Server/Data Source/Address, Port, with
    /// <c>tcp:host,port</c> and <c>host:port</c> forms) or a URL (postgres://, mysql://, mongodb://, redis://, …).
    /// Without a port: Host (Npgsql's keyword) means 5432, anything else 1433 (SQL Server's), a URL its scheme's.
    /// </summary>
    internal static bool TryParse(string connectionString, out DatabaseEndpoint endpoint)
    {
        endpoint = default;
        if (Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out Uri? uri) && !uri.IsFile && !string.IsNullOrEmpty(uri.Host) && uri.Scheme != "data")
        {
            int port = uri.IsDefaultPort || uri.Port <= 0 ? DefaultPortForScheme(uri.Scheme) : uri.Port;
            if (port <= 0)
            {
                return false;
            }

            endpoint = new DatabaseEndpoint(uri.Host, port, null);
            return true;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return false;
        }

        string? filename = Value(builder, "Filename", "AttachDbFilename");
        string? hostKey = null;
        string? host = null;
        foreach (string key in new[] { "Host", "Server", "Data Source", "DataSource", "Address", "Addr", "Network Address" })
        {
            host = Value(builder, key);
            if (host is not null)
            {
                hostKey = key;
                break;
            }
        }

        if (host is null)
        {
            if (filename is not null)
            {
                endpoint = new DatabaseEndpoint(null, 0, filename);
                return true;
            }

            return false;
        }

        if (LooksLikeFile(host))
        {
            endpoint = new DatabaseEndpoint(null, 0, host);
            return true;
        }

        // Npgsql's Host lists failover hosts with commas (host1:5432,host2): the first one decides. Elsewhere a
        // comma separates SQL Server's port (host,1433).
        if (string.Equals(hostKey, "Host", StringComparison.OrdinalIgnoreCase))
        {
            string[] hosts = host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (hosts.Length == 0)
            {
                return false;
            }

            host = hosts[0];
        }
        if (host.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            host = host.Substring(4);
        }

        int? explicitPort = null;
        int comma = host.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            // SQL Server: host,port
            if (int.TryParse(host.AsSpan(comma + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int sqlPort))
            {
                explicitPort = sqlPort;
            }

            host = host.Substring(0, comma);
        }

        int colon = host.LastIndexOf(':');
        if (colon > 0 && host.IndexOf(':', StringComparison.Ordinal) == colon && int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int hostPort))
        {
            explicitPort = hostPort;
            host = host.Substring(0, colon);
        }

        // A named instance (host\instance) resolves its port through SQL Browser; reach the host's default.
        int backslash = host.IndexOf('\\', StringComparison.Ordinal);
        if (backslash >= 0)
        {
            host = host.Substring(0, backslash);
        }

        host = host.Trim().Trim('[', ']');
        if (host.Length == 0 || host == "." || host.Equals("(local)", StringComparison.OrdinalIgnoreCase))
        {
            host = "localhost";
        }

        if (host.StartsWith("(localdb)", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string? portText = Value(builder, "Port");
        if (portText is not null && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int keyPort))
        {
            explicitPort = keyPort;
        }

        int finalPort = explicitPort ?? (string.Equals(hostKey, "Host", StringComparison.OrdinalIgnoreCase) ? 5432 : 1433);
        if (finalPort is <= 0 or > 65535)
        {
            return false;
        }

        endpoint = new DatabaseEndpoint(host, finalPort, null);
        return true;
    }

    private static string? Value(DbConnectionStringBuilder builder, params string[] keys)
    {
        foreach (string key in keys)
        {
            if (builder.TryGetValue(key, out object? value) && value is string text && !string.IsNullOrWhiteSpace(text))
            {
                return text.Trim();
            }
        }

        return null;
    }

    private static bool LooksLikeFile(string value) =>
        value.Equals(":memory:", StringComparison.OrdinalIgnoreCase)
        || value.EndsWith(".db", StringComparison.OrdinalIgnoreCase)
        || value.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase)
        || value.EndsWith(".sqlite3", StringComparison.OrdinalIgnoreCase)
        || value.EndsWith(".mdf", StringComparison.OrdinalIgnoreCase)
        || value.Contains('/', StringComparison.Ordinal);

    private static int DefaultPortForScheme(string scheme) => scheme.ToLowerInvariant() switch
    {
        "postgres" or "postgresql" => 5432,
        "mysql" or "mariadb" => 3306,
        "mongodb" => 27017,
        "redis" or "rediss" => 6379,
        "sqlserver" or "mssql" => 1433,
        "amqp" => 5672,
        "amqps" => 5671,
        "http" => 80,
        "https" => 443,
        _ => -1,
    };
}
