using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Operability.Manifest;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>
/// The runtime reads the organisation policy deployed with the service (content root or beside the assemblies, or
/// <c>Operability:PolicyPath</c>): its bands select the target, its on-call table the levels, peaks by exposure follow
/// its bands; a broken or missing named policy stops the start instead of the playbook's values being used.
/// </summary>
public sealed class OrganisationPolicyTests
{
    private const string ShopByExposure = """
        {
          "service": "shop",
          "owner": "team-shop",
          "availability": {
            "financialExposurePerHour": 50000,
            "peaks": [ { "name": "black-friday", "from": "2026-11-27T00:00:00Z", "until": "2026-11-30T00:00:00Z", "financialExposurePerHour": 810000 } ]
          }
        }
        """;

    // 50,000 an hour: 99.0 with the playbook's bands, 99.5 with these; 810,000: 99.9 with the playbook's, 99.99 here.
    private const string Policy = """
        {
          "currency": "GBP",
          "exposureBands": [
            { "maxFinancialExposurePerHour": 10000, "availability": 99.0 },
            { "maxFinancialExposurePerHour": 100000, "availability": 99.5 },
            { "maxFinancialExposurePerHour": 1000000, "availability": 99.99 }
          ],
          "onCall": [ { "availability": 99.5, "workingHours": "team", "outOfHours": "team" } ]
        }
        """;

    [Fact]
    public void NoPolicy_ThePlaybooksBandsAndOnCallTableApply()
    {
        using var root = new ContentRoot(ShopByExposure);

        OperabilityManifest manifest = ManifestSource.Load(null, root.Path).Manifest!;

        Assert.Null(manifest.Policy);
        Assert.Equal(99.0m, manifest.AvailabilityTarget);
        Assert.Equal(OnCallLevel.Domain, manifest.OutOfHoursOnCall);
        Assert.Equal(99.9m, manifest.AvailabilityAt(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)).Target);
    }

    [Fact]
    public void PolicyInTheContentRoot_ItsBandsSelectTheTarget_ItsTableTheOnCall_AndThePeaksTarget()
    {
        using var root = new ContentRoot(ShopByExposure);
        string path = root.Write("operability.organisation.json", Policy);

        OperabilityManifest manifest = ManifestSource.Load(null, root.Path).Manifest!;

        Assert.Equal(path, manifest.PolicyPath);
        Assert.Equal(99.5m, manifest.AvailabilityTarget);
        Assert.Equal(OnCallLevel.Team, manifest.OutOfHoursOnCall);
        EffectiveAvailability peak = manifest.AvailabilityAt(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("black-friday", peak.Peak!.Name);
        Assert.Equal(99.99m, peak.Target);
    }

    [Fact]
    public void PolicyPathConfigured_IsUsed_AndWhenMissingNamesTheKeyAndPath()
    {
        using var root = new ContentRoot(ShopByExposure);
        Directory.CreateDirectory(Path.Combine(root.Path, "policy"));
        root.Write(Path.Combine("policy", "org.json"), Policy);

        Assert.Equal(99.5m, ManifestSource.Load(null, root.Path, "policy/org.json").Manifest!.AvailabilityTarget);

        ManifestSource.Loaded missing = ManifestSource.Load(null, root.Path, "policy/missing.json");
        Assert.Null(missing.Manifest);
        string problem = Assert.Single(missing.Problems);
        Assert.Contains("Operability:PolicyPath ('policy/missing.json')", problem);
        Assert.Contains(Path.Combine(root.Path, "policy", "missing.json"), problem);
    }

    [Fact]
    public void MalformedPolicy_StopsTheStartAtItsLineAndColumn_AndThePlaybookIsNotUsedInstead()
    {
        using var root = new ContentRoot(ShopByExposure);
        string path = root.Write("operability.organisation.json", "{\n  \"exposureBands\": [\n    { \"maxFinancialExposurePerHour\": 10000, \"availability\": 97.0 }\n  ]\n}");

        ManifestSource.Loaded loaded = ManifestSource.Load(null, root.Path);

        Assert.Null(loaded.Manifest);
        Assert.Contains(loaded.Problems, problem => problem.StartsWith(path + "(3:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_InProduction_ShowsTheTargetThePolicysBandsSelect()
    {
        using var root = new ContentRoot(ShopByExposure);
        root.Write("operability.organisation.json", Policy);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        await using KestrelService service = await KestrelService.StartAsync(
            root,
            new Dictionary<string, string?> { ["Operability:Endpoints:AnonymousReport"] = "true" },
            builder => builder.Services.AddSingleton<TimeProvider>(clock));

        using HttpResponseMessage response = await service.Client.GetAsync("/operability");
        using JsonDocument report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(99.5m, report.RootElement.GetProperty("availabilityTarget").GetDecimal());
    }
}
