using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Operability.AspNetCore.Endpoints;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>The shutter control route on Kestrel: who may use it and what it accepts.</summary>
public sealed class ShutterRouteTests
{
    [Fact]
    public async Task AllowAnonymous_OnAllOperabilityEndpoints_DoesNotReachTheShutterRoute()
    {
        await using KestrelService service = await StartAsync(conventions: endpoints => endpoints.AllowAnonymous());

        using (HttpResponseMessage anonymous = await service.Client.PostAsync("/operability/shutter", Json("{}")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (HttpResponseMessage anonymousLift = await service.Client.DeleteAsync("/operability/shutter"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymousLift.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task AllowAnonymous_OnTheShutterRouteItself_FailsNamingTheProblem()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using KestrelService service = await StartAsync(conventions: endpoints => endpoints.Shutter!.AllowAnonymous());
            await service.Client.PostAsync("/operability/shutter", Json("{}"));
        });

        Assert.Contains("AllowAnonymous", Flatten(ex), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthProbes_AnswerAnonymously_UnderAFallbackPolicyRequiringAuthentication()
    {
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            configure: builder =>
            {
                builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
                builder.Services.AddAuthorization(o => o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            });

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "")]
    [InlineData("multipart/form-data; boundary=x", "")]
    [InlineData("text/plain", "{\"message\":\"csrf\"}")]
    [InlineData("application/x-www-form-urlencoded", "message=csrf")]
    public async Task Engage_WithAFormOrTextContentType_Is415AndDoesNotShutter(string contentType, string body)
    {
        await using KestrelService service = await StartAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using HttpRequestMessage request = AsOperator(HttpMethod.Post, content);

        using HttpResponseMessage refused = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Engage_WithoutABody_OrWithJson_Shutters()
    {
        await using KestrelService service = await StartAsync();
        using (HttpRequestMessage empty = AsOperator(HttpMethod.Post))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(empty)).StatusCode);
        }

        using (HttpRequestMessage json = AsOperator(HttpMethod.Post, Json("{\"message\":\"Back soon.\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(json)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Engage_WithALoneSurrogateInTheMessage_Is400()
    {
        await using KestrelService service = await StartAsync();
        using HttpRequestMessage request = AsOperator(HttpMethod.Post, Json("{\"message\":\"\\uD800\"}"));

        using HttpResponseMessage rejected = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("2099-01-01T10:00:00")]
    [InlineData("01/02/2099 10:00")]
    [InlineData("2099-01-01")]
    public async Task Engage_ExpectedBackAtWithoutAnOffsetOrNotRfc3339_Is400(string expectedBackAt)
    {
        await using KestrelService service = await StartAsync();
        using HttpRequestMessage request = AsOperator(HttpMethod.Post, Json("{\"expectedBackAt\":\"" + expectedBackAt + "\"}"));

        using HttpResponseMessage rejected = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
    }

    [Fact]
    public async Task Engage_ExpectedBackAtYearsAway_RetryAfterIsCappedAtADay()
    {
        await using KestrelService service = await StartAsync();
        using (HttpRequestMessage request = AsOperator(HttpMethod.Post, Json("{\"expectedBackAt\":\"2099-01-01T10:00:00.5+01:00\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(request)).StatusCode);
        }

        using HttpResponseMessage shuttered = await service.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, shuttered.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(86400), shuttered.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task WhileShuttered_ATeamsOwnHealthPathIsOperational_NotShutteredNorCounted()
    {
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            new Dictionary<string, string?> { ["Operability:Shutter:Enabled"] = "true" },
            map: app => app.MapGet("/health/startup", () => "started"));

        using HttpResponseMessage startup = await service.Client.GetAsync("/health/startup");

        Assert.Equal(HttpStatusCode.OK, startup.StatusCode);
        Assert.Equal("started", await startup.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/healthz")).StatusCode);
    }

    internal static Task<KestrelService> StartAsync(Action<OperabilityEndpoints>? conventions = null, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Operability:Shutter:AuthorizationPolicy"] = "operators" };
        if (settings is not null)
        {
            foreach (KeyValuePair<string, string?> entry in settings)
            {
                all[entry.Key] = entry.Value;
            }
        }

        return KestrelService.StartAsync(
            new ContentRoot(),
            all,
            builder =>
            {
                builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
                builder.Services.AddAuthorization(o => o.AddPolicy("operators", p => p.RequireRole("operator")));
            },
            conventions: conventions);
    }

    internal static HttpRequestMessage AsOperator(HttpMethod method, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, "/operability/shutter") { Content = content };
        request.Headers.Add(HeaderAuthentication.UserHeader, "alice");
        request.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : ex.Message + " " + Flatten(ex.InnerException);
}
