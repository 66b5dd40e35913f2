using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Operability.Analyzers.CodeFixes;
using Xunit;
using Test = Operability.Analyzers.Tests.CodeFixTest<Operability.Analyzers.InfiniteTimeoutAnalyzer, Operability.Analyzers.CodeFixes.InfiniteTimeoutCodeFix>;

namespace Operability.Analyzers.Tests
{
    public sealed class InfiniteTimeoutCodeFixTests
    {
        [Fact]
        public async Task HttpClientTimeout_Infinite_BecomesThirtySeconds()
        {
            await new Test
            {
                TestCode = """
                    using System;
                    using System.Net.Http;
                    using System.Threading;

                    public static class Clients
                    {
                        public static void Configure(HttpClient client)
                        {
                            client.Timeout = [|Timeout.InfiniteTimeSpan|]; // keep this comment
                        }
                    }
                    """,
                FixedCode = """
                    using System;
                    using System.Net.Http;
                    using System.Threading;

                    public static class Clients
                    {
                        public static void Configure(HttpClient client)
                        {
                            client.Timeout = TimeSpan.FromSeconds(30); // keep this comment
                        }
                    }
                    """,
            }.VerifyAsync();
        }

        [Fact]
        public async Task TimeSpanTarget_WithoutUsingSystem_IsQualified()
        {
            await new Test
            {
                TestCode = """
                    public static class Clients
                    {
                        public static void Configure(System.Net.Http.HttpClient client) => client.Timeout = [|System.TimeSpan.MaxValue|];
                    }
                    """,
                FixedCode = """
                    public static class Clients
                    {
                        public static void Configure(System.Net.Http.HttpClient client) => client.Timeout = System.TimeSpan.FromSeconds(30);
                    }
                    """,
            }.VerifyAsync();
        }

        [Fact]
        public async Task SecondsAndMillisecondsTargets_FixAll_UsesConfiguredSeconds()
        {
            var test = new Test
            {
                TestCode = """
                    using System;
                    using System.Data.Common;
                    using System.Threading;

                    public static class Jobs
                    {
                        public static void Configure(DbCommand command, CancellationTokenSource deadline, SemaphoreSlim gate)
                        {
                            command.CommandTimeout = [|0|];
                            deadline.CancelAfter([|Timeout.Infinite|]);
                            deadline.CancelAfter([|Timeout.InfiniteTimeSpan|]);
                            gate.Wait([|-1|]);
                        }
                    }
                    """,
                FixedCode = """
                    using System;
                    using System.Data.Common;
                    using System.Threading;

                    public static class Jobs
                    {
                        public static void Configure(DbCommand command, CancellationTokenSource deadline, SemaphoreSlim gate)
                        {
                            command.CommandTimeout = 120;
                            deadline.CancelAfter(120000);
                            deadline.CancelAfter(TimeSpan.FromSeconds(120));
                            gate.Wait(120000);
                        }
                    }
                    """,
            };
            test.EditorConfig.Add(InfiniteTimeoutCodeFix.DefaultTimeoutOption + " = 120");
            await test.VerifyAsync();
        }

        [Fact]
        public async Task InvalidConfiguredSeconds_FallsBackToDefault()
        {
            var test = new Test
            {
                TestCode = """
                    using System.Data;

                    public static class Jobs
                    {
                        public static void Configure(IDbCommand command) => command.CommandTimeout = [|0|];
                    }
                    """,
                FixedCode = """
                    using System.Data;

                    public static class Jobs
                    {
                        public static void Configure(IDbCommand command) => command.CommandTimeout = 30;
                    }
                    """,
            };
            test.EditorConfig.Add(InfiniteTimeoutCodeFix.DefaultTimeoutOption + " = forever");
            await test.VerifyAsync();
        }
    }
}
