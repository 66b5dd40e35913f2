using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Operability.AspNetCore.Tests;

/// <summary>The sample service (tests/Operability.AspNetCore.TestService) in memory, as a team would test theirs.</summary>
public sealed class WebApplicationFactoryTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> _factory;

    public WebApplicationFactoryTests(WebApplicationFactory<Program> factory)
    {
        _factory = factory;
    }

    [Fact]
    public async Task HealthEndpoints_InProduction_AnswerWithStatusAndCheckNamesOnly()
    {
        using HttpClient client = Create(new()).CreateClient();

        using HttpResponseMessage live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("{\"status\":\"Healthy\",\"checks\":[]}", await live.Content.ReadAsStringAsync());
        Assert.Contains("no-store", live.Headers.CacheControl!.ToString());

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        string[] names = body.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(new[] { "dependency:payments", "shutter" }, names);
        foreach (JsonElement check in body.RootElement.GetProperty("checks").EnumerateArray())
        {
            Assert.Equal(new[] { "name", "status" }, check.EnumerateObject().Select(p => p.Name).ToArray());
        }
    }

    [Fact]
    public async Task Report_InDevelopment_IsAnonymous_AndShowsTheManifestWhatFollowsFromItAndTheVersion()
    {
        using HttpClient client = Create(new(), environment: "Development").CreateClient();

        using JsonDocument report = JsonDocument.Parse(await client.GetStringAsync("/operability"));
        JsonElement root = report.RootElement;
        Assert.Equal("orders", root.GetProperty("service").GetString());
        Assert.Equal("team-orders", root.GetProperty("owner").GetString());
        Assert.Equal("#team-orders", root.GetProperty("contacts").GetProperty("chat").GetString());
        Assert.Equal("https://oncall.example.com/team-orders", root.GetProperty("contacts").GetProperty("onCall").GetString());
        Assert.Equal("checkout", root.GetProperty("productDomain").GetString());
        Assert.Equal(99.9m, root.GetProperty("availabilityTarget").GetDecimal());
        Assert.Equal("0:10:05", root.GetProperty("tolerableUnavailabilityPerWeek").GetProperty("display").GetString());
        Assert.Equal(604.8, root.GetProperty("tolerableUnavailabilityPerWeek").GetProperty("seconds").GetDouble(), 6);
        Assert.Equal("team", root.GetProperty("onCall").GetProperty("workingHours").GetString());
        Assert.Equal("team", root.GetProperty("onCall").GetProperty("outOfHours").GetString());
        Assert.Equal("7.00:00:00", root.GetProperty("measuredAvailability").GetProperty("window").GetString());
        Assert.Equal(1.0, root.GetProperty("errorBudgetRemaining").GetDouble());
        Assert.False(root.GetProperty("shutter").GetProperty("engaged").GetBoolean());
        Assert.Equal("payments", root.GetProperty("dependencies")[0].GetProperty("name").GetString());
        Assert.Equal("closed", root.GetProperty("dependencies")[0].GetProperty("circuit").GetString());
        Assert.Equal(VersionWithoutCommit, root.GetProperty("version").GetString());

        // Nothing configured leaks: the dependency's address is configuration, not manifest.
        Assert.DoesNotContain("127.0.0.1", report.RootElement.GetRawText());
    }

    [Fact]
    public async Task Availability_CountsFiveHundredsAsFailures_FourHundredsAsSuccesses_OperationalRoutesNotAtAll()
    {
        using HttpClient client = Create(new() { ["Operability:Endpoints:AnonymousReport"] = "true" }).CreateClient();
        for (int i = 0; i < 3; i++)
        {
            (await client.GetAsync("/")).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/orders/0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-route")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/broken")).StatusCode);
        (await client.GetAsync("/health/ready")).Dispose();
        (await client.GetAsync("/health/live")).Dispose();

        using JsonDocument report = JsonDocument.Parse(await client.GetStringAsync("/operability"));
        JsonElement measured = report.RootElement.GetProperty("measuredAvailability");
        Assert.Equal(6, measured.GetProperty("requests").GetInt64());
        Assert.Equal(1, measured.GetProperty("failures").GetInt64());
        Assert.Equal(5.0 / 6.0, measured.GetProperty("ratio").GetDouble(), 9);

        // 99.9% allows 0.006 failures in 6 requests; one failure overspends the week's budget.
        Assert.True(report.RootElement.GetProperty("errorBudgetRemaining").GetDouble() < 0);
    }

    [Fact]
    public async Task Shutter_FromConfiguration_ApiClientsGetProblemJsonWithRetryAfter()
    {
        using HttpClient client = Create(new() { ["Operability:Shutter:Enabled"] = "true", ["Operability:Shutter:Message"] = "Planned maintenance." }).CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        using HttpResponseMessage response = await client.GetAsync("/orders/1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.RetryAfter!.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.4", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("Service Unavailable", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Planned maintenance.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal("/orders/1", problem.RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Shutter_FromConfiguration_BrowsersGetTheHtmlPage_AndEveryMethodIsShuttered()
    {
        using HttpClient client = Create(new()
        {
            ["Operability:Shutter:Enabled"] = "true",
            ["Operability:Shutter:Message"] = "We are moving to a new <datacentre>.",
            ["Operability:Shutter:ServiceDisplayName"] = "Orders & Returns",
            ["Operability:Shutter:HelpUrl"] = "https://help.example.com/orders",
        }).CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using HttpResponseMessage page = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(page.Headers.RetryAfter);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Orders &amp; Returns", html);
        Assert.Contains("We are moving to a new &lt;datacentre&gt;.", html);
        Assert.Contains("href=\"https://help.example.com/orders\"", html);
        Assert.Contains("<main>", html);
        Assert.DoesNotContain("{{", html);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());

        using HttpResponseMessage post = await client.PostAsync("/orders", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
    }

    [Fact]
    public async Task Shutter_HealthAndReportKeepWorking_AndShutteredRequestsCountAsFailures()
    {
        using HttpClient client = Create(new() { ["Operability:Shutter:Enabled"] = "true", ["Operability:Endpoints:AnonymousReport"] = "true" }).CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/")).StatusCode);

        using HttpResponseMessage live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        string readyBody = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"Degraded\"", readyBody);
        Assert.Contains("{\"name\":\"shutter\",\"status\":\"Degraded\"}", readyBody);

        using JsonDocument report = JsonDocument.Parse(await client.GetStringAsync("/operability"));
        Assert.True(report.RootElement.GetProperty("shutter").GetProperty("engaged").GetBoolean());
        Assert.Equal("configuration", report.RootElement.GetProperty("shutter").GetProperty("sources")[0].GetString());
        Assert.Equal(1, report.RootElement.GetProperty("measuredAvailability").GetProperty("failures").GetInt64());
    }

    [Fact]
    public async Task Shutter_ExpectedBackAtInTheFuture_SetsRetryAfterAndShowsTheTime()
    {
        DateTimeOffset back = DateTimeOffset.UtcNow.AddHours(2);
        using HttpClient client = Create(new()
        {
            ["Operability:Shutter:Enabled"] = "true",
            ["Operability:Shutter:ExpectedBackAt"] = back.ToString("O"),
        }).CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        using HttpResponseMessage page = await client.GetAsync("/");

        Assert.InRange(page.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 7000, 7201);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<time datetime=\"" + back.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), html);
    }

    [Fact]
    public async Task ShutterRoute_WithoutAPolicy_IsNotMapped_AnonymousCannotShutter()
    {
        using HttpClient client = Create(new()).CreateClient();

        using HttpResponseMessage attempt = await client.PostAsync("/operability/shutter", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Contains(attempt.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task ShutterRoute_WithAPolicy_AnonymousAndUnauthorizedAreRefused_OperatorShuttersAndLifts()
    {
        WebApplicationFactory<Program> factory = Create(new() { ["Operability:Shutter:AuthorizationPolicy"] = "operators" }, services =>
        {
            services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
            services.AddAuthorization(o => o.AddPolicy("operators", p => p.RequireRole("operator")));
        });
        using HttpClient client = factory.CreateClient();

        using (HttpResponseMessage anonymous = await client.PostAsync("/operability/shutter", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var developer = new HttpRequestMessage(HttpMethod.Post, "/operability/shutter"))
        {
            developer.Headers.Add(HeaderAuthentication.UserHeader, "dev");
            using HttpResponseMessage refused = await client.SendAsync(developer);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        using (var engage = new HttpRequestMessage(HttpMethod.Post, "/operability/shutter"))
        {
            engage.Headers.Add(HeaderAuthentication.UserHeader, "alice");
            engage.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
            engage.Content = new StringContent("{\"message\":\"Back after the database upgrade.\",\"expectedBackAt\":\"2099-01-01T10:00:00Z\"}", Encoding.UTF8, "application/json");
            using HttpResponseMessage engaged = await client.SendAsync(engage);
            Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);
        }

        using (HttpResponseMessage shuttered = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shuttered.StatusCode);
            Assert.Contains("Back after the database upgrade.", await shuttered.Content.ReadAsStringAsync());
        }

        using (var bad = new HttpRequestMessage(HttpMethod.Post, "/operability/shutter"))
        {
            bad.Headers.Add(HeaderAuthentication.UserHeader, "alice");
            bad.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
            bad.Content = new StringContent("{\"expectedBackAt\":\"soon\"}", Encoding.UTF8, "application/json");
            using HttpResponseMessage rejected = await client.SendAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
            Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);
            Assert.Contains("expectedBackAt", await rejected.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage anonymousLift = await client.DeleteAsync("/operability/shutter"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymousLift.StatusCode);
        }

        using (var lift = new HttpRequestMessage(HttpMethod.Delete, "/operability/shutter"))
        {
            lift.Headers.Add(HeaderAuthentication.UserHeader, "alice");
            lift.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
            using HttpResponseMessage lifted = await client.SendAsync(lift);
            Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Report_WithAPolicy_RequiresIt()
    {
        WebApplicationFactory<Program> factory = Create(new() { ["Operability:Endpoints:OperabilityAuthorizationPolicy"] = "operators" }, services =>
        {
            services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
            services.AddAuthorization(o => o.AddPolicy("operators", p => p.RequireRole("operator")));
        });
        using HttpClient client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/operability")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/operability");
        request.Headers.Add(HeaderAuthentication.UserHeader, "alice");
        request.Headers.Add(HeaderAuthentication.RoleHeader, "operator");
        using HttpResponseMessage authorized = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);

        // In Production, the policy is the deliberate opening: the authorized caller gets the whole report.
        using JsonDocument report = JsonDocument.Parse(await authorized.Content.ReadAsStringAsync());
        Assert.Equal("team-orders", report.RootElement.GetProperty("owner").GetString());
        Assert.Equal("payments", report.RootElement.GetProperty("dependencies")[0].GetProperty("name").GetString());
        Assert.Equal(1.0, report.RootElement.GetProperty("errorBudgetRemaining").GetDouble());
        Assert.Equal(VersionWithoutCommit, report.RootElement.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Test")]
    public async Task Report_OutsideDevelopment_AnonymousWithNoOpening_Is403ProblemThatLeaksNothing(string environment)
    {
        using HttpClient client = Create(new(), environment: environment).CreateClient();

        using HttpResponseMessage refused = await client.GetAsync("/operability");
        string body = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", refused.Headers.CacheControl!.ToString());
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        string detail = problem.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("Operability:Endpoints:OperabilityAuthorizationPolicy", detail, StringComparison.Ordinal);
        Assert.Contains("Operability:Endpoints:AnonymousReport", detail, StringComparison.Ordinal);
        foreach (string secret in new[] { "orders", "team-orders", "oncall.example.com", "#team-orders", "checkout", "payments", VersionWithoutCommit, Commit, "99.9", "circuit" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }

        using var head = new HttpRequestMessage(HttpMethod.Head, "/operability");
        using HttpResponseMessage headRefused = await client.SendAsync(head);
        Assert.Equal(HttpStatusCode.Forbidden, headRefused.StatusCode);
        Assert.Empty(await headRefused.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Report_InProduction_WithAnonymousReportTrue_ShowsTheWholeReportWithoutTheCommit()
    {
        using HttpClient client = Create(new() { ["Operability:Endpoints:AnonymousReport"] = "true" }).CreateClient();

        using JsonDocument report = JsonDocument.Parse(await client.GetStringAsync("/operability"));

        Assert.Equal("team-orders", report.RootElement.GetProperty("owner").GetString());
        Assert.Equal(VersionWithoutCommit, report.RootElement.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Report_Version_HasNoCommitUnlessPublishCommitIsTrue(string environment)
    {
        using HttpClient hidden = Create(new() { ["Operability:Endpoints:AnonymousReport"] = "true" }, environment: environment).CreateClient();
        using HttpClient published = Create(new() { ["Operability:Endpoints:AnonymousReport"] = "true", ["Operability:Endpoints:PublishCommit"] = "true" }, environment: environment).CreateClient();

        using JsonDocument withoutCommit = JsonDocument.Parse(await hidden.GetStringAsync("/operability"));
        using JsonDocument withCommit = JsonDocument.Parse(await published.GetStringAsync("/operability"));

        Assert.DoesNotContain("+", withoutCommit.RootElement.GetProperty("version").GetString()!, StringComparison.Ordinal);
        Assert.Equal(InformationalVersion, withCommit.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Readiness_InProduction_LeaksNoExceptionTextConnectionStringOrHostName()
    {
        using HttpClient client = Create(new(), services => services.AddHealthChecks().AddCheck<LeakyCheck>("orders-store", tags: new[] { "ready" })).CreateClient();

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        string body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("{\"name\":\"orders-store\",\"status\":\"Unhealthy\"}", body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("db.internal.example", body);
        Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("description", body);
    }

    [Fact]
    public async Task Readiness_InDevelopment_ShowsDescriptionsForTheDeveloper()
    {
        using HttpClient client = Create(new(), services => services.AddHealthChecks().AddCheck<LeakyCheck>("orders-store", tags: new[] { "ready" }), environment: "Development").CreateClient();

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");
        string body = await ready.Content.ReadAsStringAsync();

        Assert.Contains("\"description\"", body);
        Assert.Contains("InvalidOperationException", body);
    }

    [Fact]
    public async Task Readiness_IsCached_SoProbesCannotLoadTheChecks()
    {
        var counting = new CountingCheck();
        using HttpClient client = Create(new() { ["Operability:Health:CacheSeconds"] = "30" }, services =>
            services.AddHealthChecks().AddCheck("counted", counting, tags: new[] { "ready" })).CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/health/ready")));

        Assert.Equal(1, counting.Calls);
    }

    [Fact]
    public async Task Readiness_ASlowCheckIsTimedOut()
    {
        using HttpClient client = Create(new() { ["Operability:Health:TimeoutSeconds"] = "0.3", ["Operability:Health:CacheSeconds"] = "0" }, services =>
            services.AddHealthChecks().AddAsyncCheck("slow", async ct =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                return HealthCheckResult.Healthy();
            }, tags: new[] { "ready" })).CreateClient();

        using HttpResponseMessage ready = await client.GetAsync("/health/ready");

        // Unhealthy, not the Healthy the check would give after its 30 s: the bound cut it short.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("{\"name\":\"slow\",\"status\":\"Unhealthy\"}", await ready.Content.ReadAsStringAsync());
    }

    /// <summary>The test service's informational version, with the commit the SDK appends when built from git.</summary>
    private static string InformationalVersion =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    private static string VersionWithoutCommit => InformationalVersion.Split('+')[0];

    private static string Commit => InformationalVersion.Contains('+', StringComparison.Ordinal) ? InformationalVersion.Split('+')[1] : "no-commit-in-this-build";

    private WebApplicationFactory<Program> Create(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null, string environment = "Production") =>
        _factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
            builder.ConfigureLogging(logging => logging.ClearProviders());
            if (services is not null)
            {
                builder.ConfigureServices(services);
            }
        });

    /// <summary>A failing check whose exception carries what must never reach a probe's body.</summary>
    private sealed class LeakyCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Unhealthy(
                "Cannot reach Server=db.internal.example;Password=hunter2",
                new InvalidOperationException("Login failed for Server=db.internal.example;User Id=sa;Password=hunter2")));
    }

    private sealed class CountingCheck : IHealthCheck
    {
        private int _calls;

        public int Calls => _calls;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(100, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}

/// <summary>Authenticates from test headers: X-Test-User names the user, X-Test-Role gives a role.</summary>
internal sealed class HeaderAuthentication : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "TestHeaders";
    public const string UserHeader = "X-Test-User";
    public const string RoleHeader = "X-Test-Role";

    public HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user.ToString()) };
        if (Request.Headers.TryGetValue(RoleHeader, out var role))
        {
            claims.Add(new Claim(ClaimTypes.Role, role.ToString()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
