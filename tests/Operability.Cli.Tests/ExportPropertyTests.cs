using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>Outside input into the exports and the incidents file: any text is written faithfully, named validly, or reported.</summary>
    public sealed class ExportPropertyTests
    {
        // Characters YAML gives meaning to, line breaks, quotes, and the odd Unicode that decomposes or has none.
        private static readonly Gen<string> Hostile = Gen.OneOf(
            Gen.String,
            Gen.Char["#:-?,[]{}&*!|>'\"%@`~ \t\n\r\\/.0123456789aeynoYNtf"].Array[0, 30].Select(chars => new string(chars)),
            Gen.Char["éÅßǅﬁ🚀\u0301\u200b\u00a0日本"].Array[0, 10].Select(chars => new string(chars)),
            Gen.OneOf(Gen.Const("yes"), Gen.Const("No"), Gen.Const("off"), Gen.Const("~"), Gen.Const("null"), Gen.Const("1e3"), Gen.Const(".inf"), Gen.Const("0o17"), Gen.Const("- x"), Gen.Const("a: b")));

        [Fact]
        public void CatalogYaml_AnyString_ReadsBackAsThatString()
        {
            Hostile.Sample(value =>
            {
                // YAML has no way to carry these: the spec excludes them from its character set.
                if (value.Any(c => char.IsSurrogate(c) || (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))))
                {
                    return true;
                }

                string yaml = CatalogYaml.ToText(new[] { CatalogYaml.Mapping(("v", CatalogYaml.String(value))) });
                JsonNode document = CatalogDocuments.Parse(yaml).Single()!;
                Assert.True(document["v"] is JsonValue read && read.TryGetValue(out string? text) && text == value, JsonValue.Create(value).ToJsonString() + " was written as\n" + yaml);
                return true;
            }, iter: 2000);
        }

        [Fact]
        public void EntityName_AnyId_IsNullOrANameBackstageAndOpenSloAccept()
        {
            Hostile.Sample(id =>
            {
                string? name = EntityName.Normalise(id);
                return name is null || (CatalogDocuments.IsBackstageName(name) && CatalogDocuments.IsOpenSloName(name));
            }, iter: 2000);
        }

        [Fact]
        public void IncidentFile_AnyText_ExitsWithADocumentedCodeAndNeverThrows()
        {
            using var estate = new TempEstate();
            Gen<string> entries = Gen.OneOf(
                Gen.String,
                Gen.Select(Hostile, Gen.Decimal, Gen.Int[0, 3], (text, number, shape) => shape switch
                {
                    0 => "[ { \"service\": " + JsonValue.Create(text).ToJsonString() + ", \"financialExposurePerHour\": " + number.ToString(CultureInfo.InvariantCulture) + ", \"loss\": 1 } ]",
                    1 => "[ { \"service\": \"a\", \"financialExposurePerHour\": 1, \"duration\": " + JsonValue.Create(text).ToJsonString() + " } ]",
                    2 => "[ { \"service\": \"a\", \"financialExposurePerHour\": 1, \"availabilityTarget\": " + number.ToString(CultureInfo.InvariantCulture) + ", \"loss\": " + number.ToString(CultureInfo.InvariantCulture) + " } ]",
                    _ => "[ { \"manifest\": " + JsonValue.Create(text).ToJsonString() + ", \"loss\": 1 } ]",
                }));
            string path = Path.Combine(estate.Path, "incidents.json");
            entries.Sample(text =>
            {
                File.WriteAllText(path, text);
                CliResult result = Cli.Run("incident", "--file", path, "--format", "json");
                if (result.ExitCode is not (0 or 3))
                {
                    return false;
                }

                // Whatever was left out, the output is still JSON when anything was classified or the array was read.
                return result.Output.Length == 0 || result.Json.ValueKind == System.Text.Json.JsonValueKind.Object;
            }, iter: 300);
        }
    }
}
