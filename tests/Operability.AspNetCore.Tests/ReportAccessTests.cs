using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Operability.AspNetCore.Endpoints;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>Who gets the <c>/operability</c> report outside Development, and what its version shows.</summary>
public sealed class ReportAccessTests
{
    [Fact]
    public async Task Report_InProduction_WithRequireAuthorizationOnItsBuilder_AuthorizedCallerGetsTheReport()
    {
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            configure: ShutterRouteTests.AddOperatorAuthorization,
            conventions: endpoints => endpoints.Report.RequireAuthorization("operators"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Client.GetAsync("/operability")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/operability");
        request.Headers.Add(HeaderAuthentication.UserHeader, "alice");
        request.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
        using HttpResponseMessage authorized = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        using JsonDocument report = JsonDocument.Parse(await authorized.Content.ReadAsStringAsync());
        Assert.Equal("team-orders", report.RootElement.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Report_InProduction_AllowAnonymousOnAllEndpoints_DoesNotOpenTheReport()
    {
        await using KestrelService service = await KestrelService.StartAsync(new ContentRoot(), conventions: endpoints => endpoints.AllowAnonymous());

        using HttpResponseMessage refused = await service.Client.GetAsync("/operability");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("team-orders", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task PolicyAndAnonymousReportBothSet_StopsTheStartNamingBothKeys()
    {
        using var root = new ContentRoot();
        WebApplicationBuilder builder = KestrelService.CreateBuilder(root, new Dictionary<string, string?>
        {
            ["Operability:Endpoints:OperabilityAuthorizationPolicy"] = "operators",
            ["Operability:Endpoints:AnonymousReport"] = "true",
        });
        builder.AddOperability();
        ShutterRouteTests.AddOperatorAuthorization(builder);
        await using WebApplication app = builder.Build();
        app.MapOperability();

        OperabilityStartupException error = await Assert.ThrowsAsync<OperabilityStartupException>(() => app.StartAsync());

        Assert.Contains("Operability:Endpoints:OperabilityAuthorizationPolicy", error.Message, StringComparison.Ordinal);
        Assert.Contains("Operability:Endpoints:AnonymousReport", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.4.0+8f2c1e7", false, "1.4.0")]
    [InlineData("1.4.0-beta.2+8f2c1e7a9b", false, "1.4.0-beta.2")]
    [InlineData("1.4.0", false, "1.4.0")]
    [InlineData("+8f2c1e7", false, "unknown")]
    [InlineData("1.4.0+8f2c1e7", true, "1.4.0+8f2c1e7")]
    public void PublishedVersion_StripsTheCommitUnlessAskedToPublishIt(string informational, bool publishCommit, string expected)
    {
        Assert.Equal(expected, OperabilityReport.PublishedVersion(informational, publishCommit));
    }
}
