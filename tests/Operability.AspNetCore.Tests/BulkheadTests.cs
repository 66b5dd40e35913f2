using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Operability.AspNetCore.Resilience;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The bulkhead: a dependency that stops answering holds at most its permits of the service's requests; the
/// rest are refused at once, counted, and the service's other routes keep answering.
/// </summary>
public sealed class BulkheadTests : IAsyncLifetime
{
    private FakeDependency _payments = null!;

    public async Task InitializeAsync() => _payments = await FakeDependency.StartAsync();

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Theory]
    [InlineData("99.9", "00:00:02", 50, 5)]
    [InlineData("99.9", "00:00:00.600", 15, 2)]
    [InlineData("99.9", "00:00:00.010", 2, 1)]
    [InlineData("99.5", "00:00:05", 50, 13)]
    [InlineData("95.0", "00:00:10", 50, 25)]
    [InlineData("95.0", "01:00:00", 1000, 500)]
    public void DefaultBulkhead_FollowsTheTargetAndTheDeclaredTimeout(string target, string timeout, int permits, int queue)
    {
        using var root = new ContentRoot(Manifests.WithDependency(timeout, target: target));
        OperabilityManifest manifest = ManifestSource.Load(null, root.Path).Manifest!;

        DependencySettings settings = DependencySettings.Resolve(manifest, manifest.Manifest.Dependencies[0], configured: null);

        Assert.Equal(permits, settings.BulkheadPermitLimit);
        Assert.Equal(queue, settings.BulkheadQueueLimit);
    }

    [Fact]
    public void ConfiguredBulkhead_OverridesTheDefaults()
    {
        using var root = new ContentRoot(Manifests.WithDependency("00:00:02"));
        OperabilityManifest manifest = ManifestSource.Load(null, root.Path).Manifest!;

        DependencySettings settings = DependencySettings.Resolve(manifest, manifest.Manifest.Dependencies[0], new DependencyOptions { BulkheadPermitLimit = 7, BulkheadQueueLimit = 0 });

        Assert.Equal(7, settings.BulkheadPermitLimit);
        Assert.Equal(0, settings.BulkheadQueueLimit);
    }

    [Fact]
    public async Task SlowDependency_CallsBeyondTheBulkheadAreRefusedAtOnceAndCounted_AndTheUnrelatedRouteKeepsAnswering()
    {
        const int permits = 2;
        const int queue = 1;
        const int calls = 10;
        _payments.Mode = FakeMode.Hold;
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(Manifests.WithDependency("00:00:20")),
            new Dictionary<string, string?>
            {
                ["Operability:Dependencies:payments:BaseAddress"] = _payments.Address.ToString(),
                ["Operability:Dependencies:payments:Retries"] = "0",
                ["Operability:Dependencies:payments:AttemptTimeout"] = "00:00:20",
                ["Operability:Dependencies:payments:Bulkhead:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Operability:Dependencies:payments:Bulkhead:QueueLimit"] = queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            map: ResilienceOnKestrelTests.MapPay);
        var rejections = new ConcurrentBag<string>();
        using MeterListener listener = ListenToRejections(service, rejections);

        // Bounded load: ten concurrent calls on one connection pool to 127.0.0.1.
        Task<HttpResponseMessage>[] slow = Enumerable.Range(0, calls).Select(_ => service.Client.GetAsync("/pay")).ToArray();

        // The calls the bulkhead cannot admit or queue come back while the admitted ones are still held.
        var refused = new List<HttpResponseMessage>();
        var pending = slow.ToList();
        while (refused.Count < calls - permits - queue)
        {
            Task<HttpResponseMessage> done = await Task.WhenAny(pending).WaitAsync(TimeSpan.FromSeconds(15));
            pending.Remove(done);
            refused.Add(await done);
        }

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        foreach (HttpResponseMessage r in refused)
        {
            Assert.Equal("RateLimiterRejectedException", await r.Content.ReadAsStringAsync());
        }

        Assert.Equal(calls - permits - queue, rejections.Count);
        Assert.All(rejections, r => Assert.Equal("payments/bulkhead", r));

        // The dependency holds only its permits; the route that does not call it answers meanwhile.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(_payments.InFlight == permits), TimeSpan.FromSeconds(10)));
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage unrelated = await service.Client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, unrelated.StatusCode);
        }

        Assert.Equal(permits + queue, pending.Count);
        Assert.All(pending, t => Assert.False(t.IsCompleted));

        _payments.Release();
        foreach (Task<HttpResponseMessage> admitted in pending)
        {
            using HttpResponseMessage response = await admitted.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("held", await response.Content.ReadAsStringAsync());
        }

        // The queued call went once a permit was free: in flight never above the limit, as the dependency saw it.
        Assert.Equal(permits + queue, _payments.Count("GET"));
        Assert.Equal(permits, _payments.MaxInFlight);
        foreach (HttpResponseMessage r in refused)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Reload_InvalidBulkheadLimit_KeepsTheLastValidLimit_AndAValidOneApplies()
    {
        var source = new ReloadableSource();
        source.Put("Operability:Dependencies:payments:Bulkhead:PermitLimit", "3");
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(Manifests.WithDependency("00:00:05")),
            configure: builder => ((IConfigurationBuilder)builder.Configuration).Add(source));
        FailureDesign design = service.Services.GetRequiredService<FailureDesign>();
        OperabilityManifest manifest = service.Services.GetRequiredService<OperabilityManifest>();

        source.Put("Operability:Dependencies:payments:Bulkhead:PermitLimit", "0");
        source.Reload();
        Assert.Equal(3, design.For(manifest.Manifest.Dependencies[0]).Settings.BulkheadPermitLimit);

        source.Put("Operability:Dependencies:payments:Bulkhead:PermitLimit", "4");
        source.Put("Operability:Dependencies:payments:Bulkhead:QueueLimit", "0");
        source.Reload();
        DependencySettings settings = design.For(manifest.Manifest.Dependencies[0]).Settings;
        Assert.Equal(4, settings.BulkheadPermitLimit);
        Assert.Equal(0, settings.BulkheadQueueLimit);
    }

    private static MeterListener ListenToRejections(KestrelService service, ConcurrentBag<string> rejections)
    {
        IMeterFactory meters = service.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "operability.dependency.rejections" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var byName = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                byName[tag.Key] = tag.Value;
            }

            rejections.Add(byName["dependency"] + "/" + byName["strategy"]);
        });
        listener.Start();
        return listener;
    }
}
