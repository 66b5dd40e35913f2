using System;
using System.Collections.Generic;
using System.Globalization;
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

    /// <summary><c>POST</c> and <c>DELETE /operability/shutter</c>; null unless <c>Operability:Shutter:AuthorizationPolicy</c> is set.</summary>
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
                        if (!DateTimeOffset.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset back))
                        {
                            return "'expectedBackAt' is '" + property.Value.GetString() + "', not an ISO 8601 date and time such as 2026-11-27T09:30:00Z.";
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

    private static async Task BadRequestAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/problem+json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "https://tools.ietf.org/html/rfc9110#section-15.5.1");
            json.WriteString("title", "Bad Request");
            json.WriteNumber("status", StatusCodes.Status400BadRequest);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
