using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Operability.Cli
{
    /// <summary>One series of a Prometheus answer: its labels and its samples, oldest first.</summary>
    internal sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset At, double Value)> Samples);

    /// <summary>
    /// What one query returned: the series, or why not. <see cref="Unreachable"/> means Prometheus itself did not
    /// answer usefully (no connection, a timeout, an answer that is not its API's JSON), so asking it again for the
    /// next service would only wait as long again; otherwise the query alone failed (an error status in its JSON).
    /// </summary>
    internal sealed record PrometheusAnswer(IReadOnlyList<PrometheusSeries> Series, string? Error, bool Unreachable)
    {
        public bool Succeeded => Error is null;

        public static PrometheusAnswer Failed(string error, bool unreachable) => new(Array.Empty<PrometheusSeries>(), error, unreachable);
    }

    /// <summary>
    /// The Prometheus HTTP API (<c>/api/v1/query</c> and <c>/api/v1/query_range</c>), one request per query with a
    /// bounded timeout and no retries: a Prometheus that does not answer is reported once, not hammered.
    /// </summary>
    internal sealed class PrometheusClient : IDisposable
    {
        // An answer larger than this is not one of the small aggregates this tool asks for.
        private const long MaxAnswerBytes = 64L * 1024 * 1024;

        private readonly HttpClient _http;
        private readonly string _base;
        private readonly TimeSpan _timeout;

        /// <summary>A client for the Prometheus at <paramref name="baseAddress"/>.</summary>
        /// <param name="baseAddress">Its address, e.g. <c>http://prometheus:9090</c> (a path prefix is kept).</param>
        /// <param name="timeout">How long one query may take, connection included.</param>
        /// <param name="handler">The message handler; null for a new one.</param>
        public PrometheusClient(Uri baseAddress, TimeSpan timeout, HttpMessageHandler? handler = null)
        {
            BaseAddress = baseAddress;
            _base = Redacted(baseAddress).TrimEnd('/');
            _timeout = timeout;
            _http = handler is null ? new HttpClient() : new HttpClient(handler);
            _http.Timeout = timeout;
            _http.MaxResponseContentBufferSize = MaxAnswerBytes;
            if (baseAddress.UserInfo.Length > 0)
            {
                // HttpClient ignores the user info of a URL; a Prometheus behind basic authentication expects it as a header.
                string credentials = Uri.UnescapeDataString(baseAddress.UserInfo);
                _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
            }
        }

        /// <summary>The address queries go to.</summary>
        public Uri BaseAddress { get; }

        /// <summary>An instant query evaluated at <paramref name="at"/>.</summary>
        public Task<PrometheusAnswer> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken) =>
            SendAsync("/api/v1/query", new Dictionary<string, string> { ["query"] = query, ["time"] = Timestamp(at) }, "vector", cancellationToken);

        /// <summary>A range query from <paramref name="start"/> to <paramref name="end"/> every <paramref name="step"/>.</summary>
        public Task<PrometheusAnswer> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken) =>
            SendAsync(
                "/api/v1/query_range",
                new Dictionary<string, string>
                {
                    ["query"] = query,
                    ["start"] = Timestamp(start),
                    ["end"] = Timestamp(end),
                    ["step"] = step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                },
                "matrix",
                cancellationToken);

        public void Dispose() => _http.Dispose();

        private static string Timestamp(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>The address as messages and output show it: without a user name or password, which logs must not keep.</summary>
        public static string Redacted(Uri address) =>
            address.UserInfo.Length == 0 ? address.AbsoluteUri : new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri;

        private async Task<PrometheusAnswer> SendAsync(string path, Dictionary<string, string> form, string resultType, CancellationToken cancellationToken)
        {
            string url = _base + path;
            // Prometheus stops evaluating at its own timeout too, so a slow query does not keep running after we gave up.
            form["timeout"] = PrometheusDuration.ForQuery(_timeout);
            string body;
            int status;
            try
            {
                using var content = new FormUrlEncodedContent(form);
                using HttpResponseMessage response = await _http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return PrometheusAnswer.Failed("Prometheus at " + url + " did not answer within " + Seconds(_timeout) + " (--prometheus-timeout).", unreachable: true);
            }
            catch (HttpRequestException e)
            {
                return PrometheusAnswer.Failed("Prometheus at " + url + " cannot be reached: " + e.Message, unreachable: true);
            }

            return Parse(url, status, body, resultType);
        }

        /// <summary>Reads the API's JSON envelope; anything else names the URL and what came back.</summary>
        internal static PrometheusAnswer Parse(string url, int status, string body, string resultType)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return PrometheusAnswer.Failed("Prometheus at " + url + " answered HTTP " + status + " with something that is not its API's JSON: " + Excerpt(body), unreachable: true);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out JsonElement state) || state.ValueKind != JsonValueKind.String)
                {
                    return PrometheusAnswer.Failed("Prometheus at " + url + " answered HTTP " + status + " with JSON that has no \"status\": " + Excerpt(body), unreachable: true);
                }

                if (state.GetString() != "success")
                {
                    string type = root.TryGetProperty("errorType", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "unknown";
                    string error = root.TryGetProperty("error", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
                    return PrometheusAnswer.Failed("Prometheus at " + url + " answered HTTP " + status + " with an error (" + type + "): " + error, unreachable: false);
                }

                if (!root.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Object
                    || !data.TryGetProperty("resultType", out JsonElement kind) || kind.ValueKind != JsonValueKind.String
                    || !data.TryGetProperty("result", out JsonElement result) || result.ValueKind != JsonValueKind.Array)
                {
                    return PrometheusAnswer.Failed("Prometheus at " + url + " answered without data.resultType and data.result: " + Excerpt(body), unreachable: true);
                }

                if (kind.GetString() != resultType)
                {
                    return PrometheusAnswer.Failed("Prometheus at " + url + " answered a " + kind.GetString() + " where a " + resultType + " was expected.", unreachable: false);
                }

                var series = new List<PrometheusSeries>(result.GetArrayLength());
                foreach (JsonElement item in result.EnumerateArray())
                {
                    if (!TryReadSeries(item, resultType == "vector", out PrometheusSeries? one))
                    {
                        return PrometheusAnswer.Failed("Prometheus at " + url + " answered a series that is not {\"metric\": {…}, \"value(s)\": [[time, \"number\"]]}: " + Excerpt(item.GetRawText()), unreachable: true);
                    }

                    series.Add(one!);
                }

                return new PrometheusAnswer(series, null, false);
            }
        }

        private static bool TryReadSeries(JsonElement item, bool instant, out PrometheusSeries? series)
        {
            series = null;
            if (item.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (item.TryGetProperty("metric", out JsonElement metric))
            {
                if (metric.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                foreach (JsonProperty label in metric.EnumerateObject())
                {
                    if (label.Value.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    labels[label.Name] = label.Value.GetString()!;
                }
            }

            var samples = new List<(DateTimeOffset, double)>();
            if (instant)
            {
                if (!item.TryGetProperty("value", out JsonElement value) || !TryReadSample(value, out var sample))
                {
                    return false;
                }

                samples.Add(sample);
            }
            else
            {
                if (!item.TryGetProperty("values", out JsonElement values) || values.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                foreach (JsonElement value in values.EnumerateArray())
                {
                    if (!TryReadSample(value, out var sample))
                    {
                        return false;
                    }

                    samples.Add(sample);
                }
            }

            series = new PrometheusSeries(labels, samples);
            return true;
        }

        /// <summary>A <c>[unix seconds, "value"]</c> pair; values are strings so that NaN and ±Inf survive JSON.</summary>
        private static bool TryReadSample(JsonElement pair, out (DateTimeOffset At, double Value) sample)
        {
            sample = default;
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.Number || !pair[0].TryGetDouble(out double seconds)
                || pair[1].ValueKind != JsonValueKind.String
                || seconds < 0 || seconds > 253_402_300_799d)
            {
                return false;
            }

            string text = pair[1].GetString()!;
            double value;
            if (text == "NaN")
            {
                value = double.NaN;
            }
            else if (text == "+Inf")
            {
                value = double.PositiveInfinity;
            }
            else if (text == "-Inf")
            {
                value = double.NegativeInfinity;
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                return false;
            }

            sample = (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), value);
            return true;
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        private static string Excerpt(string body)
        {
            string flat = body.Replace('\r', ' ').Replace('\n', ' ').Trim();
            return flat.Length == 0 ? "(empty)" : flat.Length <= 120 ? flat : flat.Substring(0, 120) + "…";
        }
    }
}
