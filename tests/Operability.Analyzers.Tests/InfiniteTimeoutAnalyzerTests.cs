using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Test = Operability.Analyzers.Tests.AnalyzerTest<Operability.Analyzers.InfiniteTimeoutAnalyzer>;

namespace Operability.Analyzers.Tests
{
    public sealed class InfiniteTimeoutAnalyzerTests
    {
        private static Test Source(string code, ReferenceAssemblies? references = null)
        {
            var test = new Test { TestCode = code };
            if (references is not null)
            {
                test.ReferenceAssemblies = references;
            }

            return test;
        }

        private static DiagnosticResult At(int markup, string target, string value) =>
            new DiagnosticResult(RuleDescriptors.InfiniteTimeout).WithLocation(markup).WithArguments(target, value);

        // ---------------------------------------------------------------- HTTP

        [Fact]
        public async Task HttpClientTimeout_InfiniteTimeSpan_ReportsWithMessage()
        {
            const string code = """
                using System.Net.Http;
                using System.Threading;

                public sealed class CatalogClient
                {
                    public HttpClient Create()
                    {
                        var client = new HttpClient();
                        client.Timeout = {|#0:Timeout.InfiniteTimeSpan|};
                        return client;
                    }
                }
                """;
            await Source(code)
                .Expect(new DiagnosticResult(RuleDescriptors.InfiniteTimeout).WithLocation(0)
                    .WithMessage("'HttpClient.Timeout' is set to Timeout.InfiniteTimeSpan, which means no timeout; give it a bounded value"))
                .VerifyAsync();
        }

        [Fact]
        public async Task HttpClientTimeout_InObjectInitializer_TimeSpanMaxValue_Reports()
        {
            const string code = """
                using System;
                using System.Net.Http;

                public static class Clients
                {
                    public static HttpClient Basket() => new HttpClient { BaseAddress = new Uri("http://basket"), Timeout = {|#0:TimeSpan.MaxValue|} };
                }
                """;
            await Source(code).Expect(At(0, "HttpClient.Timeout", "TimeSpan.MaxValue")).VerifyAsync();
        }

        [Fact]
        public async Task HttpClientTimeout_FullyQualifiedInfinite_ReportsValueAsWritten()
        {
            const string code = """
                public static class Clients
                {
                    public static void Configure(System.Net.Http.HttpClient client)
                    {
                        client.Timeout = {|#0:System.Threading.Timeout.InfiniteTimeSpan|};
                    }
                }
                """;
            await Source(code).Expect(At(0, "HttpClient.Timeout", "System.Threading.Timeout.InfiniteTimeSpan")).VerifyAsync();
        }

        [Fact]
        public async Task HttpClientTimeout_FromMillisecondsMinusOne_Reports()
        {
            const string code = """
                using System;
                using System.Net.Http;
                using System.Threading;

                public static class Clients
                {
                    public static void Configure(HttpClient client)
                    {
                        client.Timeout = {|#0:TimeSpan.FromMilliseconds(-1)|};
                        client.Timeout = {|#1:TimeSpan.FromMilliseconds(Timeout.Infinite)|};
                    }
                }
                """;
            await Source(code)
                .Expect(At(0, "HttpClient.Timeout", "TimeSpan.FromMilliseconds(-1)"), At(1, "HttpClient.Timeout", "TimeSpan.FromMilliseconds(Timeout.Infinite)"))
                .VerifyAsync();
        }

