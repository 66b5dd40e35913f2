using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Operability.AspNetCore.Availability;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// A declared peak (Black Friday) raises the target in force: <c>/operability</c>, the week's error budget and the
/// target gauge follow a <see cref="FakeTimeProvider"/> across the peak's window (from inclusive, until exclusive).
/// </summary>
public sealed class PeakTargetTests
{
    /// <summary>Base 99.0; Black Friday's exposure selects 99.9 with the playbook's bands.</summary>
    internal const string ShopWithBlackFriday = """
        {
          "service": "shop",
          "owner": "team-shop",
          "availability": {
            "target": 99.0,
            "peaks": [ { "name": "black-friday", "from": "2026-11-27T00:00:00Z", "until": "2026-11-30T00:00:00Z", "financialExposurePerHour": 2500000 } ]
          }
        }
        """;

    /// <summary>Thursday before Black Friday, in the same week (Monday 23 November) as the peak's first days.</summary>
    internal static readonly DateTimeOffset Thursday = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    internal static readonly DateTimeOffset PeakStart = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    internal static readonly DateTimeOffset PeakEnd = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> AnonymousReport = new() { ["Operability:Endpoints:AnonymousReport"] = "true" };

    private static Task<KestrelService> StartAsync(FakeTimeProvider clock) => KestrelService.StartAsync(
        new ContentRoot(ShopWithBlackFriday),
        AnonymousReport,
        builder => builder.Services.AddSingleton<TimeProvider>(clock),
        app => app.MapGet("/broken", () => Microsoft.AspNetCore.Http.Results.StatusCode(500)));

    private static async Task<JsonElement> ReportAsync(KestrelService service)
    {
        string body = await service.Client.GetStringAsync("/operability");
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Report_BeforeThePeak_ShowsTheBaseTargetAndTheNextPeak()
    {
        var clock = new FakeTimeProvider(Thursday);
        await using KestrelService service = await StartAsync(clock);

        JsonElement report = await ReportAsync(service);

        Assert.Equal(99.0m, report.GetProperty("availabilityTarget").GetDecimal());
        Assert.Equal(99.0m, report.GetProperty("baseAvailabilityTarget").GetDecimal());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("activePeak").ValueKind);
        Assert.Equal("1:40:48", report.GetProperty("tolerableUnavailabilityPerWeek").GetProperty("display").GetString());
        Assert.Equal("domain", report.GetProperty("onCall").GetProperty("outOfHours").GetString());
        JsonElement next = report.GetProperty("nextPeak");
        Assert.Equal(("black-friday", PeakStart, PeakEnd, 99.9m), (next.GetProperty("name").GetString(), next.GetProperty("from").GetDateTimeOffset(), next.GetProperty("until").GetDateTimeOffset(), next.GetProperty("availabilityTarget").GetDecimal()));
    }

    [Fact]
    public async Task Report_AcrossThePeaksWindow_ShowsThePeakFromItsStartUntilJustBeforeItsEnd()
    {
        var clock = new FakeTimeProvider(PeakStart.AddTicks(-1));
        await using KestrelService service = await StartAsync(clock);
        Assert.Equal(JsonValueKind.Null, (await ReportAsync(service)).GetProperty("activePeak").ValueKind);

        clock.Advance(TimeSpan.FromTicks(1));
        JsonElement during = await ReportAsync(service);

        Assert.Equal(99.9m, during.GetProperty("availabilityTarget").GetDecimal());
        Assert.Equal(99.0m, during.GetProperty("baseAvailabilityTarget").GetDecimal());
        JsonElement active = during.GetProperty("activePeak");
        Assert.Equal(("black-friday", PeakStart, PeakEnd, 99.9m), (active.GetProperty("name").GetString(), active.GetProperty("from").GetDateTimeOffset(), active.GetProperty("until").GetDateTimeOffset(), active.GetProperty("availabilityTarget").GetDecimal()));
        Assert.Equal("0:10:05", during.GetProperty("tolerableUnavailabilityPerWeek").GetProperty("display").GetString());
        Assert.Equal(("team", "team"), (during.GetProperty("onCall").GetProperty("workingHours").GetString(), during.GetProperty("onCall").GetProperty("outOfHours").GetString()));
        Assert.Equal(JsonValueKind.Null, during.GetProperty("nextPeak").ValueKind);

        clock.SetUtcNow(PeakEnd.AddTicks(-1));
        Assert.Equal("black-friday", (await ReportAsync(service)).GetProperty("activePeak").GetProperty("name").GetString());

        clock.SetUtcNow(PeakEnd);
        JsonElement after = await ReportAsync(service);

        Assert.Equal(99.0m, after.GetProperty("availabilityTarget").GetDecimal());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("activePeak").ValueKind);
        Assert.Equal("domain", after.GetProperty("onCall").GetProperty("outOfHours").GetString());
    }

    [Fact]
    public async Task ErrorBudget_WhenThePeakStarts_JudgesTheWeekAgainstThePeakTarget()
    {
        var clock = new FakeTimeProvider(Thursday);
        await using KestrelService service = await StartAsync(clock);
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, (await service.Client.GetAsync("/broken")).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(service.Services.GetRequiredService<AvailabilityRecorder>().ThisWeek().Requests == 10), TimeSpan.FromSeconds(30));

        JsonElement before = await ReportAsync(service);
        clock.SetUtcNow(PeakStart);
        JsonElement during = await ReportAsync(service);

        // 10 requests, 1 failure: 0.1 allowed at 99.0 (budget 1 − 1/0.1 = −9), 0.01 at 99.9 (1 − 1/0.01 = −99).
        Assert.Equal(0.1, before.GetProperty("errorBudget").GetProperty("allowedFailures").GetDouble(), 9);
        Assert.Equal(-9, before.GetProperty("errorBudgetRemaining").GetDouble(), 6);
        Assert.Equal(10, during.GetProperty("errorBudget").GetProperty("requests").GetInt64());
        Assert.Equal(0.01, during.GetProperty("errorBudget").GetProperty("allowedFailures").GetDouble(), 9);
        Assert.Equal(-99, during.GetProperty("errorBudgetRemaining").GetDouble(), 6);
    }

    [Fact]
    public async Task TargetGauge_RisesWhenThePeakStarts_AndFallsBackWhenItEnds()
    {
        var clock = new FakeTimeProvider(Thursday);
        await using KestrelService service = await StartAsync(clock);
        IMeterFactory factory = service.Services.GetRequiredService<IMeterFactory>();
        var gauges = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Operability.AspNetCore" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => gauges[instrument.Name] = value);
        listener.Start();
        _ = service.Services.GetRequiredService<OperabilityMetrics>();

        var seen = new List<double>();
        foreach (DateTimeOffset at in new[] { Thursday, PeakStart, PeakEnd.AddTicks(-1), PeakEnd })
        {
            clock.SetUtcNow(at);
            listener.RecordObservableInstruments();
            seen.Add(gauges["operability.availability.target"]);
        }

        Assert.Equal(new[] { 0.99, 0.999, 0.999, 0.99 }, seen);
    }
}
