using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// A real PostgreSQL (Debian's server binaries, <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, or
/// <c>OPERABILITY_POSTGRES_BIN</c>) with a throwaway data directory under the temp folder, listening on 127.0.0.1
/// only, on a free port. PostgreSQL refuses to run as root, so as root every command runs as the <c>postgres</c> user
/// (created by Debian's package) through <c>runuser</c>. Stopped and deleted on dispose, whatever state it is in.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);

    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private readonly bool _asServiceUser;

    private PostgresServer(string bin, string root, bool asServiceUser)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        _asServiceUser = asServiceUser;
        Port = FreePort();
    }

    public int Port { get; }

    /// <summary>Trust authentication: the password is there only so tests can look for it where it must not be.</summary>
    public string ConnectionString => "Host=127.0.0.1;Port=" + Port.ToString(CultureInfo.InvariantCulture)
        + ";Database=postgres;Username=postgres;Password=hunter2;Timeout=5;Command Timeout=5";

    /// <summary>initdb and start; fails (with what to install) when the server binaries are missing.</summary>
    public static PostgresServer Start()
    {
        string? bin = FindBinaries();
        Assert.True(
            bin is not null,
            "PostgreSQL's server binaries (initdb, pg_ctl) are missing: install Debian's postgresql (apt-get install -y --no-install-recommends postgresql) or set OPERABILITY_POSTGRES_BIN; 'build.ps1 test' installs it when it may.");

        bool asServiceUser = Environment.IsPrivilegedProcess;
        string root = Path.Combine(Path.GetTempPath(), "operability-postgres-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var server = new PostgresServer(bin!, root, asServiceUser);
        try
        {
            if (asServiceUser)
            {
                // initdb creates the data directory; the service user must own the folder it creates it in.
                Run("chown", ServiceUser + ":", root);
            }

            server.RunAsServer("initdb", "-D", server._data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            server.StartAgain();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts the stopped server and waits (pg_ctl -w, bounded by -t) until it accepts connections.</summary>
    public void StartAgain() => RunAsServer(
        "pg_ctl",
        "-D", _data,
        "-l", Path.Combine(_root, "postgres.log"),
        "-w", "-t", "30",
        "-o", "-p " + Port.ToString(CultureInfo.InvariantCulture) + " -k " + _data + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start");

    /// <summary>Fast shutdown: clients are disconnected at once, as in a database restart or failover.</summary>
    public void Stop() => RunAsServer("pg_ctl", "-D", _data, "-m", "fast", "-w", "-t", "30", "stop");

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                RunAsServer("pg_ctl", "-D", _data, "-m", "immediate", "-w", "-t", "30", "stop");
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped between the check and the command; the directory goes either way.
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void RunAsServer(string program, params string[] arguments)
    {
        string path = Path.Combine(_bin, program);
        if (_asServiceUser)
        {
            Run("runuser", new[] { "-u", ServiceUser, "--", path }.Concat(arguments).ToArray());
        }
        else
        {
            Run(path, arguments);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + program);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(program + " " + string.Join(' ', arguments) + " did not finish within " + CommandLimit);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(program + " " + string.Join(' ', arguments) + " exited with " + process.ExitCode + ": " + output.Result + error.Result);
        }
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("OPERABILITY_POSTGRES_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        const string Debian = "/usr/lib/postgresql";
        if (!Directory.Exists(Debian))
        {
            return null;
        }

        // The newest installed major version.
        return Directory.GetDirectories(Debian)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.None, CultureInfo.InvariantCulture, out int major) ? major : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
