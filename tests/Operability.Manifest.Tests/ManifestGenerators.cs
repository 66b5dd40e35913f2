using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace Operability.Manifest.Tests
{
    /// <summary>
    /// CsCheck generators for manifest text: numeric extremes, odd Unicode, deep and wide nesting, long names,
    /// valid manifests (with the values they declare, to check round trips) and malformed ones. Also compiled into
    /// the analyzer tests, so it depends on CsCheck and the BCL only.
    /// </summary>
    internal static class ManifestGenerators
    {
        /// <summary>The longest timeout a manifest accepts (int.MaxValue ms), in ticks.</summary>
        public static readonly long MaxTimeoutTicks = TimeSpan.FromMilliseconds(int.MaxValue).Ticks;

        /// <summary>Characters that break naive readers: lone surrogates, BOM, NUL, RTL marks, combining marks, LS/PS, NEL.</summary>
        public const string OddCharacters = "\uD800\uDC00\uDBFF\uFEFF\u0000\u0001\u001F\u007F\u202E\u200F\u061C\u0301\u0336\u2028\u2029\u0085\u00A0\u3000\uFFFF\uFFFE\"\\/";

        /// <summary>Characters that are valid in a JSON string once escaped, and odd: RTL, combining, BOM, NUL, pairs.</summary>
        private static readonly string[] ValidOddPieces =
        {
            "a", "Z", "-", "7", "é", "e\u0301", "\u202E", "\u200F", "\u061C", "\uFEFF", "\u0000", "\u2028", "\u0085", "\u00A0",
            "\uD83D\uDE00", "\uD834\uDD1E", "日本", "مرحبا", "\"", "\\", "/", "\t", "%", ".", "[0]", " ",
        };

        /// <summary>Whitespace and comments between tokens.</summary>
        public static readonly Gen<string> Trivia = Gen.Frequency(
            (6, Gen.Const(" ")),
            (2, Gen.Const(string.Empty)),
            (2, Gen.OneOf("\n", "\r\n", "\r", "\n\n  ", "\t")),
            (1, Gen.OneOf("/* c */", "// line\n", "/* a\r\nb */", " /**/ ")));

        /// <summary>A non-blank string that is valid UTF-16, sometimes long, full of odd but legal characters.</summary>
        public static readonly Gen<string> OddName = Gen.Frequency(
            (8, Gen.OneOf(ValidOddPieces).Array[0, 8].Select(pieces => "s" + string.Concat(pieces))),
            (1, Gen.Int[200, 3000].Select(n => "long-" + new string('n', n))),
            (1, Gen.Int[1, 300].Select(n => "x" + string.Concat(Enumerable.Repeat("e\u0301\u202E", n)))));

        /// <summary>A JSON number as text: valid JSON, with exponents, 28+ digit decimals, ±0 and huge integers.</summary>
        public static readonly Gen<string> NumberText = Gen.Frequency(
            (3, Gen.OneOf(
                "0", "-0", "0.0", "-0.0", "0e0", "-0E-0", "1e22", "-1e22", "1e300", "1E+400", "1e-400", "-1e-400", "1e99999999999",
                "79228162514264337593543950335", "79228162514264337593543950336", "-79228162514264337593543950335",
                "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                "1.7976931348623157E+308", "1.7976931348623159e308", "4.9E-324", "2147483.647", "2147483.6470001", "2147483.64700004",
                "1e15", "1000000000000000.01", "0.0000001", "0.00000005", "0.00000004999", "99.99999999999999999999999999999",
                "0.0000000000000000000000000001", "0.00000000000000000000000000001", "100", "99.9", "1e2", "9.99e1")),
            (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
            (2, Gen.Select(Gen.Int[0, 9], Gen.String[Gen.Char["0123456789"], 0, 400], (first, rest) => (first == 0 ? "0" : first + rest))),
            (2, Gen.Select(Gen.Bool, Gen.String[Gen.Char["0123456789"], 1, 6], Gen.String[Gen.Char["0123456789"], 1, 34], (negative, whole, fraction) =>
                (negative ? "-" : string.Empty) + whole.TrimStart('0').PadLeft(1, '0') + "." + fraction)),
            (2, Gen.Select(Gen.Int[1, 9], Gen.OneOf("e", "E", "e+", "e-", "E-"), Gen.String[Gen.Char["0123456789"], 1, 12], (digit, e, exponent) =>
                digit.ToString(CultureInfo.InvariantCulture) + e + exponent)),
            (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999")));

        /// <summary>Text where a number might be, that is not a JSON number: NaN-like words, signs, hex, odd digits.</summary>
        public static readonly Gen<string> NotANumberText = Gen.OneOf(
            "NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "+1", ".5", "-.5", "1.", "01", "-01", "00", "1e", "1e+", "1E-", "0x10",
            "1_000", "1,5", "١٢", "−1", "１", "1.2.3", "--1", "- 1", "1e5.5", "nan", "inf", "undefined", "0b1", "٫5");

        /// <summary>Escape sequences a reader must refuse, or accept only in pairs: lone surrogate escapes, short or unknown escapes.</summary>
        public static readonly Gen<string> BrokenEscape = Gen.OneOf(
            "\\uD800", "\\uDC00", "\\uDBFF\\u0041", "\\uD83D\\uDE00", "\\uDC00\\uD800", "\\u12", "\\u", "\\x41", "\\U0041", "\\", "\\\"", "\\u00e9\\u0301");

        /// <summary>A JSON string literal whose content is valid UTF-16, escaped in varied ways.</summary>
        public static readonly Gen<string> StringLiteral = Gen.Select(OddName, Gen.Bool, (text, escapeAll) => Quote(text, escapeAll));

        /// <summary>Any JSON value, nested up to four levels, objects with odd and duplicate names.</summary>
        public static readonly Gen<string> JsonValue = Value(4);

        /// <summary>Arrays or objects nested 1 to 150 levels deep (the reader stops at 64).</summary>
        public static readonly Gen<string> DeepValue = Gen.Select(Gen.Int[1, 150], Gen.Bool, Gen.Frequency((1, NumberText), (1, Gen.Const("{}"))), (depth, arrays, inner) =>
        {
            var builder = new StringBuilder();
            for (int i = 0; i < depth; i++)
            {
                builder.Append(arrays || i % 2 == 0 ? "[" : "{\"k\":");
            }

            builder.Append(inner);
            for (int i = depth - 1; i >= 0; i--)
            {
                builder.Append(arrays || i % 2 == 0 ? "]" : "}");
            }

            return builder.ToString();
        });

        /// <summary>An array of 0 to 3,000 small values.</summary>
        public static readonly Gen<string> WideValue = Gen.Select(Gen.Int[0, 3000], NumberText, (count, element) =>
            "[" + string.Join(",", Enumerable.Repeat(element, count)) + "]");

        /// <summary>A valid manifest, the values it declares (peaks included), and its text.</summary>
        public static readonly Gen<GeneratedManifest> ValidManifest = Gen.Select(
            OddName,
            OddName,
            Gen.Int[0, 1].SelectMany(mode => Gen.Select(Target, Exposure, (target, exposure) => (mode, target, exposure))),
            Gen.Select(OddName, Gen.String[Gen.Char["abc-"], 0, 3].Array[0, 3]).Array[0, 3],
            Gen.Select(OddName, Timeout, Gen.Bool, Gen.Bool).Array[0, 4],
            Gen.Select(Gen.Bool, Gen.Bool, OddName),
            Trivia.Array[64],
            (service, owner, availability, databases, dependencies, extras, trivia) =>
            {
                (int mode, (decimal Value, string Text) target, (decimal Value, string Text) exposure) = availability;
                return new GeneratedManifest(
                    service,
                    owner,
                    // One or the other: both would need the selector's bands to agree (OPS306), which the parser tests own.
                    mode == 1 ? null : target,
                    mode == 0 ? null : exposure,
                    databases.Select((d, i) => new GeneratedDatabase(d.Item1 + "-db" + i, d.Item2.Select((c, j) => "cs" + i + "-" + j + c).Distinct(StringComparer.OrdinalIgnoreCase).ToArray())).ToArray(),
                    dependencies.Select((d, i) => new GeneratedDependency(d.Item1 + "-dep" + i, d.Item2.Value, d.Item2.Text, d.Item3, d.Item4)).ToArray(),
                    extras.Item1,
                    extras.Item2 ? extras.Item3 + ".md" : null,
                    trivia);
            }).SelectMany(manifest => PeaksAbove(manifest.BaseTarget).Select(peaks => manifest.WithPeaks(peaks)));

        /// <summary>Offsets a peak's instants are written in: UTC (as Z or +00:00) and the extremes of real ones.</summary>
        private static readonly TimeSpan[] Offsets = { TimeSpan.Zero, TimeSpan.Zero, new TimeSpan(5, 30, 0), new TimeSpan(-8, 0, 0), new TimeSpan(14, 0, 0), new TimeSpan(-12, 0, 0), new TimeSpan(5, 45, 0) };

        /// <summary>
        /// Zero to three peaks in ascending, non-overlapping windows (sometimes back to back, sometimes exactly the longest
        /// window), each with a target (as a number, string or percentage) or an exposure that selects one, never below
        /// <paramref name="baseTarget"/>.
        /// </summary>
        private static Gen<GeneratedPeak[]> PeaksAbove(decimal? baseTarget)
        {
            decimal floor = baseTarget ?? 0m;
            decimal[] targets = new[] { 99.0m, 99.5m, 99.9m, 99.95m, 99.99m, 99.999m }.Where(t => t >= floor).Append(floor > 0m ? floor : 99.9m).ToArray();
            long[] exposures = new[] { 7000L, 250_000L, 800_000L, 2_500_000L }.Where(e => DefaultBandTarget(e) >= floor).ToArray();
            long maxWindow = TimeSpan.FromDays(31).Ticks;
            Gen<long> length = Gen.Frequency(
                (4, Gen.Long[1, 31L * 86400].Select(seconds => seconds * TimeSpan.TicksPerSecond)),
                (1, Gen.Long[1, maxWindow]),
                (1, Gen.OneOf(1L, maxWindow, maxWindow - 1, TimeSpan.TicksPerDay)));
            Gen<long> gap = Gen.Frequency((2, Gen.Const(0L)), (3, Gen.Long[0, 60L * 86400].Select(seconds => seconds * TimeSpan.TicksPerSecond)), (1, Gen.Long[1, TimeSpan.TicksPerDay]));
            Gen<(long Gap, long Length, TimeSpan FromOffset, TimeSpan UntilOffset, bool ExposureForm, int Choice, int Form, bool Z, string Name)> one = Gen.Select(
                gap,
                length,
                Gen.Select(Gen.OneOf(Offsets), Gen.OneOf(Offsets)),
                Gen.Select(Gen.Bool, Gen.Int[0, 1000], Gen.Int[0, 2], Gen.Bool),
                OddName,
                (g, l, offsets, choice, name) => (g, l, offsets.Item1, offsets.Item2, choice.Item1 && exposures.Length > 0, choice.Item2, choice.Item3, choice.Item4, name));
            return Gen.Select(Gen.Long[0, 365L * 86400], one.Array[0, 3], (startSeconds, drawn) =>
            {
                var peaks = new GeneratedPeak[drawn.Length];
                var cursor = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(startSeconds);
                for (int i = 0; i < drawn.Length; i++)
                {
                    var d = drawn[i];
                    DateTimeOffset from = cursor.AddTicks(d.Gap);
                    DateTimeOffset until = from.AddTicks(d.Length);
                    cursor = until;
                    string name = d.Name + "-peak" + i.ToString(CultureInfo.InvariantCulture);
                    if (d.ExposureForm)
                    {
                        long exposure = exposures[d.Choice % exposures.Length];
                        peaks[i] = new GeneratedPeak(name, from, until, Instant(from, d.FromOffset, d.Z), Instant(until, d.UntilOffset, d.Z), DefaultBandTarget(exposure), null, exposure);
                    }
                    else
                    {
                        decimal target = targets[d.Choice % targets.Length];
                        string number = target.ToString(CultureInfo.InvariantCulture);
                        string text = d.Form == 0 ? number : d.Form == 1 ? "\"" + number + "\"" : "\"" + number + "%\"";
                        peaks[i] = new GeneratedPeak(name, from, until, Instant(from, d.FromOffset, d.Z), Instant(until, d.UntilOffset, d.Z), target, text, null);
                    }
                }

                return peaks;
            });
        }

        /// <summary>The playbook's band for an exposure: what the parser selects with no policy.</summary>
        private static decimal DefaultBandTarget(decimal exposure) => exposure <= 7000m ? 95.0m : exposure <= 250_000m ? 99.0m : 99.9m;

        /// <summary>An RFC 3339 instant in the given offset; whole seconds without a fraction, UTC as Z or +00:00.</summary>
        private static string Instant(DateTimeOffset instant, TimeSpan offset, bool z)
        {
            DateTimeOffset local = instant.ToOffset(offset);
            string fraction = local.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Empty : "." + (local.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture);
            string zone = offset == TimeSpan.Zero && z ? "Z" : (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);
            return "\"" + local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + zone + "\"";
        }

        /// <summary>Text that is not JSON: a valid manifest cut short, or random characters from a hostile alphabet.</summary>
        public static readonly Gen<string> RandomText = Gen.String[
            Gen.Frequency((6, Gen.Char["{}[]:,\"\\/*-+.0123456789eEtrufalsn \t\r\n%abc"]), (2, Gen.Char[OddCharacters]), (1, Gen.Char)), 0, 300];

        /// <summary>A manifest whose target is declared as a number, a string or a percentage.</summary>
        private static Gen<(decimal Value, string Text)> Target => Gen.Select(Gen.Int[0, 99], Gen.String[Gen.Char["0123456789"], 0, 26], Gen.Int[0, 2], (whole, fraction, form) =>
        {
            if (whole == 0 && fraction.TrimEnd('0').Length == 0)
            {
                fraction += "1";
            }

            string number = whole.ToString(CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : string.Empty);
            decimal value = decimal.Parse(number, CultureInfo.InvariantCulture);
            return (value, form == 0 ? number : form == 1 ? "\"" + number + "\"" : "\"" + number + "%\"");
        });

        /// <summary>An exposure from 0 to 10^15, written plainly or with an exponent.</summary>
        private static Gen<(decimal Value, string Text)> Exposure => Gen.Select(
            Gen.Frequency((3, Gen.Long[0, 1_000_000]), (2, Gen.Long[0, 1_000_000_000_000_000]), (1, Gen.OneOf(0L, 1_000_000_000_000_000L, 7000L, 7001L, 250_000L, 800_000L))),
            Gen.String[Gen.Char["0123456789"], 0, 12],
            Gen.Bool,
            (whole, fraction, exponent) =>
            {
                if (whole == 1_000_000_000_000_000L)
                {
                    fraction = string.Empty;
                }

                string plain = whole.ToString(CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : string.Empty);
                decimal value = decimal.Parse(plain, CultureInfo.InvariantCulture);
                if (!exponent)
                {
                    return (value, plain);
                }

                // digits × 10^-scale, e.g. 8.1 as 81e-1.
                string digits = (whole.ToString(CultureInfo.InvariantCulture) + fraction).TrimStart('0');
                return (value, (digits.Length == 0 ? "0" : digits) + "e-" + fraction.Length.ToString(CultureInfo.InvariantCulture));
            });

        /// <summary>A timeout from one tick to the limit, as seconds or as "c"-format text.</summary>
        private static Gen<(TimeSpan Value, string Text)> Timeout => Gen.Select(
            Gen.Frequency((3, Gen.Long[1, 100_000_000]), (2, Gen.Long[1, MaxTimeoutTicks]), (1, Gen.OneOf(1L, MaxTimeoutTicks, MaxTimeoutTicks - 1, TimeSpan.TicksPerDay))),
            Gen.Bool,
            (ticks, asNumber) => (TimeSpan.FromTicks(ticks), asNumber
                ? ((decimal)ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)
                : "\"" + TimeSpan.FromTicks(ticks).ToString("c", CultureInfo.InvariantCulture) + "\""));

        private static Gen<string> Scalar => Gen.Frequency(
            (1, Gen.OneOf("null", "true", "false")),
            (3, NumberText),
            (3, StringLiteral));

        private static Gen<string> Value(int depth)
        {
            if (depth == 0)
            {
                return Scalar;
            }

            Gen<string> inner = Value(depth - 1);
            return Gen.Frequency(
                (4, Scalar),
                (1, inner.Array[0, 5].Select(items => "[" + string.Join(", ", items) + "]")),
                (1, Gen.Select(Gen.Frequency((3, StringLiteral), (1, Gen.OneOf("\"name\"", "\"timeout\"", "\"a\""))), inner).Array[0, 5]
                    .Select(properties => "{" + string.Join(", ", properties.Select(p => p.Item1 + ": " + p.Item2)) + "}")));
        }

        /// <summary>A JSON string literal; <paramref name="escapeAll"/> writes every non-ASCII character as \uXXXX.</summary>
        public static string Quote(string text, bool escapeAll = false)
        {
            var builder = new StringBuilder("\"");
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < ' ' || (escapeAll && c > '~'))
                        {
                            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }

        /// <summary>Shows text in an assertion message with everything outside printable ASCII escaped.</summary>
        public static string Escape(string text)
        {
            var builder = new StringBuilder();
            foreach (char c in text.Length > 2000 ? text.Substring(0, 2000) + "…" : text)
            {
                builder.Append(c < ' ' || c > '~' ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString());
            }

            return builder.ToString();
        }

        /// <summary>
        /// Runs <paramref name="assert"/> on <paramref name="iterations"/> samples drawn from a fixed seed, so every run
        /// tests the same cases (CsCheck's own Sample seeds only its first iteration). A failure names the sample's seed:
        /// <c>Check.Sample(gen, assert, seed: "…", iter: 1)</c> reproduces it.
        /// </summary>
        public static void ForAll<T>(Gen<T> gen, Action<T> assert, int iterations, Func<T, string> print, ulong seed = 20261201)
        {
            var pcg = new PCG(1, seed);
            for (int i = 0; i < iterations; i++)
            {
                string sampleSeed = pcg.ToString();
                T value = gen.Generate(pcg, null, out _);
                try
                {
                    assert(value);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException("Sample " + i + " (seed " + sampleSeed + ") failed on " + print(value) + ": " + e.Message, e);
                }
            }
        }
    }

    internal sealed record GeneratedDatabase(string Name, string[] ConnectionStrings);

    /// <summary>A peak as generated: its instants, their text, its target and, when written so, the exposure that selects it.</summary>
    internal sealed record GeneratedPeak(string Name, DateTimeOffset From, DateTimeOffset Until, string FromText, string UntilText, decimal Target, string? TargetText, long? Exposure);

    internal sealed record GeneratedDependency(string Name, TimeSpan Timeout, string TimeoutText, bool Critical, bool WriteCritical);

    /// <summary>A manifest the generator wrote, with the values a parser must read back.</summary>
    internal sealed class GeneratedManifest
    {
        private readonly string[] _trivia;

        public GeneratedManifest(
            string service,
            string owner,
            (decimal Value, string Text)? target,
            (decimal Value, string Text)? exposure,
            GeneratedDatabase[] databases,
            GeneratedDependency[] dependencies,
            bool foundational,
            string? runbook,
            string[] trivia)
        {
            Service = service;
            Owner = owner;
            Target = target;
            Exposure = exposure;
            Databases = databases;
            Dependencies = dependencies;
            Foundational = foundational;
            Runbook = runbook;
            _trivia = trivia;
        }

        public string Service { get; }

        public string Owner { get; }

        public (decimal Value, string Text)? Target { get; }

        public (decimal Value, string Text)? Exposure { get; }

        public GeneratedDatabase[] Databases { get; }

        public GeneratedDependency[] Dependencies { get; }

        public bool Foundational { get; }

        public string? Runbook { get; }

        /// <summary>Peaks in <c>availability.peaks</c>; empty writes no such property.</summary>
        public GeneratedPeak[] Peaks { get; private set; } = Array.Empty<GeneratedPeak>();

        /// <summary>The base target the parser gives: the declared one, or the playbook's band for the exposure.</summary>
        public decimal? BaseTarget => Target?.Value ?? (Exposure is { } exposure ? (exposure.Value <= 7000m ? 95.0m : exposure.Value <= 250_000m ? 99.0m : 99.9m) : (decimal?)null);

        /// <summary>This manifest with <paramref name="peaks"/>.</summary>
        public GeneratedManifest WithPeaks(GeneratedPeak[] peaks)
        {
            var copy = (GeneratedManifest)MemberwiseClone();
            copy.Peaks = peaks;
            return copy;
        }

        /// <summary>Paths of the values <see cref="Render"/> can replace.</summary>
        public IReadOnlyList<string> ValuePaths
        {
            get
            {
                var paths = new List<string> { "service", "owner", "foundational", "availability" };
                if (Target != null)
                {
                    paths.Add("availability.target");
                }

                if (Exposure != null)
                {
                    paths.Add("availability.financialExposurePerHour");
                }

                for (int i = 0; i < Peaks.Length; i++)
                {
                    string peak = "availability.peaks[" + i + "]";
                    paths.Add(peak + ".name");
                    paths.Add(peak + ".from");
                    paths.Add(peak + ".until");
                    paths.Add(peak + (Peaks[i].TargetText != null ? ".target" : ".financialExposurePerHour"));
                }

                for (int i = 0; i < Databases.Length; i++)
                {
                    paths.Add("databases[" + i + "].name");
                    paths.Add("databases[" + i + "].connectionStrings");
                }

                for (int i = 0; i < Dependencies.Length; i++)
                {
                    paths.Add("dependencies[" + i + "].name");
                    paths.Add("dependencies[" + i + "].timeout");
                }

                if (Runbook != null)
                {
                    paths.Add("runbook");
                }

                return paths;
            }
        }

        public override string ToString() => ManifestGenerators.Escape(Render(null, null, out _));

        /// <summary>Writes the manifest; the value at <paramref name="replacePath"/> becomes <paramref name="replacement"/>.</summary>
        /// <param name="replacePath">One of <see cref="ValuePaths"/>, or null.</param>
        /// <param name="replacement">The text written instead of that value.</param>
        /// <param name="offset">Where the replaced value starts in the text; -1 when nothing was replaced.</param>
        public string Render(string? replacePath, string? replacement, out int offset)
        {
            var writer = new Writer(_trivia, replacePath, replacement);
            writer.Raw("{");
            writer.Property(string.Empty, "service", ManifestGenerators.Quote(Service));
            writer.Comma();
            writer.Property(string.Empty, "owner", ManifestGenerators.Quote(Owner));
            writer.Comma();
            writer.Property(string.Empty, "$schema", "\"https://example.com/s.json\"");
            writer.Comma();
            writer.Value("availability", () =>
            {
                writer.Raw("{");
                bool first = true;
                if (Target != null)
                {
                    writer.Property("availability", "target", Target.Value.Text);
                    first = false;
                }

                if (Exposure != null)
                {
                    if (!first)
                    {
                        writer.Comma();
                    }

                    writer.Property("availability", "financialExposurePerHour", Exposure.Value.Text);
                    first = false;
                }

                if (Peaks.Length > 0)
                {
                    if (!first)
                    {
                        writer.Comma();
                    }

                    writer.Name("peaks");
                    writer.Raw("[");
                    for (int i = 0; i < Peaks.Length; i++)
                    {
                        string path = "availability.peaks[" + i + "]";
                        GeneratedPeak peak = Peaks[i];
                        writer.Raw(i == 0 ? "{" : ", {");
                        writer.Property(path, "name", ManifestGenerators.Quote(peak.Name));
                        writer.Comma();
                        writer.Property(path, "from", peak.FromText);
                        writer.Comma();
                        writer.Property(path, "until", peak.UntilText);
                        writer.Comma();
                        if (peak.TargetText != null)
                        {
                            writer.Property(path, "target", peak.TargetText);
                        }
                        else
                        {
                            writer.Property(path, "financialExposurePerHour", peak.Exposure!.Value.ToString(CultureInfo.InvariantCulture));
                        }

                        writer.Raw("}");
                    }

                    writer.Raw("]");
                }

                writer.Raw("}");
            });
            writer.Comma();
            writer.Property(string.Empty, "foundational", Foundational ? "true" : "false");
            writer.Comma();
            writer.Name("databases");
            writer.Raw("[");
            for (int i = 0; i < Databases.Length; i++)
            {
                string path = "databases[" + i + "]";
                writer.Raw(i == 0 ? "{" : ", {");
                writer.Property(path, "name", ManifestGenerators.Quote(Databases[i].Name));
                writer.Comma();
                writer.Property(path, "connectionStrings", "[" + string.Join(", ", Databases[i].ConnectionStrings.Select(c => ManifestGenerators.Quote(c))) + "]");
                writer.Raw("}");
            }

            writer.Raw("]");
            writer.Comma();
            writer.Name("dependencies");
            writer.Raw("[");
            for (int i = 0; i < Dependencies.Length; i++)
            {
                string path = "dependencies[" + i + "]";
                GeneratedDependency dependency = Dependencies[i];
                writer.Raw(i == 0 ? "{" : ", {");
                writer.Property(path, "name", ManifestGenerators.Quote(dependency.Name));
                writer.Comma();
                writer.Property(path, "timeout", dependency.TimeoutText);
                if (dependency.WriteCritical || dependency.Critical)
                {
                    writer.Comma();
                    writer.Property(path, "critical", dependency.Critical ? "true" : "false");
                }

                writer.Raw("}");
            }

            writer.Raw("]");
            if (Runbook != null)
            {
                writer.Comma();
                writer.Property(string.Empty, "runbook", ManifestGenerators.Quote(Runbook));
            }

            writer.Raw("}");
            offset = writer.ReplacedAt;
            return writer.ToString();
        }

        private sealed class Writer
        {
            private readonly StringBuilder _text = new StringBuilder();
            private readonly string[] _trivia;
            private readonly string? _replacePath;
            private readonly string? _replacement;
            private int _next;

            public Writer(string[] trivia, string? replacePath, string? replacement)
            {
                _trivia = trivia;
                _replacePath = replacePath;
                _replacement = replacement;
            }

            public int ReplacedAt { get; private set; } = -1;

            public void Raw(string text)
            {
                _text.Append(text).Append(_trivia[_next++ % _trivia.Length]);
            }

            public void Comma() => Raw(",");

            public void Name(string name) => Raw(ManifestGenerators.Quote(name) + ":");

            public void Property(string parent, string name, string value)
            {
                string path = parent.Length == 0 ? name : parent + "." + name;
                Name(name);
                if (path == _replacePath)
                {
                    ReplacedAt = _text.Length;
                    Raw(_replacement!);
                }
                else
                {
                    Raw(value);
                }
            }

            /// <summary>A property whose value <paramref name="write"/> writes, unless it is the one replaced.</summary>
            public void Value(string name, Action write)
            {
                Name(name);
                if (name == _replacePath)
                {
                    ReplacedAt = _text.Length;
                    Raw(_replacement!);
                }
                else
                {
                    write();
                }
            }

            public override string ToString() => _text.ToString();
        }
    }
}
