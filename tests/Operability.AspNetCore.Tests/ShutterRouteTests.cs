using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
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
    [InlineData("text/plain", "")]
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
    public async Task Engage_WithAnEmptyBodyAndNoContentType_Is415ProblemNamingApplicationJson_AndDoesNotShutter()
    {
        // A cross-site page can send exactly this (a CORS "simple" request) with the operator's ambient credentials.
        await using KestrelService service = await StartAsync();
        using HttpRequestMessage request = AsOperator(HttpMethod.Post);

        using HttpResponseMessage refused = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(415, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Content-Type: application/json", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Engage_WithJsonContentType_AndAnEmptyBodyOrAnObject_Shutters()
    {
        await using KestrelService service = await StartAsync();
        var empty = new ByteArrayContent(Array.Empty<byte>());
        empty.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using (HttpRequestMessage request = AsOperator(HttpMethod.Post, empty))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
        using (HttpRequestMessage lift = AsOperator(HttpMethod.Delete))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(lift)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
        using (HttpRequestMessage json = AsOperator(HttpMethod.Post, Json("{\"message\":\"Back soon.\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Client.SendAsync(json)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Preflight_FromAnotherOrigin_UnderAPermissiveAppWideCorsPolicy_GetsNoAllowOrigin(string method)
    {
        await using KestrelService service = await StartUnderAPermissiveCorsPolicyAsync();

        // The application's policy is as permissive as it gets: the service's own routes answer any origin.
        using (HttpRequestMessage toRoot = Preflight("/", method))
        using (HttpResponseMessage allowed = await service.Client.SendAsync(toRoot))
        {
            Assert.Equal("https://evil.example", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        }

        using HttpRequestMessage preflight = Preflight("/operability/shutter", method);
        using HttpResponseMessage refused = await service.Client.SendAsync(preflight);

        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"), refused.ToString());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Methods"), refused.ToString());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Credentials"), refused.ToString());
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task CrossOriginPost_WithJson_UnderAPermissiveAppWideCorsPolicy_GetsNoAllowOrigin()
    {
        await using KestrelService service = await StartUnderAPermissiveCorsPolicyAsync();
        using HttpRequestMessage request = AsOperator(HttpMethod.Post, Json("{}"));
        request.Headers.Add("Origin", "https://evil.example");

        using HttpResponseMessage response = await service.Client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), response.ToString());
    }

    [Fact]
    public async Task Engage_WithCorsServicesButNoUseCors_StillWorks()
    {
        // AddControllers() registers CORS services; many applications never call UseCors.
        await using KestrelService service = await KestrelService.StartAsync(
            new ContentRoot(),
            new Dictionary<string, string?> { ["Operability:Shutter:AuthorizationPolicy"] = "operators" },
            builder =>
            {
                AddOperatorAuthorization(builder);
                builder.Services.AddCors();
            });
        using HttpRequestMessage request = AsOperator(HttpMethod.Post, Json("{}"));

        using HttpResponseMessage engaged = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
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
            AddOperatorAuthorization,
            conventions: conventions);
    }

    /// <summary>The shutter route under an application-wide CORS policy that allows any origin with credentials.</summary>
    private static Task<KestrelService> StartUnderAPermissiveCorsPolicyAsync() =>
        KestrelService.StartAsync(
            new ContentRoot(),
            new Dictionary<string, string?> { ["Operability:Shutter:AuthorizationPolicy"] = "operators" },
            builder =>
            {
                AddOperatorAuthorization(builder);
                builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true).AllowAnyHeader().AllowAnyMethod().AllowCredentials()));
            },
            map: app => app.UseCors());

    internal static void AddOperatorAuthorization(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("operators", p => p.RequireRole("operator")));
    }

    internal static HttpRequestMessage AsOperator(HttpMethod method, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, "/operability/shutter") { Content = content };
        request.Headers.Add(HeaderAuthentication.UserHeader, "alice");
        request.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
        return request;
    }

    private static HttpRequestMessage Preflight(string path, string method)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : ex.Message + " " + Flatten(ex.InnerException);
}
