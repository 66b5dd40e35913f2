using System.Diagnostics;
using System.Net;

namespace OperableService._1.Tests;

/// <summary>
/// example-dependency cannot hold the service hostage: a slow call is cut at the timeout in operability.json,
/// and a failing dependency is cut off by the circuit breaker (see RUNBOOK.md, "example-dependency slow or failing").
/// </summary>
public sealed class ExampleDependencyTests
{
    private static ServiceFactory ServiceCalling(FakeDependency dependency, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Operability:Dependencies:example-dependency:BaseAddress"] = dependency.BaseAddress.ToString(),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ServiceFactory(settings);
    }

    [Fact]
    public async Task HealthyDependency_IsCalled()
    {
        await using var dependency = await FakeDependency.StartAsync();
        await using var service = ServiceCalling(dependency);
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/example-dependency/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, dependency.Calls);
    }

    [Fact]
    public async Task SlowDependency_IsCutAtItsTimeout_AndTheServiceAnswers503()
    {
        await using var dependency = await FakeDependency.StartAsync();
        dependency.Delay = TimeSpan.FromSeconds(30);
        await using var service = ServiceCalling(dependency);
        using var client = service.CreateClient();

        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/example-dependency/status");
        stopwatch.Stop();

        // operability.json gives example-dependency a total timeout of 2 seconds.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"The call took {stopwatch.Elapsed}; the timeout should have cut it at about 2 s.");
    }

    [Fact]
    public async Task FailingDependency_OpensTheCircuit_AndLaterCallsFailFast()
    {
        await using var dependency = await FakeDependency.StartAsync();
        dependency.StatusCode = 500;
        await using var service = ServiceCalling(dependency, new Dictionary<string, string?>
        {
            // A small circuit, so the test needs few calls: open after 2 attempts with half of them failing.
            ["Operability:Dependencies:example-dependency:Retries"] = "0",
            ["Operability:Dependencies:example-dependency:CircuitBreaker:MinimumThroughput"] = "2",
            ["Operability:Dependencies:example-dependency:CircuitBreaker:FailureRatio"] = "0.5",
            ["Operability:Dependencies:example-dependency:CircuitBreaker:SamplingDuration"] = "00:00:30",
            ["Operability:Dependencies:example-dependency:CircuitBreaker:BreakDuration"] = "00:01:00",
        });
        using var client = service.CreateClient();

        for (var call = 0; call < 10; call++)
        {
            using var response = await client.GetAsync("/example-dependency/status");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        // The circuit opened after the first failures; the remaining calls never reached the dependency.
        Assert.InRange(dependency.Calls, 2, 3);
    }
}
