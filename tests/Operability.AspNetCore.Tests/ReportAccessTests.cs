using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
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
    public async Task Report_OnAManagementPort_ByAPolicyOnTheLocalPort_IsServedThereOnly()
    {
        // What docs/runtime.md suggests for a management port: a policy on the connection's local port (which
        // the caller cannot write, unlike the Host header RequireHost matches).
        using var root = new ContentRoot();
        WebApplicationBuilder builder = KestrelService.CreateBuilder(root, new Dictionary<string, string?> { ["Operability:Endpoints:OperabilityAuthorizationPolicy"] = "management-port" });
        builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0");
        builder.AddOperability();
        var management = new ManagementPort();
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("management-port", p => p.RequireAssertion(c => c.Resource is HttpContext http && http.Connection.LocalPort == management.Port)));
        await using WebApplication app = builder.Build();
        app.MapOperability();
        await app.StartAsync();
        Uri[] addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToArray();
        Assert.Equal(2, addresses.Length);
        management.Port = addresses[1].Port;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using HttpResponseMessage onThePublicPort = await http.GetAsync(new Uri(addresses[0], "/operability"));
        using HttpResponseMessage onTheManagementPort = await http.GetAsync(new Uri(addresses[1], "/operability"));

        Assert.Equal(HttpStatusCode.Unauthorized, onThePublicPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onTheManagementPort.StatusCode);
        using JsonDocument report = JsonDocument.Parse(await onTheManagementPort.Content.ReadAsStringAsync());
        Assert.Equal("team-orders", report.RootElement.GetProperty("owner").GetString());
        await app.StopAsync();
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

    /// <summary>The management port, known once the server listens.</summary>
    private sealed class ManagementPort
    {
        public int Port { get; set; } = -1;
    }
}
