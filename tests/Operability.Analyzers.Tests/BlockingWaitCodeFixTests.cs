using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes;
using Xunit;

namespace Operability.Analyzers.Tests
{
    public sealed class BlockingWaitCodeFixTests
    {
        private static CodeFixTest<BlockingWaitAnalyzer, BlockingWaitCodeFix> Test(string source, string fixedSource)
        {
            return new CodeFixTest<BlockingWaitAnalyzer, BlockingWaitCodeFix>
            {
                TestCode = source,
                FixedCode = fixedSource,
            };
        }

        [Fact]
        public async Task TaskWait_AsStatement_BecomesTimeSpanOverloadThatThrowsOnTimeout()
        {
            const string source = @"
using System;
using System.Threading.Tasks;

public sealed class OrderingBackgroundService
{
    private Task _consumer = Task.CompletedTask;

    public void Stop()
    {
        // drain the consumer
        _consumer.[|Wait()|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading.Tasks;

public sealed class OrderingBackgroundService
{
    private Task _consumer = Task.CompletedTask;

    public void Stop()
    {
        // drain the consumer
        if (!_consumer.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""Task.Wait timed out after 30 seconds"");
        }
    }
}";
            var test = Test(source, fixedSource);
            test.CodeActionEquivalenceKey = BlockingWaitCodeFix.EquivalenceKey;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_WithoutUsingSystem_QualifiesTimeSpanAndTimeoutException()
        {
            const string source = @"
using System.Threading.Tasks;

public static class Program
{
    public static void Run(Task task)
    {
        task.[|Wait()|];
    }
}";
            const string fixedSource = @"
using System.Threading.Tasks;

public static class Program
{
    public static void Run(Task task)
    {
        if (!task.Wait(System.TimeSpan.FromSeconds(30)))
        {
            throw new System.TimeoutException(""Task.Wait timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task TaskWait_WithToken_KeepsTokenAfterTimeSpan()
        {
            const string source = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Worker
{
    public void Drain(Task pending, CancellationToken stoppingToken)
    {
        pending.[|Wait(stoppingToken)|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Worker
{
    public void Drain(Task pending, CancellationToken stoppingToken)
    {
        if (!pending.Wait(TimeSpan.FromSeconds(30), stoppingToken))
        {
            throw new TimeoutException(""Task.Wait timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task TaskWaitAll_WithToken_UsesMillisecondsOverloadWhereNoTimeSpanOneExists()
        {
            const string source = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Startup
{
    public void WarmUp(Task[] all, CancellationToken token)
    {
        Task.[|WaitAll(all, token)|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Startup
{
    public void WarmUp(Task[] all, CancellationToken token)
    {
        if (!Task.WaitAll(all, 30000, token))
        {
            throw new TimeoutException(""Task.WaitAll timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task TaskWaitAll_WithParamsWrittenOut_BuildsTheArray()
        {
            const string source = @"
using System;
using System.Threading.Tasks;

public sealed class Startup
{
    public void WarmUp(Task<int> a, Task<string> b)
    {
        Task.[|WaitAll(a, b)|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading.Tasks;

public sealed class Startup
{
    public void WarmUp(Task<int> a, Task<string> b)
    {
        if (!Task.WaitAll(new Task[] { a, b }, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""Task.WaitAll timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task WaitAny_AsStatement_ComparesWithTheTimeoutValueOfEachType()
        {
            const string source = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Race
{
    public void Run(Task[] tasks, WaitHandle[] handles)
    {
        Task.[|WaitAny(tasks)|];
        WaitHandle.[|WaitAny(handles)|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Race
{
    public void Run(Task[] tasks, WaitHandle[] handles)
    {
        if (Task.WaitAny(tasks, TimeSpan.FromSeconds(30)) == -1)
        {
            throw new TimeoutException(""Task.WaitAny timed out after 30 seconds"");
        }

        if (WaitHandle.WaitAny(handles, TimeSpan.FromSeconds(30)) == WaitHandle.WaitTimeout)
        {
            throw new TimeoutException(""WaitHandle.WaitAny timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task WaitOne_WhoseResultIsUsed_OnlySwapsTheOverload()
        {
            const string source = @"
using System;
using System.Threading;

public sealed class SingleInstance
{
    public bool TryEnter(Mutex mutex)
    {
        if (mutex.[|WaitOne()|])
        {
            return true;
        }

        return false;
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;

public sealed class SingleInstance
{
    public bool TryEnter(Mutex mutex)
    {
        if (mutex.WaitOne(TimeSpan.FromSeconds(30)))
        {
            return true;
        }

        return false;
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task WaitAny_WhoseIndexIsUsed_NoFixOffered()
        {
            const string source = @"
using System.Threading.Tasks;

public sealed class Race
{
    public Task First(Task[] tasks)
    {
        var index = Task.[|WaitAny(tasks)|];
        return tasks[index];
    }
}";
            await Test(source, source).VerifyAsync();
        }

        [Fact]
        public async Task VoidWait_AsBodyOfVoidLambda_BecomesBlockBody()
        {
            const string source = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Gate
{
    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

    public Task Enter() => Task.Run(() => _gate.[|Wait()|]);
}";
            const string fixedSource = @"
using System;
using System.Threading;
using System.Threading.Tasks;

public sealed class Gate
{
    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

    public Task Enter() => Task.Run(() =>
    {
        if (!_gate.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""SemaphoreSlim.Wait timed out after 30 seconds"");
        }
    });
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task Wait_AsBodyOfVoidMethodAndLocalFunction_BecomesBlockBody()
        {
            const string source = @"
using System;
using System.Threading.Tasks;

public sealed class Consumer : IDisposable
{
    private Task? _loop;

    public void Dispose() => _loop?.[|Wait()|];

    public void Stop(Task drain)
    {
        Drain();

        void Drain() => drain.[|Wait()|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading.Tasks;

public sealed class Consumer : IDisposable
{
    private Task? _loop;

    public void Dispose()
    {
        if (_loop?.Wait(TimeSpan.FromSeconds(30)) == false)
        {
            throw new TimeoutException(""Task.Wait timed out after 30 seconds"");
        }
    }

    public void Stop(Task drain)
    {
        Drain();

        void Drain()
        {
            if (!drain.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException(""Task.Wait timed out after 30 seconds"");
            }
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task WaitOne_AsBodyOfBoolMethod_OnlySwapsTheOverload()
        {
            const string source = @"
using System;
using System.Threading;

public sealed class Pump
{
    public bool Drained(ManualResetEvent done) => done.[|WaitOne()|];
}";
            const string fixedSource = @"
using System;
using System.Threading;

public sealed class Pump
{
    public bool Drained(ManualResetEvent done) => done.WaitOne(TimeSpan.FromSeconds(30));
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task Wait_AsEmbeddedStatementWithElse_IsWrappedInABlock()
        {
            const string source = @"
using System;
using System.Threading;

public sealed class Gate
{
    public void Enter(SemaphoreSlim gate, bool wait)
    {
        if (wait)
            gate.[|Wait()|];
        else
            Console.WriteLine(""skipped"");
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;

public sealed class Gate
{
    public void Enter(SemaphoreSlim gate, bool wait)
    {
        if (wait)
        {
            if (!gate.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException(""SemaphoreSlim.Wait timed out after 30 seconds"");
            }
        }
        else
            Console.WriteLine(""skipped"");
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task WaitForExit_OnConditionalAccess_ComparesWithFalse()
        {
            const string source = @"
using System;
using System.Diagnostics;

public sealed class MigrationRunner
{
    private Process? _process;

    public void Finish()
    {
        _process?.[|WaitForExit()|];
    }
}";
            const string fixedSource = @"
using System;
using System.Diagnostics;

public sealed class MigrationRunner
{
    private Process? _process;

    public void Finish()
    {
        if (_process?.WaitForExit(TimeSpan.FromSeconds(30)) == false)
        {
            throw new TimeoutException(""Process.WaitForExit timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task Wait_WithNamedToken_AddsNamedTimeout()
        {
            const string source = @"
using System;
using System.Threading;

public sealed class Gate
{
    public void Enter(SemaphoreSlim gate, CancellationToken token)
    {
        gate.[|Wait(cancellationToken: token)|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;

public sealed class Gate
{
    public void Enter(SemaphoreSlim gate, CancellationToken token)
    {
        if (!gate.Wait(cancellationToken: token, timeout: TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""SemaphoreSlim.Wait timed out after 30 seconds"");
        }
    }
}";
            await Test(source, fixedSource).VerifyAsync();
        }

        [Fact]
        public async Task Fix_UsesDefaultTimeoutSecondsFromEditorConfig()
        {
            const string source = @"
using System;
using System.Threading;

public sealed class Pump
{
    public void Stop(Thread pump)
    {
        pump.[|Join()|];
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;

public sealed class Pump
{
    public void Stop(Thread pump)
    {
        if (!pump.Join(TimeSpan.FromSeconds(5)))
        {
            throw new TimeoutException(""Thread.Join timed out after 5 seconds"");
        }
    }
}";
            var test = Test(source, fixedSource);
            test.EditorConfig.Add("operability.OPS105.default_timeout_seconds = 5");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task Fix_WithInvalidDefaultTimeoutSeconds_Uses30()
        {
            const string source = @"
using System;
using System.Threading;

public sealed class Pump
{
    public bool Stop(ManualResetEvent done)
    {
        var drained = done.[|WaitOne()|];
        return drained;
    }
}";
            const string fixedSource = @"
using System;
using System.Threading;

public sealed class Pump
{
    public bool Stop(ManualResetEvent done)
    {
        var drained = done.WaitOne(TimeSpan.FromSeconds(30));
        return drained;
    }
}";
            var test = Test(source, fixedSource);
            test.EditorConfig.Add("operability.OPS105.default_timeout_seconds = soon");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task FixAll_SeveralWaitsInOneFile_FixesEachOnce()
        {
            const string source = @"
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

public sealed class Shutdown
{
    public void Run(Task consumer, SemaphoreSlim gate, ManualResetEventSlim ready, CountdownEvent pending, Barrier barrier, Process process, CancellationToken token)
    {
        consumer.[|Wait()|];
        gate.[|Wait(token)|];
        ready.[|Wait()|];
        pending.[|Wait(token)|];
        barrier.[|SignalAndWait()|];
        process.[|WaitForExit()|];
    }
}";
            const string fixedSource = @"
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

public sealed class Shutdown
{
    public void Run(Task consumer, SemaphoreSlim gate, ManualResetEventSlim ready, CountdownEvent pending, Barrier barrier, Process process, CancellationToken token)
    {
        if (!consumer.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""Task.Wait timed out after 30 seconds"");
        }

        if (!gate.Wait(TimeSpan.FromSeconds(30), token))
        {
            throw new TimeoutException(""SemaphoreSlim.Wait timed out after 30 seconds"");
        }

        if (!ready.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""ManualResetEventSlim.Wait timed out after 30 seconds"");
        }

        if (!pending.Wait(TimeSpan.FromSeconds(30), token))
        {
            throw new TimeoutException(""CountdownEvent.Wait timed out after 30 seconds"");
        }

        if (!barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""Barrier.SignalAndWait timed out after 30 seconds"");
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException(""Process.WaitForExit timed out after 30 seconds"");
        }
    }
}";
            var test = Test(source, fixedSource);
            test.NumberOfFixAllIterations = 1;
            await test.VerifyAsync();
        }

        [Fact]
        public async Task Fix_InTopLevelStatements_ReplacesTheStatement()
        {
            const string source = @"using System;
using System.Threading.Tasks;

var warmUp = Task.Run(() => { });
warmUp.[|Wait()|];
";
            const string fixedSource = @"using System;
using System.Threading.Tasks;

var warmUp = Task.Run(() => { });
if (!warmUp.Wait(TimeSpan.FromSeconds(30)))
{
    throw new TimeoutException(""Task.Wait timed out after 30 seconds"");
}
";
            var test = Test(source, fixedSource);
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.FixedState.OutputKind = OutputKind.ConsoleApplication;
            await test.VerifyAsync();
        }
    }
}
