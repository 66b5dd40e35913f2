using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Operability.AspNetCore.Shutter;

/// <summary>
/// Writes the shuttered response: <c>503</c>, <c>Retry-After</c>, <c>Cache-Control: no-store</c>, and either the
/// self-contained HTML page (for clients that prefer <c>text/html</c>: browsers) or RFC 9457 problem details.
/// </summary>
internal sealed class ShutterResponder
{
    /// <summary>The problem type: the 503 section of RFC 9110, as ASP.NET Core uses for its own 503 problems.</summary>
    public const string ProblemType = "https://tools.ietf.org/html/rfc9110#section-15.6.4";

    // Self-contained page: nothing may load from anywhere, not even this origin, and no script may run.
    private const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly ShutterState _state;

    public ShutterResponder(ShutterState state)
    {
        _state = state;
    }

    public async Task WriteAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = _state.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        response.Headers.Vary = "Accept";
        bool head = HttpMethods.IsHead(context.Request.Method);
        if (PrefersHtml(context.Request.Headers.Accept))
        {
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = PagePolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            byte[] page = Encoding.UTF8.GetBytes(RenderPage());
            response.ContentLength = page.Length;
            if (!head)
            {
                await response.Body.WriteAsync(page, context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        byte[] problem = Problem(context.Request.Path);
        response.ContentType = "application/problem+json";
        response.ContentLength = problem.Length;
        if (!head)
        {
            await response.Body.WriteAsync(problem, context.RequestAborted).ConfigureAwait(false);
        }
    }

    internal string RenderPage()
    {
        Configuration.ShutterSettings settings = _state.Settings;
        DateTimeOffset? back = _state.ExpectedBackAt;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ServiceName"] = settings.DisplayName,
            ["Message"] = _state.Message,
            ["ExpectedBack"] = back?.ToUniversalTime().ToString("dddd d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture),
            ["ExpectedBackIso"] = back?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["HelpUrl"] = settings.HelpUrl,
            ["RetryAfterSeconds"] = _state.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            ["Language"] = settings.Language,
        };
        return settings.Template.Render(values);
    }

    internal byte[] Problem(PathString instance)
    {
        Configuration.ShutterSettings settings = _state.Settings;
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", ProblemType);
            json.WriteString("title", "Service Unavailable");
            json.WriteNumber("status", StatusCodes.Status503ServiceUnavailable);
            json.WriteString("detail", settings.DisplayName + " is temporarily unavailable. " + _state.Message);
            json.WriteString("instance", instance.HasValue ? instance.Value : "/");
            json.WriteString("service", settings.DisplayName);
            json.WriteBoolean("shuttered", true);
            json.WriteNumber("retryAfterSeconds", _state.RetryAfterSeconds);
            if (_state.ExpectedBackAt is { } back)
            {
                json.WriteString("expectedBackAt", back);
            }

            if (settings.HelpUrl is { } help)
            {
                json.WriteString("helpUrl", help);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// True when the client weighs <c>text/html</c> (named explicitly, not through a wildcard) at least as high as
    /// any JSON type: what browsers send for a page. API clients, <c>*/*</c> and no Accept get problem+json.
    /// </summary>
    internal static bool PrefersHtml(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out IList<MediaTypeHeaderValue>? types))
        {
            return false;
        }

        double html = 0;
        double json = 0;
        foreach (MediaTypeHeaderValue type in types)
        {
            double quality = type.Quality ?? 1.0;
            string mediaType = type.MediaType.Value ?? string.Empty;
            if (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, quality);
            }
            else if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase)
                || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            {
                json = Math.Max(json, quality);
            }
        }

        return html > 0 && html >= json;
    }
}
