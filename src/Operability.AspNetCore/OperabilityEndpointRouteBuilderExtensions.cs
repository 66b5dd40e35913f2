using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Operability.AspNetCore;
using Operability.AspNetCore.Endpoints;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Shutter;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The second of the two calls: <c>app.MapOperability()</c>.</summary>
public static class OperabilityEndpointRouteBuilderExtensions
{
    private static readonly string[] ReadMethods = { HttpMethods.Get, HttpMethods.Head };

    private const string ReportNotPublished =
        "The operability report is not published to anonymous callers outside Development. To open it deliberately, set "
        + "Operability:Endpoints:OperabilityAuthorizationPolicy to an authorization policy the caller meets, or "
        + "Operability:Endpoints:AnonymousReport to true to publish it to anyone.";

    /// <summary>
    /// Adds the shutter and availability middleware (<see cref="UseOperability"/>) and maps <c>/health/live</c>,
    /// <c>/health/ready</c> and <c>/operability</c> (<see cref="MapOperabilityEndpoints"/>). Call it early, before
    /// middleware the shutter should cover (static files, authentication of the shuttered routes).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The mapped endpoints, to add conventions to all or to one of them.</returns>
    public static OperabilityEndpoints MapOperability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseOperability();
        return app.MapOperabilityEndpoints();
    }

    /// <summary>
    /// Adds only the middleware: shutter for non-operational routes, and counting of their outcomes. With an explicit
    /// <c>UseRouting()</c>, call it after that: the shutter route is kept out of CORS by its endpoint metadata.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The same builder.</returns>
    public static IApplicationBuilder UseOperability(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        EnsureAdded(app.ApplicationServices);
        app.UseMiddleware<OperabilityMiddleware>();
        if (app.ApplicationServices.GetService<ICorsService>() is not null)
        {
            // The shutter route is out of CORS (DisableCors metadata), and routing refuses to run an endpoint with
            // CORS metadata unless the CORS middleware saw it: run it for that route, where it only skips, so an
            // application with CORS services but no UseCors still reaches the route.
            app.UseWhen(IsOutOfCors, branch => branch.UseCors());
        }

        return app;
    }

    /// <summary>
    /// Maps only the endpoints. <c>/health/live</c> and <c>/health/ready</c> allow anonymous callers (probes carry
    /// no credentials), even under an authorization <c>FallbackPolicy</c>. <c>/operability</c> requires <c>Operability:Endpoints:OperabilityAuthorizationPolicy</c>
    /// when it is set; without it, it is anonymous in Development and, elsewhere, answers anonymous callers 403
    /// unless <c>Operability:Endpoints:AnonymousReport</c> is true or the route requires authorization by a
    /// convention. <c>POST</c>/<c>DELETE /operability/shutter</c> are mapped only when
    /// <c>Operability:Shutter:AuthorizationPolicy</c> is set, and require it. Both are read now, not on reload.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The mapped endpoints.</returns>
    public static OperabilityEndpoints MapOperabilityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EnsureAdded(endpoints.ServiceProvider);
        OperabilityOptions options = endpoints.ServiceProvider.GetRequiredService<IOptions<OperabilityOptions>>().Value;

        IEndpointConventionBuilder liveness = Operational(
            endpoints.MapMethods(OperabilityPaths.Liveness, ReadMethods, (RequestDelegate)(context =>
                context.RequestServices.GetRequiredService<HealthReporter>().WriteLivenessAsync(context))),
            "Operability liveness");
        IEndpointConventionBuilder readiness = Operational(
            endpoints.MapMethods(OperabilityPaths.Readiness, ReadMethods, (RequestDelegate)(context =>
                context.RequestServices.GetRequiredService<HealthReporter>().WriteReadinessAsync(context))),
            "Operability readiness");

        // Probes carry no credentials: an application's authorization FallbackPolicy must not make them fail.
        liveness.AllowAnonymous();
        readiness.AllowAnonymous();
        // Outside Development the report (contacts, dependency names, circuit states, version) goes only to callers
        // the application chose: a policy on the route, or an explicit AnonymousReport. Decided per request from
        // the endpoint's metadata, so a RequireAuthorization added to the Report builder opens it too.
        bool openToAnyone = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment() || options.Endpoints.AnonymousReport;
        IEndpointConventionBuilder report = Operational(
            endpoints.MapMethods(OperabilityPaths.Report, ReadMethods, (RequestDelegate)(async context =>
            {
                if (!openToAnyone && !RequiresAuthorization(context.GetEndpoint()))
                {
                    await ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden", ReportNotPublished).ConfigureAwait(false);
                    return;
                }

                byte[] body = context.RequestServices.GetRequiredService<OperabilityReport>().Serialize();
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentLength = body.Length;
                if (!HttpMethods.IsHead(context.Request.Method))
                {
                    await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                }
            })),
            "Operability report");
        if (!string.IsNullOrWhiteSpace(options.Endpoints.OperabilityAuthorizationPolicy))
        {
            report.RequireAuthorization(options.Endpoints.OperabilityAuthorizationPolicy);
        }

        IEndpointConventionBuilder? shutter = null;
        if (!string.IsNullOrWhiteSpace(options.Shutter.AuthorizationPolicy))
        {
            // No policy, no route: nobody can change the shutter over HTTP unless the application says who may.
            shutter = Operational(
                endpoints.MapMethods(OperabilityPaths.Shutter, new[] { HttpMethods.Post, HttpMethods.Delete }, (RequestDelegate)(context =>
                {
                    ShutterState state = context.RequestServices.GetRequiredService<ShutterState>();
                    if (HttpMethods.IsPost(context.Request.Method))
                    {
                        return ShutterRoute.EngageAsync(context, state);
                    }

                    if (HttpMethods.IsDelete(context.Request.Method))
                    {
                        return ShutterRoute.DisengageAsync(context, state);
                    }

                    // Never a state change for any other method (such as a CORS preflight routed here).
                    context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    context.Response.Headers.Allow = "POST, DELETE";
                    return Task.CompletedTask;
                })),
                "Operability shutter control");
            shutter.RequireAuthorization(options.Shutter.AuthorizationPolicy);
            shutter.Finally(RefuseAnonymousShutter);

            if (endpoints.ServiceProvider.GetService<ICorsService>() is not null)
            {
                // Out of CORS: an application-wide policy (UseCors with a default policy) must not let another
                // site's page send state changes with the operator's credentials. Added last, so it wins over any
                // RequireCors a convention or group added; preflights are routed here (not to a 405 the default
                // policy would answer) and get no Access-Control-Allow-* headers. Without CORS services the
                // application has no CORS middleware, nothing can answer a preflight, and the metadata (which
                // needs that middleware) is left out.
                shutter.Finally(endpoint =>
                {
                    endpoint.Metadata.Add(new HttpMethodMetadata(new[] { HttpMethods.Post, HttpMethods.Delete }, acceptCorsPreflight: true));
                    endpoint.Metadata.Add(new DisableCorsAttribute());
                });
            }
        }

        return new OperabilityEndpoints(liveness, readiness, report, shutter);
    }

    private static void RefuseAnonymousShutter(EndpointBuilder endpoint)
    {
        foreach (object metadata in endpoint.Metadata)
        {
            if (metadata is IAllowAnonymous)
            {
                throw new InvalidOperationException(
                    "The shutter route (POST/DELETE " + OperabilityPaths.Shutter + ") was given AllowAnonymous metadata, which would let anyone shutter the service. "
                    + "Remove .AllowAnonymous() from app.MapOperability().Shutter (or from a route group containing it); it requires Operability:Shutter:AuthorizationPolicy.");
            }
        }
    }

    // The authorization middleware has already enforced such metadata; AllowAnonymous anywhere switches it off.
    private static bool RequiresAuthorization(Endpoint? endpoint) =>
        endpoint?.Metadata is { } metadata
        && metadata.GetMetadata<IAllowAnonymous>() is null
        && (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null);

    private static bool IsOutOfCors(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && metadata.GetMetadata<OperationalEndpointAttribute>() is not null
        && metadata.GetMetadata<ICorsMetadata>() is IDisableCorsAttribute;

    private static IEndpointConventionBuilder Operational(IEndpointConventionBuilder builder, string name)
    {
        builder.WithMetadata(new OperationalEndpointAttribute());
        builder.WithDisplayName(name);
        builder.ExcludeFromDescription();
        return builder;
    }

    private static void EnsureAdded(IServiceProvider services)
    {
        if (services.GetService<OperabilityRegistrations>() is null)
        {
            throw new InvalidOperationException("Operability is not registered: call builder.AddOperability() before app.MapOperability().");
        }
    }
}