        [Fact]
        public async Task HttpClientDefaults_ConfigureHttpClientLambda_Reports()
        {
            const string code = """
                using System.Threading;
                using Microsoft.Extensions.DependencyInjection;

                public static class ServiceDefaults
                {
                    public static IServiceCollection AddServiceDefaults(this IServiceCollection services)
                    {
                        services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = {|#0:Timeout.InfiniteTimeSpan|}));
                        services.AddHttpClient("catalog", client => { client.Timeout = {|#1:Timeout.InfiniteTimeSpan|}; });
                        return services;
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.HttpClientFactory)
                .Expect(At(0, "HttpClient.Timeout", "Timeout.InfiniteTimeSpan"), At(1, "HttpClient.Timeout", "Timeout.InfiniteTimeSpan"))
                .VerifyAsync();
        }

        [Fact]
        public async Task SocketsHttpHandler_ConnectAndDrainTimeoutInfinite_Reports()
        {
            const string code = """
                using System;
                using System.Net.Http;
                using System.Threading;

                public static class Handlers
                {
                    public static SocketsHttpHandler Create() => new SocketsHttpHandler
                    {
                        ConnectTimeout = {|#0:Timeout.InfiniteTimeSpan|},
                        ResponseDrainTimeout = {|#1:TimeSpan.MaxValue|},
                        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                    };
                }
                """;
            await Source(code)
                .Expect(At(0, "SocketsHttpHandler.ConnectTimeout", "Timeout.InfiniteTimeSpan"), At(1, "SocketsHttpHandler.ResponseDrainTimeout", "TimeSpan.MaxValue"))
                .VerifyAsync();
        }

        [Fact]
        public async Task HttpWebRequest_TimeoutInfinite_Reports()
        {
            const string code = """
                using System.Net;
                using System.Threading;

                public static class Legacy
                {
                    public static void Configure(HttpWebRequest request)
                    {
                        request.Timeout = {|#0:Timeout.Infinite|};
                        request.ReadWriteTimeout = {|#1:-1|};
                    }
                }
                """;
            await Source(code)
                .Expect(At(0, "HttpWebRequest.Timeout", "Timeout.Infinite"), At(1, "HttpWebRequest.ReadWriteTimeout", "-1"))
                .VerifyAsync();
        }

        [Fact]
        public async Task HttpClientTimeout_BoundedOrZeroOrFromConfiguration_NoDiagnostic()
        {
            const string code = """
                using System;
                using System.Net.Http;

                public sealed class ClientOptions { public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10); }

                public static class Clients
                {
                    private static readonly TimeSpan Configured = TimeSpan.FromSeconds(5);

                    public static void Configure(HttpClient client, ClientOptions options, TimeSpan fromCaller)
                    {
                        client.Timeout = TimeSpan.FromSeconds(30);
                        client.Timeout = TimeSpan.Zero; // throws at run time, but is not "wait forever"
                        client.Timeout = options.Timeout;
                        client.Timeout = fromCaller;
                        client.Timeout = Configured;
                        client.Timeout = TimeSpan.FromSeconds(-1);
                        // client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                    }
                }
                """;
            await Source(code).VerifyAsync();
        }

        // ---------------------------------------------------------------- ADO.NET

        [Fact]
        public async Task SqlCommand_CommandTimeoutZero_ReportsWithMessage()
        {
            const string code = """
                using Microsoft.Data.SqlClient;

                public sealed class OrderRepository
                {
                    public void Purge(SqlConnection connection)
                    {
                        using var command = new SqlCommand("DELETE FROM Orders WHERE Archived = 1", connection);
                        command.CommandTimeout = {|#0:0|};
                        command.ExecuteNonQuery();
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.MicrosoftDataSqlClient)
                .Expect(new DiagnosticResult(RuleDescriptors.InfiniteTimeout).WithLocation(0)
                    .WithMessage("'SqlCommand.CommandTimeout' is set to 0, which means no timeout; give it a bounded value"))
                .VerifyAsync();
        }

        [Fact]
        public async Task SqlCommand_CommandTimeoutZeroInInitializerAndThroughConsts_Reports()
        {
            const string code = """
                using Microsoft.Data.SqlClient;

                public sealed class ReportRepository
                {
                    private const int NoTimeout = 0;

                    public SqlCommand Create(SqlConnection connection)
                    {
                        const int unlimited = NoTimeout;
                        var first = new SqlCommand("SELECT 1", connection) { CommandTimeout = {|#0:NoTimeout|} };
                        first.CommandTimeout = {|#1:unlimited|};
                        return first;
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.MicrosoftDataSqlClient)
                .Expect(At(0, "SqlCommand.CommandTimeout", "NoTimeout"), At(1, "SqlCommand.CommandTimeout", "unlimited"))
                .VerifyAsync();
        }

        [Fact]
        public async Task DbCommandAndIDbCommand_CommandTimeoutZero_ReportsWithDeclaredType()
        {
            const string code = """
                using System.Data;
                using System.Data.Common;

                public static class Commands
                {
                    public static void Configure(DbConnection connection, IDbCommand legacy)
                    {
                        using var command = connection.CreateCommand();
                        command.CommandTimeout = {|#0:0|};
                        legacy.CommandTimeout = {|#1:0|};
                    }
                }
                """;
            await Source(code)
                .Expect(At(0, "DbCommand.CommandTimeout", "0"), At(1, "IDbCommand.CommandTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task HandWrittenIDbCommand_CommandTimeoutZero_Reports()
        {
            const string code = """
                using System.Data;

                public abstract class TracingCommand : IDbCommand
                {
                    public int CommandTimeout { get; set; }
                    public abstract string CommandText { get; set; }
                    public abstract CommandType CommandType { get; set; }
                    public abstract IDbConnection? Connection { get; set; }
                    public abstract IDataParameterCollection Parameters { get; }
                    public abstract IDbTransaction? Transaction { get; set; }
                    public abstract UpdateRowSource UpdatedRowSource { get; set; }
                    public abstract void Cancel();
                    public abstract IDbDataParameter CreateParameter();
                    public abstract void Dispose();
                    public abstract int ExecuteNonQuery();
                    public abstract IDataReader ExecuteReader();
                    public abstract IDataReader ExecuteReader(CommandBehavior behavior);
                    public abstract object? ExecuteScalar();
                    public abstract void Prepare();

                    public void Unbounded() => CommandTimeout = {|#0:0|};
                }
                """;
            await Source(code).Expect(At(0, "TracingCommand.CommandTimeout", "0")).VerifyAsync();
        }

        [Fact]
        public async Task SqlBulkCopyAndConnectionStringBuilder_Zero_Reports()
        {
            const string code = """
                using Microsoft.Data.SqlClient;

                public static class Import
                {
                    public static string ConnectionString(string server) => new SqlConnectionStringBuilder
                    {
                        DataSource = server,
                        ConnectTimeout = {|#0:0|},
                        CommandTimeout = {|#1:0|},
                    }.ConnectionString;

                    public static void Load(SqlConnection connection)
                    {
                        using var bulk = new SqlBulkCopy(connection) { DestinationTableName = "Orders" };
                        bulk.BulkCopyTimeout = {|#2:0|};
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.MicrosoftDataSqlClient)
                .Expect(
                    At(0, "SqlConnectionStringBuilder.ConnectTimeout", "0"),
                    At(1, "SqlConnectionStringBuilder.CommandTimeout", "0"),
                    At(2, "SqlBulkCopy.BulkCopyTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task SystemDataSqlClient_CommandAndBulkCopyZero_Reports()
        {
            const string code = """
                using System.Data.SqlClient;

                public static class LegacyImport
                {
                    public static void Load(SqlConnection connection, SqlCommand command)
                    {
                        command.CommandTimeout = {|#0:0|};
                        using var bulk = new SqlBulkCopy(connection) { BulkCopyTimeout = {|#1:0|} };
                        var builder = new SqlConnectionStringBuilder { ConnectTimeout = {|#2:0|} };
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.SystemDataSqlClient)
                .Expect(
                    At(0, "SqlCommand.CommandTimeout", "0"),
                    At(1, "SqlBulkCopy.BulkCopyTimeout", "0"),
                    At(2, "SqlConnectionStringBuilder.ConnectTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task Npgsql_CommandAndConnectionStringCommandTimeoutZero_Reports()
        {
            const string code = """
                using Npgsql;

                public static class Ledger
                {
                    public static void Configure(NpgsqlConnection connection)
                    {
                        using var command = new NpgsqlCommand("VACUUM", connection) { CommandTimeout = {|#0:0|} };
                        var builder = new NpgsqlConnectionStringBuilder { Host = "db", CommandTimeout = {|#1:0|}, Timeout = 15 };
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.Npgsql)
                .Expect(At(0, "NpgsqlCommand.CommandTimeout", "0"), At(1, "NpgsqlConnectionStringBuilder.CommandTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task CommandTimeout_BoundedOrConfiguredOrUnrelatedType_NoDiagnostic()
        {
            const string code = """
                using Microsoft.Data.SqlClient;

                public sealed class ReportOptions
                {
                    public int CommandTimeout { get; set; }
                    public int BulkCopyTimeout { get; set; }
                }

                public sealed class Reports
                {
                    public void Run(SqlConnection connection, ReportOptions options)
                    {
                        var unrelated = new ReportOptions { CommandTimeout = 0, BulkCopyTimeout = 0 };
                        using var command = new SqlCommand("SELECT 1", connection) { CommandTimeout = 30 };
                        command.CommandTimeout = options.CommandTimeout;
                        var seconds = 0;
                        command.CommandTimeout = seconds;
                        command.CommandTimeout += 0;
                        if (command.CommandTimeout == 0) { }
                        using var bulk = new SqlBulkCopy(connection) { BulkCopyTimeout = 600 };
                    }
                }
                """;
            await Source(code, References.InfiniteTimeout.MicrosoftDataSqlClient).VerifyAsync();
        }

        // ---------------------------------------------------------------- EF Core

        [Fact]
        public async Task EfCore_CommandTimeoutZeroAndSetCommandTimeoutZero_Reports()
        {
            const string code = """
                using System;
                using Microsoft.EntityFrameworkCore;

                public sealed class OrderingContext : DbContext
                {
                    public OrderingContext(DbContextOptions<OrderingContext> options) : base(options)
                    {
                        Database.SetCommandTimeout({|#0:0|});
                    }

                    public void Migrate() => Database.SetCommandTimeout({|#1:TimeSpan.Zero|});
                }

                public static class Registration
                {
                    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
                        options.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout({|#2:0|}));
                }
                """;
            await Source(code, References.InfiniteTimeout.EfCoreSqlite)
                .Expect(
                    At(0, "DatabaseFacade.SetCommandTimeout", "0"),
                    At(1, "DatabaseFacade.SetCommandTimeout", "TimeSpan.Zero"),
                    At(2, "SqliteDbContextOptionsBuilder.CommandTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task EfCore_BoundedOrConfiguredTimeouts_NoDiagnostic()
        {
            const string code = """
                using System;
                using Microsoft.EntityFrameworkCore;

                public sealed class OrderingContext : DbContext
                {
                    public OrderingContext(DbContextOptions<OrderingContext> options) : base(options)
                    {
                        Database.SetCommandTimeout(60);
                        Database.SetCommandTimeout(TimeSpan.FromMinutes(2));
                        Database.SetCommandTimeout(null);
                    }
                }

                public static class Registration
                {
                    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString, int? configured) =>
                        options.UseSqlite(connectionString, sqlite => sqlite.MaxBatchSize(0).MinBatchSize(0).CommandTimeout(30).CommandTimeout(configured));
                }
                """;
            await Source(code, References.InfiniteTimeout.EfCoreSqlite).VerifyAsync();
        }

        // ---------------------------------------------------------------- sockets and streams

        [Fact]
        public async Task SocketAndTcpClient_ZeroOrMinusOne_Reports()
        {
            const string code = """
                using System.Net.Sockets;
                using System.Threading;

                public static class Telemetry
                {
                    public static void Configure(Socket socket, TcpClient client)
                    {
                        socket.ReceiveTimeout = {|#0:0|};
                        socket.SendTimeout = {|#1:Timeout.Infinite|};
                        client.ReceiveTimeout = {|#2:0|};
                        client.SendTimeout = 5000;
                    }
                }
                """;
            await Source(code)
                .Expect(At(0, "Socket.ReceiveTimeout", "0"), At(1, "Socket.SendTimeout", "Timeout.Infinite"), At(2, "TcpClient.ReceiveTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task NetworkStream_ReadTimeoutInfinite_ReportsButZeroDoesNot()
        {
            const string code = """
                using System.IO;
                using System.Net.Sockets;
                using System.Threading;

                public static class Telemetry
                {
                    public static void Configure(TcpClient client, Stream stream)
                    {
                        var network = client.GetStream();
                        network.ReadTimeout = {|#0:Timeout.Infinite|};
                        network.WriteTimeout = 0;
                        stream.WriteTimeout = {|#1:-1|};
                        stream.ReadTimeout = 2000;
                    }
                }
                """;
            await Source(code)
                .Expect(At(0, "NetworkStream.ReadTimeout", "Timeout.Infinite"), At(1, "Stream.WriteTimeout", "-1"))
                .VerifyAsync();
        }

        // ---------------------------------------------------------------- cancellation

        [Fact]
        public async Task CancellationTokenSource_InfiniteDelay_Reports()
        {
            const string code = """
                using System;
                using System.Threading;

                public static class Deadlines
                {
                    public static CancellationTokenSource Create()
                    {
                        var first = new CancellationTokenSource({|#0:Timeout.InfiniteTimeSpan|});
                        first.CancelAfter({|#1:Timeout.Infinite|});
                        first.CancelAfter(millisecondsDelay: {|#2:-1|});
                        first.CancelAfter({|#3:TimeSpan.FromMilliseconds(-1)|});
                        return new CancellationTokenSource({|#4:-1|});
                    }
                }
                """;
            await Source(code)
                .Expect(
                    At(0, "new CancellationTokenSource", "Timeout.InfiniteTimeSpan"),
                    At(1, "CancellationTokenSource.CancelAfter", "Timeout.Infinite"),
                    At(2, "CancellationTokenSource.CancelAfter", "-1"),
                    At(3, "CancellationTokenSource.CancelAfter", "TimeSpan.FromMilliseconds(-1)"),
                    At(4, "new CancellationTokenSource", "-1"))
                .VerifyAsync();
        }

        [Fact]
        public async Task CancellationTokenSource_BoundedDelay_NoDiagnostic()
        {
            const string code = """
                using System;
                using System.Threading;

                public static class Deadlines
                {
                    public static CancellationTokenSource Create(TimeSpan configured)
                    {
                        var source = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        source.CancelAfter(0); // cancels now
                        source.CancelAfter(configured);
                        using var plain = new CancellationTokenSource();
                        return source;
                    }
                }
                """;
            await Source(code).VerifyAsync();
        }

        // ---------------------------------------------------------------- BCL waits

        [Fact]
        public async Task BlockingWaits_WithInfiniteTimeout_Report()
        {
            const string code = """
                using System.Diagnostics;
                using System.Threading;
                using System.Threading.Tasks;

                public sealed class Worker
                {
                    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);
                    private readonly ManualResetEvent _ready = new ManualResetEvent(false);

                    public void Run(Task task, Task[] all, Process process, object sync)
                    {
                        task.Wait({|#0:Timeout.Infinite|});
                        _gate.Wait({|#1:Timeout.InfiniteTimeSpan|});
                        _ready.WaitOne({|#2:-1|});
                        Task.WaitAll(all, {|#3:Timeout.Infinite|});
                        process.WaitForExit({|#4:-1|});
                        Monitor.TryEnter(sync, {|#5:Timeout.InfiniteTimeSpan|});
                        _gate.Wait({|#6:Timeout.Infinite|}, CancellationToken.None);
                    }
                }
                """;
            await Source(code)
                .Expect(
                    At(0, "Task.Wait", "Timeout.Infinite"),
                    At(1, "SemaphoreSlim.Wait", "Timeout.InfiniteTimeSpan"),
                    At(2, "ManualResetEvent.WaitOne", "-1"),
                    At(3, "Task.WaitAll", "Timeout.Infinite"),
                    At(4, "Process.WaitForExit", "-1"),
                    At(5, "Monitor.TryEnter", "Timeout.InfiniteTimeSpan"),
                    At(6, "SemaphoreSlim.Wait", "Timeout.Infinite"))
                .VerifyAsync();
        }

        [Fact]
        public async Task WaitAsync_InfiniteTimeSpan_Reports()
        {
            const string code = """
                using System.Threading;
                using System.Threading.Tasks;

                public static class Calls
                {
                    public static Task Bound(Task call) => call.WaitAsync({|#0:Timeout.InfiniteTimeSpan|});
                }
                """;
            await Source(code).Expect(At(0, "Task.WaitAsync", "Timeout.InfiniteTimeSpan")).VerifyAsync();
        }

        [Fact]
        public async Task IntentionalInfiniteWaitsAndBoundedWaits_NoDiagnostic()
        {
            const string code = """
                using System;
                using System.Text.RegularExpressions;
                using System.Threading;
                using System.Threading.Tasks;

                public sealed class Worker
                {
                    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

                    public async Task ExecuteAsync(Task task, CancellationToken stoppingToken)
                    {
                        await Task.Delay(Timeout.Infinite, stoppingToken);
                        await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken);
                        Thread.Sleep(Timeout.Infinite);
                        await _gate.WaitAsync(Timeout.Infinite, stoppingToken);
                        task.Wait(Timeout.Infinite, stoppingToken);
                        task.Wait(TimeSpan.FromSeconds(10));
                        _gate.Wait(0);
                        _ = Regex.IsMatch("a", "a", RegexOptions.None, Timeout.InfiniteTimeSpan);
                        using var timer = new Timer(_ => { }, null, Timeout.Infinite, Timeout.Infinite);
                        timer.Change(Timeout.Infinite, Timeout.Infinite);
                    }
                }
                """;
            await Source(code).VerifyAsync();
        }

        [Fact]
        public async Task UserMethodWithTimeoutParameter_NoDiagnostic()
        {
            const string code = """
                using System;
                using System.Threading;

                namespace Shop.Orders
                {
                    public static class Poller
                    {
                        public static void Poll(int millisecondsTimeout) { }
                        public static void Poll(TimeSpan timeout) { }

                        public static void Run()
                        {
                            Poll(Timeout.Infinite);
                            Poll(Timeout.InfiniteTimeSpan);
                        }
                    }
                }
                """;
            await Source(code).VerifyAsync();
        }

        // ---------------------------------------------------------------- Polly

        [Fact]
        public async Task PollyV8_AddTimeoutAndOptionsInfinite_Report()
        {
            const string code = """
                using System.Threading;
                using Polly;
                using Polly.Timeout;

                public static class Pipelines
                {
                    public static ResiliencePipeline Create() => new ResiliencePipelineBuilder()
                        .AddTimeout({|#0:Timeout.InfiniteTimeSpan|})
                        .AddTimeout(new TimeoutStrategyOptions { Timeout = {|#1:Timeout.InfiniteTimeSpan|} })
                        .Build();
                }
                """;
            await Source(code, References.InfiniteTimeout.PollyCore)
                .Expect(At(0, "ResiliencePipelineBuilder.AddTimeout", "Timeout.InfiniteTimeSpan"), At(1, "TimeoutStrategyOptions.Timeout", "Timeout.InfiniteTimeSpan"))
                .VerifyAsync();
        }

        [Fact]
        public async Task PollyV8_BoundedTimeout_NoDiagnostic()
        {
            const string code = """
                using System;
                using Polly;
                using Polly.Timeout;

                public static class Pipelines
                {
                    public static ResiliencePipeline Create() => new ResiliencePipelineBuilder()
                        .AddTimeout(TimeSpan.FromSeconds(2))
                        .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(10) })
                        .Build();
                }
                """;
            await Source(code, References.InfiniteTimeout.PollyCore).VerifyAsync();
        }

        [Fact]
        public async Task PollyV7_TimeoutAsyncInfinite_Reports()
        {
            const string code = """
                using System.Threading;
                using Polly;

                public static class Policies
                {
                    public static IAsyncPolicy Timeout() => Policy.TimeoutAsync({|#0:System.Threading.Timeout.InfiniteTimeSpan|});
                    public static IAsyncPolicy Bounded() => Policy.TimeoutAsync(10);
                }
                """;
            await Source(code, References.InfiniteTimeout.PollyV7)
                .Expect(At(0, "Policy.TimeoutAsync", "System.Threading.Timeout.InfiniteTimeSpan"))
                .VerifyAsync();
        }

        // ---------------------------------------------------------------- code shapes

        [Fact]
        public async Task TopLevelStatements_LocalFunctionAndNestedLambda_Report()
        {
            const string code = """
                using System;
                using System.Net.Http;
                using System.Threading;

                var client = new HttpClient();
                Configure(client);
                Action<HttpClient> outer = c =>
                {
                    Func<HttpClient, HttpClient> inner = x => { x.Timeout = {|#1:Timeout.InfiniteTimeSpan|}; return x; };
                    inner(c);
                };
                outer(client);

                void Configure(HttpClient c) => c.Timeout = {|#0:Timeout.InfiniteTimeSpan|};
                """;
            var test = Source(code);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.Expect(At(0, "HttpClient.Timeout", "Timeout.InfiniteTimeSpan"), At(1, "HttpClient.Timeout", "Timeout.InfiniteTimeSpan")).VerifyAsync();
        }

        [Fact]
        public async Task GeneratedCode_NoDiagnostic()
        {
            const string generated = """
                // <auto-generated/>
                public static class Generated
                {
                    public static void Configure(System.Net.Http.HttpClient client) => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
                }
                """;
            const string generatedByName = """
                public static class GeneratedByName
                {
                    public static void Configure(System.Data.IDbCommand command) => command.CommandTimeout = 0;
                }
                """;
            var test = new Test();
            test.TestState.Sources.Add(("/0/Generated.cs", generated));
            test.TestState.Sources.Add(("/0/Client.g.cs", generatedByName));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_DoesNotThrow()
        {
            const string code = """
                using System.Net.Http;
                using System.Threading;

                public static class Broken
                {
                    public static void Configure(HttpClient client, Unknown thing)
                    {
                        client.Timeout = ;
                        client.Timeout = Timeout.;
                        thing.CommandTimeout = 0;
                        new CancellationTokenSource(
                        client.Timeout = {|#0:Timeout.InfiniteTimeSpan|}
                        Task.Wait(Timeout.Infinite);
                        Missing.WaitOne(-1);
                        var cts = new CancellationTokenSource();
                        cts.CancelAfter();
                        cts.CancelAfter(Timeout.Infinite, 3);
                    }
                }
                """;
            var test = Source(code);
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.Expect(At(0, "HttpClient.Timeout", "Timeout.InfiniteTimeSpan")).VerifyAsync();
        }

        // ---------------------------------------------------------------- test projects

        private const string TestProjectCode = """
            using System.Data;

            public static class Fixture
            {
                public static void Configure(IDbCommand command) => command.CommandTimeout = {|#0:0|};
            }
            """;

        [Fact]
        public async Task TestProject_ByProperty_NoDiagnostic()
        {
            var code = TestProjectCode.Replace("{|#0:0|}", "0", System.StringComparison.Ordinal);
            await Source(code).WithProperty("IsTestProject", "true").VerifyAsync();
        }

        [Fact]
        public async Task TestProject_ByFrameworkReference_NoDiagnostic()
        {
            var code = TestProjectCode.Replace("{|#0:0|}", "0", System.StringComparison.Ordinal);
            await Source(code, References.Xunit).VerifyAsync();
        }

        [Fact]
        public async Task TestProject_OptedInByEditorConfig_Reports()
        {
            await Source(TestProjectCode)
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .Expect(At(0, "IDbCommand.CommandTimeout", "0"))
                .VerifyAsync();
        }

        [Fact]
        public async Task TestProject_OptedInByGlobalConfig_Reports()
        {
            var test = Source(TestProjectCode, References.Xunit).WithProperty("IsTestProject", "true");
            test.TestState.AnalyzerConfigFiles.Add(("/.operability.globalconfig", "is_global = true\noperability.timeouts.include_test_projects = true\n"));
            await test.Expect(At(0, "IDbCommand.CommandTimeout", "0")).VerifyAsync();
        }
    }
}
