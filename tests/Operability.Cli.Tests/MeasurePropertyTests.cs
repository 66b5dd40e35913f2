using System;
using System.IO;
using CsCheck;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>Outside input of <c>measure</c>: whatever Prometheus or a deployments file holds, it is reported, never thrown.</summary>
    public sealed class MeasurePropertyTests
    {
        private static readonly Gen<string> JsonLike = Gen.OneOf(
            Gen.String,
            Gen.Char["{}[]\":,0123456789.-etruflasnNIfv+ \n\\"].Array[0, 80].Select(chars => new string(chars)),
            Gen.Int[0, 300].Select(depth => new string('[', depth) + new string(']', depth)),
            Gen.Double.Select(v => "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[" + v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + ",\"1\"]}]}}"),
            Gen.String.Select(v => "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"b\"},\"values\":[[1,\"" + v + "\"]]}]}}"));

        [Fact]
        public void PrometheusAnswer_AnyBody_IsParsedOrReportedWithTheUrl()
        {
            JsonLike.Sample(body =>
            {
                foreach (string kind in new[] { "vector", "matrix" })
                {
                    PrometheusAnswer answer = PrometheusClient.Parse("http://p/api/v1/query", 200, body, kind);
                    if (!answer.Succeeded && !answer.Error!.StartsWith("Prometheus at http://p/api/v1/query ", StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                return true;
            }, iter: 2000);
        }

        [Fact]
        public void DeploymentsFile_AnyLines_EveryNonBlankLineIsUsedOrReported()
        {
            Gen.OneOf(JsonLike, Gen.Const("{\"service\":\"a\",\"commit\":\"c\",\"committedAt\":\"2026-12-01T09:00:00Z\",\"deployedAt\":\"2026-12-01T10:00:00+01:00\"}"))
                .Array[0, 8].Sample(lines =>
                {
                    string text = string.Join("\n", lines);
                    DeploymentsFile file = DeploymentsFile.Parse(new StringReader(text));
                    int nonBlank = 0;
                    using var reader = new StringReader(text);
                    for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
                    {
                        nonBlank += line.Trim().Length == 0 ? 0 : 1;
                    }

                    return file.Deployments.Count + file.Problems.Count == nonBlank;
                }, iter: 500);
        }

        [Fact]
        public void PrometheusDuration_AnyText_ParsesOrRefuses_AndWrittenDurationsRoundTrip()
        {
            Gen.String.Sample(text => !PrometheusDuration.TryParse(text, out TimeSpan d) || d > TimeSpan.Zero, iter: 2000);
            Gen.Int[1, 100_000].Select(Gen.Int[0, 3].Select(i => new[] { "s", "m", "h", "d" }[i])).Sample(pair =>
            {
                (int count, string unit) = pair;
                long seconds = count * (unit switch { "s" => 1L, "m" => 60L, "h" => 3600L, _ => 86400L });
                bool parsed = PrometheusDuration.TryParse(count + unit, out TimeSpan d);
                // Ten years (of 365 days) is the longest accepted.
                return seconds > 10L * 365 * 86400 ? !parsed : parsed && PrometheusDuration.ForQuery(d) == seconds + "s";
            });
        }
    }
}
