using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Operability.AspNetCore.Shutter;

namespace Operability.AspNetCore.Endpoints;

/// <summary>
/// The endpoints <c>MapOperability</c> mapped. Conventions added here (for example
/// <c>.WithMetadata(…)</c> or <c>.AllowAnonymous()</c>) apply to liveness, readiness and the report — never to
/// the shutter route, which keeps its own authorization policy; to change one, use its own builder:
/// <c>app.MapOperability().Report.RequireAuthorization("ops")</c>. The shutter route refuses
/// <c>AllowAnonymous</c> metadata: the application fails at start naming the problem.
/// </summary>
public sealed class OperabilityEndpoints : IEndpointConventionBuilder
{
    internal OperabilityEndpoints(IEndpointConventionBuilder liveness, IEndpointConventionBuilder readiness, IEndpointConventionBuilder report, IEndpointConventionBuilder? shutter)
    {
        Liveness = liveness;
        Readiness = readiness;
        Report = report;
        Shutter = shutter;
    }

    /// <summary><c>GET /health/live</c>.</summary>
    public IEndpointConventionBuilder Liveness { get; }

    /// <summary><c>GET /health/ready</c>.</summary>
    public IEndpointConventionBuilder Readiness { get; }

    /// <summary><c>GET /operability</c>.</summary>
    public IEndpointConventionBuilder Report { get; }

    /// <summary>
    /// <c>POST</c> (with <c>Content-Type: application/json</c>) and <c>DELETE /operability/shutter</c>; null unless
    /// <c>Operability:Shutter:AuthorizationPolicy</c> is set. Out of CORS whatever conventions add.
    /// </summary>
    public IEndpointConventionBuilder? Shutter { get; }

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (IEndpointConventionBuilder builder in All())
        {
            builder.Add(convention);
        }
    }

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (IEndpointConventionBuilder builder in All())
        {
            builder.Finally(finallyConvention);
        }
    }

    // Not the shutter route: a convention meant for the probes and the report (AllowAnonymous, say) must not
    // loosen who may shutter the service.
    private IEnumerable<IEndpointConventionBuilder> All()
    {
        yield return Liveness;
        yield return Readiness;
        yield return Report;
    }
}

/// <summary>Request handlers of the shutter route.</summary>
internal static class ShutterRoute
{
    private const int MaxBodyBytes = 16 * 1024;

    public static async Task EngageAsync(HttpContext context, ShutterState state)
    {
        string? message = null;
        DateTimeOffset? expectedBackAt = null;

        // Against cross-site requests: without Content-Type: application/json a POST is a CORS "simple" request,
        // which any page can make a browser send with the operator's ambient credentials (cookies, Negotiate,
        // client certificates) and no preflight. With it, the browser must ask first, and the route answers no
        // preflight (CORS is disabled on it). So even an empty body must say it is JSON.
        string? contentType = context.Request.ContentType;
        if (contentType is null || !IsJson(contentType))
        {
            await ProblemAsync(context, StatusCodes.Status415UnsupportedMediaType, "https://tools.ietf.org/html/rfc9110#section-15.5.16", "Unsupported Media Type",
                "Send Content-Type: application/json, with an empty body or a JSON object such as {\"message\": \"…\", \"expectedBackAt\": \"2026-11-27T09:30:00Z\"}. "
                + "The shutter route refuses any other request, because a browser sends one without that header from any site, with no CORS preflight.").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            await BadRequestAsync(context, "The body is larger than " + MaxBodyBytes + " bytes.").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength is null or > 0)
        {
            using var body = new MemoryStream();
            byte[] chunk = new byte[4096];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                {
                    await BadRequestAsync(context, "The body is larger than " + MaxBodyBytes + " bytes.").ConfigureAwait(false);
                    return;
                }

                body.Write(chunk, 0, read);
            }

            if (body.Length > 0)
            {
                string? problem = Read(body.ToArray(), out message, out expectedBackAt);
                if (problem is not null)
                {
                    await BadRequestAsync(context, problem).ConfigureAwait(false);
                    return;
                }
            }
        }

        state.EngageManually(message, expectedBackAt, context.User.Identity?.Name);
        await WriteStateAsync(context, state).ConfigureAwait(false);
    }

    public static Task DisengageAsync(HttpContext context, ShutterState state)
    {
        state.DisengageManually(context.User.Identity?.Name);
        return WriteStateAsync(context, state);
    }

    /// <summary>Reads <c>{"message": "…", "expectedBackAt": "ISO 8601"}</c>; both optional. Returns a problem or null.</summary>
    internal static string? Read(byte[] body, out string? message, out DateTimeOffset? expectedBackAt)
    {
        message = null;
        expectedBackAt = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "The body must be a JSON object such as {\"message\": \"…\", \"expectedBackAt\": \"2026-11-27T09:30:00Z\"}.";
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "message" when property.Value.ValueKind == JsonValueKind.String:
                        message = property.Value.GetString();
                        if (message is { Length: > 2000 })
                        {
                            return "'message' is longer than 2000 characters.";
                        }

                        break;
                    case "expectedBackAt" when property.Value.ValueKind == JsonValueKind.String:
                        if (!Configuration.OperabilityConfigurationReader.TryParseInstant(property.Value.GetString(), out DateTimeOffset back))
                        {
                            return "'expectedBackAt' is '" + property.Value.GetString() + "', not an ISO 8601 (RFC 3339) date and time with its offset such as 2026-11-27T09:30:00Z.";
                        }

                        expectedBackAt = back;
                        break;
                    case "message":
                    case "expectedBackAt":
                        return "'" + property.Name + "' must be a string.";
                    default:
                        return "Unknown property '" + property.Name + "'; known: message, expectedBackAt.";
                }
            }

            return null;
        }
        catch (JsonException ex)
        {
            return "The body is not valid JSON: " + ex.Message;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-16 once unescaped, such as a lone surrogate "\uD800".
            return "The body holds a string that is not valid text (for example an unpaired surrogate escape).";
        }
    }

    private static async Task WriteStateAsync(HttpContext context, ShutterState state)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("engaged", state.IsEngaged);
            json.WriteString("sources", state.Sources.ToString());
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static bool IsJson(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out Microsoft.Net.Http.Headers.MediaTypeHeaderValue? media)
        && string.Equals(media.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase);

    private static Task BadRequestAsync(HttpContext context, string detail) =>
        ProblemAsync(context, StatusCodes.Status400BadRequest, "https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request", detail);

    private static Task ProblemAsync(HttpContext context, int status, string type, string title, string detail) =>
        ProblemResponse.WriteAsync(context, status, type, title, detail);
}

/// <summary>RFC 9457 problem details for the operational endpoints' refusals: fixed fields, no request data echoed.</summary>
internal static class ProblemResponse
{
    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }

        context.Response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
        }
    }
}
