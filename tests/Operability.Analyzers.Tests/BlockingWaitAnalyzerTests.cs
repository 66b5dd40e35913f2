using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace Operability.Analyzers.Tests
{
    public sealed class BlockingWaitAnalyzerTests
    {
        private static DiagnosticResult Ops105(int markup, string call) =>
            new DiagnosticResult(RuleDescriptors.BlockingWaitWithoutTimeout).WithLocation(markup).WithArguments(call);

        private static AnalyzerTest<BlockingWaitAnalyzer> Test(string source, params DiagnosticResult[] expected)
        {
            var test = new AnalyzerTest<BlockingWaitAnalyzer> { TestCode = source };
            test.Expect(expected);
            return test;
        }

        // ---- Task ----

        [Fact]
        public async Task TaskWait_WithoutTimeout_ReportsDiagnosticOnNameAndArguments()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class OrderingBackgroundService
{
    private Task _consumer = Task.CompletedTask;

    public void Stop()
    {
        _consumer.{|#0:Wait()|};
    }
}";
            var test = Test(source, new DiagnosticResult(RuleDescriptors.BlockingWaitWithoutTimeout)
                .WithSpan(10, 19, 10, 25)
                .WithMessage("'Task.Wait()' blocks without a timeout; use the overload that takes a TimeSpan"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_WithCancellationTokenOnly_ReportsDiagnostic()
        {
            const string source = @"
using System.Threading;
using System.Threading.Tasks;

public sealed class Worker
{
    public void Drain(Task pending, CancellationToken stoppingToken)
    {
        pending.{|#0:Wait(stoppingToken)|};
    }
}";
            await Test(source, Ops105(0, "Task.Wait()")).VerifyAsync();
        }

        [Fact]
        public async Task TaskOfTWait_WithoutTimeout_ReportsDiagnosticNamingTask()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class CatalogClient
{
    public int Load(Task<int> load)
    {
        load.{|#0:Wait()|};
        return load.Result;
    }
}";
            await Test(source, Ops105(0, "Task.Wait()")).VerifyAsync();
        }

        [Fact]
        public async Task TaskWaitAllAndWaitAny_ParamsArrayAndTokenForms_ReportDiagnostics()
        {
            const string source = @"
using System.Threading;
using System.Threading.Tasks;

public sealed class Startup
{
    public void WarmUp(Task a, Task b, Task[] all, CancellationToken token)
    {
        Task.{|#0:WaitAll(a, b)|};
        Task.{|#1:WaitAll(all)|};
        Task.{|#2:WaitAll(all, token)|};
        var first = Task.{|#3:WaitAny(a, b)|};
        first = Task.{|#4:WaitAny(all, token)|};
    }
}";
            await Test(
                source,
                Ops105(0, "Task.WaitAll()"),
                Ops105(1, "Task.WaitAll()"),
                Ops105(2, "Task.WaitAll()"),
                Ops105(3, "Task.WaitAny()"),
                Ops105(4, "Task.WaitAny()")).VerifyAsync();
        }

        [Fact]
        public async Task TaskWaitAll_EnumerableAndSpanForms_OnNet9_ReportDiagnostics()
        {
            const string source = @"
using System.Collections.Generic;
using System.Threading.Tasks;

public sealed class Startup
{
    public void WarmUp(Task a, Task b, List<Task> pending)
    {
        Task.{|#0:WaitAll(pending)|};
        Task.{|#1:WaitAll(a, b)|};
        Task.WaitAll(pending.ToArray(), System.TimeSpan.FromSeconds(5));
    }
}";
            var test = Test(source, Ops105(0, "Task.WaitAll()"), Ops105(1, "Task.WaitAll()"));
            test.ReferenceAssemblies = References.Net90;
            await test.VerifyAsync();
        }

        // ---- WaitHandle and its subclasses ----

        [Fact]
        public async Task WaitOne_OnEveryWaitHandleSubclass_ReportsDiagnosticNamingTheReceiverType()
        {
            const string source = @"
using System.Threading;

public sealed class LegacyCoordinator
{
    public void Run(ManualResetEvent started, AutoResetEvent signal, Mutex mutex, Semaphore pool, EventWaitHandle handle, WaitHandle any)
    {
        started.{|#0:WaitOne()|};
        signal.{|#1:WaitOne()|};
        mutex.{|#2:WaitOne()|};
        pool.{|#3:WaitOne()|};
        handle.{|#4:WaitOne()|};
        if (any.{|#5:WaitOne()|})
        {
        }
    }
}";
            await Test(
                source,
                Ops105(0, "ManualResetEvent.WaitOne()"),
                Ops105(1, "AutoResetEvent.WaitOne()"),
                Ops105(2, "Mutex.WaitOne()"),
                Ops105(3, "Semaphore.WaitOne()"),
                Ops105(4, "EventWaitHandle.WaitOne()"),
                Ops105(5, "WaitHandle.WaitOne()")).VerifyAsync();
        }

        [Fact]
        public async Task WaitHandleWaitAllWaitAnySignalAndWait_WithoutTimeout_ReportDiagnostics()
        {
            const string source = @"
using System.Threading;

public sealed class LegacyCoordinator
{
    public void Run(WaitHandle[] handles, ManualResetEvent a, ManualResetEvent b)
    {
        WaitHandle.{|#0:WaitAll(handles)|};
        var index = WaitHandle.{|#1:WaitAny(handles)|};
        WaitHandle.{|#2:SignalAndWait(a, b)|};
    }
}";
            await Test(
                source,
                Ops105(0, "WaitHandle.WaitAll()"),
                Ops105(1, "WaitHandle.WaitAny()"),
                Ops105(2, "WaitHandle.SignalAndWait()")).VerifyAsync();
        }

        [Fact]
        public async Task WaitOne_OnUserSubclassOverridingIt_ReportsDiagnostic()
        {
            const string source = @"
using System.Threading;

public sealed class TracingEvent : EventWaitHandle
{
    public TracingEvent() : base(false, EventResetMode.AutoReset) { }

    public override bool WaitOne() => base.{|#0:WaitOne()|};
}

public static class Use
{
    public static void Run(TracingEvent e) => e.{|#1:WaitOne()|};
}";
            await Test(source, Ops105(0, "EventWaitHandle.WaitOne()"), Ops105(1, "TracingEvent.WaitOne()")).VerifyAsync();
        }

        // ---- the slim primitives, Barrier, Thread, Process ----

        [Fact]
        public async Task SemaphoreSlimWait_WithoutTimeoutAndWithTokenOnly_ReportDiagnostics()
        {
            const string source = @"
using System.Threading;

public sealed class DefaultRabbitMQPersistentConnection
{
    private readonly SemaphoreSlim _connectionLock = new SemaphoreSlim(1, 1);

    public void TryConnect(CancellationToken token)
    {
        _connectionLock.{|#0:Wait()|};
        try { } finally { _connectionLock.Release(); }
        _connectionLock.{|#1:Wait(token)|};
        _connectionLock.Release();
    }
}";
            await Test(source, Ops105(0, "SemaphoreSlim.Wait()"), Ops105(1, "SemaphoreSlim.Wait()")).VerifyAsync();
        }

        [Fact]
        public async Task ManualResetEventSlimAndCountdownEventWait_WithoutTimeout_ReportDiagnostics()
        {
            const string source = @"
using System.Threading;

public sealed class BatchGate
{
    public void Run(ManualResetEventSlim ready, CountdownEvent pending, CancellationToken token)
    {
        ready.{|#0:Wait()|};
        ready.{|#1:Wait(token)|};
        pending.{|#2:Wait()|};
        pending.{|#3:Wait(token)|};
    }
}";
            await Test(
                source,
                Ops105(0, "ManualResetEventSlim.Wait()"),
                Ops105(1, "ManualResetEventSlim.Wait()"),
                Ops105(2, "CountdownEvent.Wait()"),
                Ops105(3, "CountdownEvent.Wait()")).VerifyAsync();
        }

        [Fact]
        public async Task BarrierSignalAndWait_ThreadJoin_ProcessWaitForExit_WithoutTimeout_ReportDiagnostics()
        {
            const string source = @"
using System.Diagnostics;
using System.Threading;

public sealed class MigrationRunner
{
    public void Run(Barrier barrier, Thread pump, CancellationToken token)
    {
        barrier.{|#0:SignalAndWait()|};
        barrier.{|#1:SignalAndWait(token)|};
        pump.{|#2:Join()|};
        using var process = Process.Start(""dotnet"", ""ef database update"");
        process.{|#3:WaitForExit()|};
    }
}";
            await Test(
                source,
                Ops105(0, "Barrier.SignalAndWait()"),
                Ops105(1, "Barrier.SignalAndWait()"),
                Ops105(2, "Thread.Join()"),
                Ops105(3, "Process.WaitForExit()")).VerifyAsync();
        }

        // ---- where the call sits ----

        [Fact]
        public async Task Wait_InConditionalAccessLambdasAndLocalFunctions_ReportsDiagnostics()
        {
            const string source = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Shapes
{
    private Task? _pending;
    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

    public void Run()
    {
        _pending?.{|#0:Wait()|};
        Action outer = () =>
        {
            Func<int> inner = () => { _gate.{|#1:Wait()|}; return 1; };
            inner();
        };
        Local();

        void Local() => _pending?.{|#2:Wait()|};
    }
}";
            await Test(source, Ops105(0, "Task.Wait()"), Ops105(1, "SemaphoreSlim.Wait()"), Ops105(2, "Task.Wait()")).VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InTopLevelStatements_ReportsDiagnostic()
        {
            const string source = @"
using System.Threading.Tasks;

var warmUp = Task.Run(() => { });
warmUp.{|#0:Wait()|};
";
            var test = Test(source, Ops105(0, "Task.Wait()"));
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task SemaphoreWait_InBackgroundServiceOfAHostedWorker_ReportsDiagnostic()
        {
            const string source = @"
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

public sealed class GracePeriodManagerService : BackgroundService
{
    private readonly SemaphoreSlim _lock = new SemaphoreSlim(1, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lock.{|#0:Wait(stoppingToken)|};
        try
        {
            return Task.CompletedTask;
        }
        finally
        {
            _lock.Release();
        }
    }
}";
            var test = Test(source, Ops105(0, "SemaphoreSlim.Wait()"));
            test.ReferenceAssemblies = References.Hosting;
            await test.VerifyAsync();
        }

        // ---- not flagged ----

        [Fact]
        public async Task Waits_WithTimeSpanOrMilliseconds_NoDiagnostic()
        {
            const string source = @"
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

public sealed class Bounded
{
    public void Run(Task task, Task[] all, WaitHandle handle, WaitHandle[] handles, SemaphoreSlim gate, ManualResetEventSlim ready,
        CountdownEvent pending, Barrier barrier, Thread pump, Process process, CancellationToken token)
    {
        var timeout = TimeSpan.FromSeconds(5);
        task.Wait(timeout);
        task.Wait(5000);
        task.Wait(5000, token);
        task.Wait(timeout, token);
        Task.WaitAll(all, timeout);
        Task.WaitAll(all, 5000, token);
        Task.WaitAny(all, timeout);
        handle.WaitOne(timeout);
        handle.WaitOne(100, false);
        WaitHandle.WaitAll(handles, timeout);
        WaitHandle.WaitAny(handles, 100);
        gate.Wait(timeout, token);
        gate.Wait(0);
        ready.Wait(timeout);
        pending.Wait(100, token);
        barrier.SignalAndWait(timeout);
        pump.Join(timeout);
        process.WaitForExit(timeout);
        process.WaitForExit(30_000);
    }
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task Waits_WithInfiniteTimeout_NoDiagnostic_ThatIsOps102sBusiness()
        {
            const string source = @"
using System.Threading;
using System.Threading.Tasks;

public sealed class Infinite
{
    public void Run(Task task, SemaphoreSlim gate)
    {
        task.Wait(Timeout.Infinite);
        gate.Wait(Timeout.InfiniteTimeSpan);
    }
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task AsyncWaits_NoDiagnostic()
        {
            const string source = @"
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

public sealed class Async
{
    public async Task Run(Task task, SemaphoreSlim gate, Process process, CancellationToken token)
    {
        await gate.WaitAsync();
        await gate.WaitAsync(token);
        await task.WaitAsync(token);
        await process.WaitForExitAsync(token);
        await Task.WhenAll(task, task);
        await Task.WhenAny(task, task);
    }
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task ResultAndGetResult_NoDiagnostic_LeftToVsthrd002AndMa0045()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class SyncOverAsync
{
    public int Run(Task<int> load, Task save)
    {
        save.GetAwaiter().GetResult();
        return load.Result + load.GetAwaiter().GetResult();
    }
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task UserDefinedWaitJoinWaitOne_OnOtherTypes_NoDiagnostic()
        {
            const string source = @"
using System;

namespace Shop.Scheduling
{
    public sealed class Task
    {
        public void Wait() { }
        public static void WaitAll(params Task[] tasks) { }
    }

    public sealed class Gate
    {
        public bool WaitOne() => true;
        public bool WaitOne(TimeSpan timeout) => true;
        public void Join() { }
        public void Join(int millisecondsTimeout) { }
    }

    public static class Extensions
    {
        public static void WaitForExit(this System.Diagnostics.Process process, bool quietly) { }
    }

    public static class Use
    {
        public static void Run(Task task, Gate gate, System.Diagnostics.Process process)
        {
            task.Wait();
            Task.WaitAll(task);
            gate.WaitOne();
            gate.Join();
            process.WaitForExit(true);
        }
    }
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task MethodGroup_NotAnInvocation_NoDiagnostic()
        {
            const string source = @"
using System;
using System.Threading.Tasks;

public sealed class Deferred
{
    public Action Later(Task task) => task.Wait;
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InTestProjectByProperty_NoDiagnostic()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class OrderingTests
{
    public void Completes(Task task) => task.Wait();
}";
            await Test(source).WithProperty("IsTestProject", "true").VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InProjectReferencingXunit_NoDiagnostic()
        {
            const string source = @"
using System.Threading.Tasks;
using Xunit;

public sealed class OrderingTests
{
    [Fact]
    public void Completes() => Task.Delay(1).Wait();
}";
            var test = Test(source);
            test.ReferenceAssemblies = References.Xunit;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InTestProject_WithIncludeTestProjectsInEditorConfig_ReportsDiagnostic()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class OrderingTests
{
    public void Completes(Task task) => task.{|#0:Wait()|};
}";
            await Test(source, Ops105(0, "Task.Wait()"))
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = true")
                .VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InTestProject_WithIncludeTestProjectsInGlobalConfig_ReportsDiagnostic()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class OrderingTests
{
    public void Completes(Task task) => task.{|#0:Wait()|};
}";
            var test = Test(source, Ops105(0, "Task.Wait()")).WithProperty("IsTestProject", "true");
            test.TestState.AnalyzerConfigFiles.Add(("/options.globalconfig", "is_global = true\noperability.timeouts.include_test_projects = true\n"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InTestProject_WithIncludeTestProjectsFalse_NoDiagnostic()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class OrderingTests
{
    public void Completes(Task task) => task.Wait();
}";
            await Test(source)
                .WithProperty("IsTestProject", "true")
                .WithEditorConfig("operability.timeouts.include_test_projects = false")
                .VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InGeneratedFileByName_NoDiagnostic()
        {
            var test = Test(string.Empty);
            test.TestState.Sources.Clear();
            test.TestState.Sources.Add(("/0/Client.g.cs", @"
using System.Threading.Tasks;

public sealed class GeneratedClient
{
    public void Call(Task task) => task.Wait();
}"));
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_InAutoGeneratedFile_NoDiagnostic()
        {
            const string source = @"// <auto-generated/>
using System.Threading.Tasks;

public sealed class GeneratedClient
{
    public void Call(Task task) => task.Wait();
}";
            await Test(source).VerifyAsync();
        }

        [Fact]
        public async Task BrokenCode_HalfTypedWaits_NoCrash()
        {
            const string source = @"
using System.Threading;
using System.Threading.Tasks;

public sealed class HalfTyped
{
    public void Run(Task task, SemaphoreSlim gate, Unknown unknown)
    {
        task.Wait(
        gate.Wait(notDeclared);
        unknown.Wait();
        Task.WaitAll(;
        Task.WaitAll();
        new Thread(() => { }).{|#0:Join(|}
    }
}";
            // A wait whose overload is already chosen is reported while typing, up to what has been typed; an empty
            // params list waits for nothing.
            var test = Test(source, Ops105(0, "Thread.Join()"));
            test.CompilerDiagnostics = CompilerDiagnostics.None;
            await test.VerifyAsync();
        }
    }
}
