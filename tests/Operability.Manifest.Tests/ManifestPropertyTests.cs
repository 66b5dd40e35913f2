using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Operability.Manifest.Json;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>
    /// Property-based tests of the two parsers that read outside input, <see cref="ManifestParser"/> and
    /// <see cref="EstateCatalogue"/>: they never throw (the analyzers run them in the compiler host on whatever an
    /// editor holds), every diagnostic is located inside the text, malformed input always gets one, out-of-range
    /// numbers are never handed out, and valid manifests read back exactly the values they declare.
    /// </summary>
    public sealed class ManifestPropertyTests
    {
        private static readonly Gen<(GeneratedManifest Manifest, string Path, string Replacement)> WithReplacedValue =
            ManifestGenerators.ValidManifest.SelectMany(manifest => Gen.Select(
                Gen.OneOf(manifest.ValuePaths.ToArray()),
                Gen.Frequency((4, ManifestGenerators.JsonValue), (2, ManifestGenerators.NumberText), (1, ManifestGenerators.DeepValue), (1, ManifestGenerators.WideValue)),
                (path, replacement) => (manifest, path, replacement)));

        [Fact]
        public void Parse_GeneratedValidManifest_ReadsBackEveryDeclaredValue()
        {
            ManifestGenerators.ForAll(ManifestGenerators.ValidManifest, generated =>
            {
                string text = generated.Render(null, null, out _);
                ManifestParseResult result = ParseChecked(text);

                Assert.Empty(result.Diagnostics);
                AssertReadsBack(generated, result.Manifest!);
            }, iterations: 300, print: g => g.ToString());
        }

        [Fact]
        public void Parse_ValueReplacedByRandomJson_NeverThrowsNeverHandsOutAnOutOfRangeValueAndLocatesWrongKinds()
        {
            ManifestGenerators.ForAll(WithReplacedValue, sample =>
            {
                string text = sample.Manifest.Render(sample.Path, sample.Replacement, out int offset);
                ManifestParseResult result = ParseChecked(text);
                JsonReadResult json = JsonReader.Read(text);
                if (json.Error != null)
                {
                    // Only a replacement nested deeper than the reader accepts is not JSON.
                    Assert.Contains("levels deep", json.Error.Message, StringComparison.Ordinal);
                    return;
                }

                ServiceManifest manifest = result.Manifest!;
                AssertInRange(manifest);
                JsonNode replaced = JsonReader.Read(sample.Replacement).Root!;
                SourcePosition at = PositionOf(text, offset);
                if (IsWrongKind(sample.Path, replaced.Kind))
                {
                    Assert.Contains(result.Diagnostics, d => d.Position == at && (d.Path == sample.Path || d.Path.StartsWith(sample.Path + ".", StringComparison.Ordinal)));
                }
            }, iterations: 400, print: s => s.Path + " := " + ManifestGenerators.Escape(s.Replacement) + " in " + s.Manifest);
        }

        [Theory]
        [InlineData("availability.target")]
        [InlineData("availability.financialExposurePerHour")]
        [InlineData("dependencies[0].timeout")]
        [InlineData("availability.peaks[0].target")]
        [InlineData("availability.peaks[0].financialExposurePerHour")]
        public void Parse_NumericExtremesInANumericField_AreReadInRangeOrReportedAtTheValue(string path)
        {
            Gen<(GeneratedManifest, string)> gen = ManifestGenerators.ValidManifest
                .Where(m => m.ValuePaths.Contains(path))
                .SelectMany(m => ManifestGenerators.NumberText.Select(number => (m, number)));
            ManifestGenerators.ForAll(gen, sample =>
            {
                (GeneratedManifest generated, string number) = sample;
                string text = generated.Render(path, number, out int offset);
                ManifestParseResult result = ParseChecked(text);
                ServiceManifest manifest = result.Manifest!;
                AssertInRange(manifest);

                bool reported = result.Diagnostics.Any(d => d.Path == path && d.Position == PositionOf(text, offset));
                object? read = path switch
                {
                    "availability.target" => manifest.AvailabilityTarget,
                    "availability.financialExposurePerHour" => manifest.FinancialExposurePerHour,
                    "availability.peaks[0].target" => manifest.Peaks.FirstOrDefault(p => p.Name == generated.Peaks[0].Name)?.Target,
                    "availability.peaks[0].financialExposurePerHour" => manifest.Peaks.FirstOrDefault(p => p.Name == generated.Peaks[0].Name)?.FinancialExposurePerHour,
                    _ => manifest.Dependencies[0].Timeout,
                };
                Assert.True(reported != (read != null), reported ? "reported and read " + read : "neither reported nor read");
            }, iterations: 150, print: s => ManifestGenerators.Escape(s.Item2));
        }

        [Fact]
        public void Parse_ValueReplacedByTextThatIsNotANumber_ReportsSyntaxWithinTheToken()
        {
            Gen<(GeneratedManifest, string, string)> gen = ManifestGenerators.ValidManifest.SelectMany(m =>
                Gen.Select(Gen.OneOf(m.ValuePaths.ToArray()), ManifestGenerators.NotANumberText, (path, token) => (m, path, token)));
            ManifestGenerators.ForAll(gen, sample =>
            {
                (GeneratedManifest generated, string path, string token) = sample;
                string text = generated.Render(path, token, out int offset);
                ManifestParseResult result = ParseChecked(text);

                ManifestDiagnostic syntax = Assert.Single(result.Diagnostics);
                Assert.Equal(ManifestDiagnosticKind.Syntax, syntax.Kind);
                Assert.Null(result.Manifest);
                int at = OffsetOf(text, syntax.Position);
                Assert.InRange(at, offset, offset + token.Length);
            }, iterations: 300, print: s => s.Item2 + " := " + ManifestGenerators.Escape(s.Item3));
        }

        [Fact]
        public void Parse_StringWithAnInvalidEscape_ReportsSyntaxWithinTheEscape()
        {
            string[] invalid = { "\\uD800", "\\uDC00", "\\uDBFF\\u0041", "\\uDC00\\uD800", "\\u12", "\\x41", "\\U0041", "\\ud800\\uD800" };
            Gen<(GeneratedManifest, string, string, string)> gen = ManifestGenerators.ValidManifest.SelectMany(m => Gen.Select(
                Gen.OneOf(m.ValuePaths.Where(p => !p.EndsWith("timeout", StringComparison.Ordinal) && !p.EndsWith("target", StringComparison.Ordinal) && !p.EndsWith("PerHour", StringComparison.Ordinal)).ToArray()),
                ManifestGenerators.OddName,
                Gen.OneOf(invalid),
                (path, before, escape) => (m, path, before, escape)));
            ManifestGenerators.ForAll(gen, sample =>
            {
                (GeneratedManifest generated, string path, string before, string escape) = sample;
                string quoted = ManifestGenerators.Quote(before);
                string text = generated.Render(path, quoted.Substring(0, quoted.Length - 1) + escape + "\"", out int offset);
                ManifestParseResult result = ParseChecked(text);

                ManifestDiagnostic syntax = Assert.Single(result.Diagnostics);
                Assert.Equal(ManifestDiagnosticKind.Syntax, syntax.Kind);
                int escapeStart = offset + quoted.Length - 1;
                Assert.InRange(OffsetOf(text, syntax.Position), escapeStart, escapeStart + escape.Length);
            }, iterations: 200, print: s => s.Item2 + " := " + ManifestGenerators.Escape(s.Item3 + s.Item4));
        }

        [Fact]
        public void Parse_ValidManifestCutShort_ReportsOneLocatedSyntaxError()
        {
            Gen<(string, int)> gen = ManifestGenerators.ValidManifest.Select(m => m.Render(null, null, out _))
                .SelectMany(text => Gen.Int[0, text.LastIndexOf('}')].Select(length => (text, length)));
            ManifestGenerators.ForAll(gen, sample =>
            {
                string text = sample.Item1.Substring(0, sample.Item2);
                ManifestParseResult result = ParseChecked(text);

                Assert.Equal(ManifestDiagnosticKind.Syntax, Assert.Single(result.Diagnostics).Kind);
            }, iterations: 300, print: s => ManifestGenerators.Escape(s.Item1.Substring(0, s.Item2)));
        }

        [Fact]
        public void Parse_RandomEditsOfValidManifests_NeverThrowAndLocateEveryDiagnostic()
        {
            Gen<string> edited = ManifestGenerators.ValidManifest.Select(m => m.Render(null, null, out _)).SelectMany(text =>
                Gen.Select(
                    Gen.Int[0, text.Length],
                    Gen.Int[0, 2],
                    Gen.Frequency(
                        (4, Gen.Frequency((4, Gen.Char["{}[]:,\"\\/*-+.0eE \n"]), (1, Gen.Char[ManifestGenerators.OddCharacters])).Array[1, 4].Select(chars => new string(chars))),
                        (1, ManifestGenerators.BrokenEscape)),
                    (at, edit, inserted) => edit switch
                    {
                        0 => text.Insert(at, inserted),
                        1 => text.Remove(at, Math.Min(inserted.Length, text.Length - at)),
                        _ => text.Remove(at, Math.Min(inserted.Length, text.Length - at)).Insert(at, inserted),
                    }));
            ManifestGenerators.ForAll(edited, text => ParseChecked(text), iterations: 600, print: ManifestGenerators.Escape);
        }

        [Fact]
        public void Parse_RandomText_NeverThrowsAndLocatesEveryDiagnostic()
        {
            ManifestGenerators.ForAll(ManifestGenerators.RandomText, text => ParseChecked(text), iterations: 1500, print: ManifestGenerators.Escape);
        }

        [Fact]
        public void Parse_NestedUnderAnUnknownProperty_AcceptedUpToTheDepthLimitAndReportedAtTheFirstLevelBeyond()
        {
            Gen<(string, string, bool)> gen = Gen.Select(ManifestGenerators.DeepValue, ManifestGenerators.Trivia, Gen.Bool, (value, trivia, bom) => (value, trivia, bom));
            ManifestGenerators.ForAll(gen, sample =>
            {
                (string value, string trivia, bool bom) = sample;
                string prefix = (bom ? "\uFEFF" : string.Empty) + "{" + trivia + "\"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 99 }," + trivia + "\"x\":" + trivia;
                string text = prefix + value + trivia + "}";
                ManifestParseResult result = ParseChecked(text);

                // The root object is level 1; the value's brackets start at level 2.
                int levels = value.TakeWhile(c => c == '[' || c == '{' || c == '"' || c == 'k' || c == ':').Count(c => c == '[' || c == '{');
                if (levels + 1 > JsonReader.MaxDepth)
                {
                    ManifestDiagnostic d = Assert.Single(result.Diagnostics);
                    Assert.Equal(ManifestDiagnosticKind.Syntax, d.Kind);
                    int bracket = NthBracket(text, prefix.Length, JsonReader.MaxDepth - 1);
                    Assert.Equal(PositionOf(text, bracket), d.Position);
                }
                else
                {
                    Assert.Empty(result.Diagnostics);
                }
            }, iterations: 150, print: s => ManifestGenerators.Escape(s.Item1));
        }

        [Fact]
        public void Parse_VeryDeepNesting_ReportsSyntaxWithoutStackOverflow()
        {
            ManifestParseResult result = ManifestParser.Parse(new string('[', 100000));

            Assert.Equal(ManifestDiagnosticKind.Syntax, Assert.Single(result.Diagnostics).Kind);
        }

        [Fact]
        public void EstateCatalogue_GeneratedCatalogue_ReadsBackEveryManifest()
        {
            Gen<(GeneratedManifest[], bool)> gen = Gen.Select(ManifestGenerators.ValidManifest.Array[0, 5], Gen.Bool);
            ManifestGenerators.ForAll(gen, sample =>
            {
                (GeneratedManifest[] manifests, bool wrapped) = sample;
                string list = "[" + string.Join(",\n", manifests.Select(m => m.Render(null, null, out _))) + "]";
                string text = wrapped ? "{ \"services\": " + list + " }" : list;
                EstateCatalogueResult result = CatalogueChecked(text);

                Assert.Empty(result.Diagnostics);
                Assert.True(result.IsCatalogue);
                Assert.Equal(manifests.Length, result.Manifests.Count);
                for (int i = 0; i < manifests.Length; i++)
                {
                    AssertReadsBack(manifests[i], result.Manifests[i]);
                }
            }, iterations: 100, print: s => string.Join(" | ", s.Item1.Select(m => m.ToString())));
        }

        [Fact]
        public void EstateCatalogue_EntriesWithRandomValuesEditsAndCuts_NeverThrowsAndLocatesEveryDiagnostic()
        {
            Gen<string> gen = Gen.Select(WithReplacedValue.Array[1, 4], Gen.Int[0, 2], Gen.Int[0, 1_000_000], (entries, shape, cut) =>
            {
                string list = "[" + string.Join(", ", entries.Select(e => e.Manifest.Render(e.Path, e.Replacement, out _))) + "]";
                string text = shape == 0 ? list : "{ \"services\": " + list + " }";
                return shape == 2 ? text.Substring(0, cut % (text.Length + 1)) : text;
            });
            ManifestGenerators.ForAll(gen, text => CatalogueChecked(text), iterations: 150, print: ManifestGenerators.Escape);
            ManifestGenerators.ForAll(ManifestGenerators.RandomText, text => CatalogueChecked(text), iterations: 500, print: ManifestGenerators.Escape);
        }

        /// <summary>Parses, asserting the invariants every input keeps.</summary>
        private static ManifestParseResult ParseChecked(string text)
        {
            ManifestParseResult result = ManifestParser.Parse(text);
            bool syntax = result.Diagnostics.Any(d => d.Kind == ManifestDiagnosticKind.Syntax);
            Assert.Equal(syntax, result.Manifest == null);
            Assert.Equal(JsonReader.Read(text).Error != null, syntax);
            AssertLocated(text, result.Diagnostics);
            if (result.Manifest != null)
            {
                AssertInRange(result.Manifest);
            }

            return result;
        }

        private static EstateCatalogueResult CatalogueChecked(string text)
        {
            EstateCatalogueResult result = EstateCatalogue.Parse(text);
            bool syntax = result.Diagnostics.Any(d => d.Kind == ManifestDiagnosticKind.Syntax);
            Assert.Equal(JsonReader.Read(text).Error != null, syntax);
            Assert.True(!syntax || result.Manifests.Count == 0);
            AssertLocated(text, result.Diagnostics);
            foreach (ServiceManifest manifest in result.Manifests)
            {
                AssertInRange(manifest);
            }

            return result;
        }

        internal static void AssertLocated(string text, IReadOnlyList<ManifestDiagnostic> diagnostics)
        {
            foreach (ManifestDiagnostic d in diagnostics)
            {
                Assert.False(string.IsNullOrWhiteSpace(d.Message));
                Assert.DoesNotContain("unexpectedly", d.Message, StringComparison.Ordinal);
                Assert.True(d.Position.Line >= 1 && d.Position.Column >= 1, "unlocated: " + d);
                Assert.True(OffsetOf(text, d.Position) >= 0, "outside the text: " + d);
            }
        }

        /// <summary>Values the model hands out are always usable: no consumer's conversion can overflow.</summary>
        private static void AssertInRange(ServiceManifest manifest)
        {
            if (manifest.AvailabilityTarget is decimal target)
            {
                Assert.True(target > 0m && target < 100m, "target " + target);
                _ = Availability.TolerableUnavailabilityPerWeek(target);
            }

            if (manifest.FinancialExposurePerHour is decimal exposure)
            {
                Assert.InRange(exposure, 0m, ServiceManifest.MaxFinancialExposurePerHour);
            }

            for (int i = 0; i < manifest.Peaks.Count; i++)
            {
                AvailabilityPeak peak = manifest.Peaks[i];
                Assert.True(peak.Target > 0m && peak.Target < 100m, "peak target " + peak.Target);
                Assert.True(manifest.AvailabilityTarget is not decimal baseTarget || peak.Target >= baseTarget, "peak below the base: " + peak);
                Assert.InRange(peak.Until - peak.From, TimeSpan.FromTicks(1), AvailabilityPeak.MaxWindow);
                Assert.DoesNotContain(manifest.Peaks.Take(i), other => other.From < peak.Until && peak.From < other.Until);
                Assert.Same(peak, manifest.TargetAt(peak.From)!.Peak);
                Assert.NotSame(peak, manifest.TargetAt(peak.Until)?.Peak);
            }

            foreach (ServiceDependency dependency in manifest.Dependencies)
            {
                if (dependency.Timeout is TimeSpan timeout)
                {
                    Assert.InRange(timeout, TimeSpan.FromTicks(1), ServiceDependency.MaxTimeout);
                    _ = checked((int)timeout.TotalMilliseconds);
                }
            }
        }

        private static void AssertReadsBack(GeneratedManifest generated, ServiceManifest manifest)
        {
            Assert.Equal(generated.Service, manifest.Service);
            Assert.Equal(generated.Owner, manifest.Owner);
            decimal? expectedTarget = generated.Target?.Value
                ?? (generated.Exposure is { } exposure ? AvailabilitySelector.Default.SelectTarget(exposure.Value) : (decimal?)null);
            Assert.Equal(expectedTarget, manifest.AvailabilityTarget);
            Assert.Equal(generated.Exposure?.Value, manifest.FinancialExposurePerHour);
            Assert.Equal(generated.Foundational, manifest.Foundational);
            Assert.Equal(generated.Runbook ?? ServiceManifest.DefaultRunbook, manifest.Runbook);
            Assert.Equal(generated.Databases.Select(d => d.Name), manifest.Databases.Select(d => d.Name));
            Assert.Equal(generated.Databases.Select(d => string.Join("|", d.ConnectionStrings)), manifest.Databases.Select(d => string.Join("|", d.ConnectionStrings)));
            Assert.Equal(
                generated.Peaks.Select(p => (p.Name, p.From, p.Until, p.Target, (decimal?)p.Exposure)),
                manifest.Peaks.Select(p => (p.Name, p.From, p.Until, p.Target, p.FinancialExposurePerHour)));
            Assert.Equal(
                generated.Dependencies.Select(d => (d.Name, (TimeSpan?)d.Timeout, d.Critical)),
                manifest.Dependencies.Select(d => (d.Name, d.Timeout, d.Critical)));
        }

        /// <summary>True when a value of this kind can never be valid at <paramref name="path"/>.</summary>
        private static bool IsWrongKind(string path, JsonKind kind)
        {
            string field = path.Substring(path.LastIndexOf('.') + 1);
            return field switch
            {
                "service" or "owner" or "name" or "runbook" or "from" or "until" => kind != JsonKind.String,
                "foundational" => kind != JsonKind.True && kind != JsonKind.False,
                "timeout" or "target" => kind != JsonKind.String && kind != JsonKind.Number,
                "financialExposurePerHour" => kind != JsonKind.Number,
                "connectionStrings" => kind != JsonKind.Array,
                "availability" => kind != JsonKind.Object,
                _ => false,
            };
        }

        /// <summary>The reader's position of an offset: lines end at \n, \r\n or \r; a leading BOM takes no column.</summary>
        internal static SourcePosition PositionOf(string text, int offset)
        {
            int line = 1;
            int lineStart = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
            for (int i = lineStart; i < offset; i++)
            {
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                if (text[i] == '\n' || text[i] == '\r')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return new SourcePosition(line, offset - lineStart + 1);
        }

        /// <summary>The offset a position names, or -1 when it is past the end of its line or of the text.</summary>
        internal static int OffsetOf(string text, SourcePosition position)
        {
            int line = 1;
            int lineStart = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
            int i = lineStart;
            while (line < position.Line)
            {
                if (i >= text.Length)
                {
                    return -1;
                }

                if (text[i] == '\n' || text[i] == '\r')
                {
                    i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    lineStart = i;
                }
                else
                {
                    i++;
                }
            }

            int lineEnd = lineStart;
            while (lineEnd < text.Length && text[lineEnd] != '\n' && text[lineEnd] != '\r')
            {
                lineEnd++;
            }

            int offset = lineStart + position.Column - 1;
            return offset <= lineEnd ? offset : -1;
        }

        /// <summary>The offset of the <paramref name="n"/>th (0-based) '[' or '{' from <paramref name="start"/>, outside strings.</summary>
        private static int NthBracket(string text, int start, int n)
        {
            for (int i = start; i < text.Length; i++)
            {
                if (text[i] == '"')
                {
                    i = text.IndexOf('"', i + 1);
                }
                else if ((text[i] == '[' || text[i] == '{') && n-- == 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
