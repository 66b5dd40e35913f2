using System.Net;
using System.Net.Sockets;

namespace OperableService._1.Tests;

/// <summary>
/// Stands in for example-db: a TCP listener on 127.0.0.1. The readiness check only needs the database to
/// accept a connection, so nothing has to speak its protocol.
/// </summary>
internal sealed class FakeDatabase : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FakeDatabase() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=example-db";

    /// <summary>A connection string to a port nothing listens on: the database is down.</summary>
    public static string Unreachable()
    {
        using var probe = new FakeDatabase();
        return probe.ConnectionString;
    }

    public void Dispose() => _listener.Stop();
}
