using System;
using System.Text;
using Operability.Manifest.Json;
using Xunit;

namespace Operability.Manifest.Tests
{
    /// <summary>Parse must never throw: the analyzers run it in the compiler host on whatever an editor holds.</summary>
    public sealed class ManifestFuzzTests
    {
        private const string Seed = "\uFEFF// manifest\n{\n  \"$schema\": \"x\", \"service\": \"orders\", \"owner\": [\"a\", \"b\"],\n  \"contacts\": { \"onCall\": \"https://p\", \"chat\": \"#c\" },\n"
            + "  \"availability\": { \"target\": \"99.9%\", \"financialExposurePerHour\": 8.1e5 }, /* c */\n"
            + "  \"deployment\": { \"featureDemand\": \"very-high\", \"target\": \"daily\" },\n  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"domain\" },\n"
            + "  \"databases\": [ { \"name\": \"db\", \"connectionStrings\": [\"A\", \"a\"] }, { \"name\": \"DB\" } ],\n"
            + "  \"reads\": [ { \"name\": \"r\", \"owner\": \"o\", \"connectionStrings\": [\"A\"] } ],\n"
            + "  \"dependencies\": [ { \"name\": \"p\", \"timeout\": \"00:00:02.5\", \"critical\": true }, { \"name\": \"q\", \"timeout\": -1e400 } ],\n"
            + "  \"foundational\": true, \"runbook\": \"R.md\", \"s\": \"\\u00e9\\uD83D\\uDE00\\n\", \"n\": [-0.5e-3, 1E+2, null, false],\n}";

        private const string Alphabet = "{}[]:,\"\\/*-+.0123456789eEtrufalsn \t\r\n\uD83D\uDE00\uFEFF\u0001abc%";

        [Fact]
        public void Parse_EveryTruncationOfARichManifest_NeverThrows()
        {
            for (int length = 0; length <= Seed.Length; length++)
            {
                AssertNoThrow(Seed.Substring(0, length));
            }
        }

        [Fact]
        public void Parse_RandomMutationsOfARichManifest_NeverThrow()
        {
            var random = new Random(20261126);
            for (int i = 0; i < 3000; i++)
            {
                var text = new StringBuilder(Seed);
                int edits = 1 + random.Next(4);
                for (int e = 0; e < edits; e++)
                {
                    int at = random.Next(text.Length + 1);
                    switch (random.Next(3))
                    {
                        case 0:
                            text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                            break;
                        case 1 when at < text.Length:
                            text.Remove(at, 1);
                            break;
                        default:
                            if (at < text.Length)
                            {
                                text[at] = Alphabet[random.Next(Alphabet.Length)];
                            }

                            break;
                    }
                }

                AssertNoThrow(text.ToString());
            }
        }

        [Fact]
        public void Parse_RandomText_NeverThrows()
        {
            var random = new Random(42);
            for (int i = 0; i < 3000; i++)
            {
                var chars = new char[random.Next(200)];
                for (int c = 0; c < chars.Length; c++)
                {
                    chars[c] = random.Next(10) == 0 ? (char)random.Next(char.MaxValue + 1) : Alphabet[random.Next(Alphabet.Length)];
                }

                AssertNoThrow(new string(chars));
            }
        }

        [Fact]
        public void Parse_VeryDeepNesting_ReportsSyntaxWithoutStackOverflow()
        {
            ManifestParseResult result = ManifestParser.Parse(new string('[', 100000));

            Assert.Equal(ManifestDiagnosticKind.Syntax, Assert.Single(result.Diagnostics).Kind);
        }

        private static void AssertNoThrow(string text)
        {
            ManifestParseResult result;
            try
            {
                result = ManifestParser.Parse(text);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException("Parse threw on " + Escape(text) + ": " + e);
            }

            // Invariants: Manifest is null exactly when there is a syntax error; every diagnostic is located.
            bool syntax = result.Diagnostics.Count > 0 && result.Diagnostics[0].Kind == ManifestDiagnosticKind.Syntax;
            Assert.Equal(syntax, result.Manifest == null);
            foreach (ManifestDiagnostic d in result.Diagnostics)
            {
                Assert.True(d.Position.Line >= 1 && d.Position.Column >= 1, "Unlocated diagnostic on " + Escape(text) + ": " + d);
                Assert.False(string.IsNullOrEmpty(d.Message));
            }

            JsonReadResult json = JsonReader.Read(text);
            Assert.True((json.Root == null) != (json.Error == null));
        }

        private static string Escape(string text)
        {
            var builder = new StringBuilder();
            foreach (char c in text)
            {
                builder.Append(c < ' ' || c > '~' ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString());
            }

            return builder.ToString();
        }
    }
}
