using System.IO;
using System.Linq;
using CsCheck;
using Operability.Manifest;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>Outside input of <c>select --write</c>: whatever the existing file holds, it is edited into a valid manifest or left alone.</summary>
    public sealed class SelectWritePropertyTests
    {
        private static readonly Gen<string> Space = Gen.OneOf<string>("", " ", "  ", "\n", "\n  ", "\r\n    ", "\t", " /* c */ ", " // c\n");

        private static readonly Gen<string> Target = Gen.OneOf<string>("99.0", "\"99.5%\"", "95", "1e2", "\"x\"", "null", "[1]");

        // An object for one of the edited properties, in one of the shapes a hand-written file has.
        private static Gen<string> Section(string member, Gen<string> value) =>
            Gen.OneOf(
                Gen.Const("{}"),
                Gen.Select(Space, Space, value, (a, b, v) => "{" + a + "\"" + member + "\":" + b + v + a + "}"),
                Gen.Select(Space, value, Space, (a, v, b) => "{" + a + "\"other\": 1," + a + "\"" + member + "\": " + v + "," + b + "}"),
                Gen.OneOf<string>("\"team\"", "7", "[]", "true"));

        private static readonly Gen<string> Manifest =
            Gen.Select(
                Gen.Select(Space, Space, Space, (a, b, c) => (a, b, c)),
                Section("target", Target),
                Section("target", Gen.OneOf<string>("\"weekly\"", "\"monthly\"", "3")),
                Section("workingHours", Gen.OneOf<string>("\"none\"", "\"team\"", "1")),
                Gen.OneOf<string>("", ", \"foundational\": true", ", \"foundational\": false", ", \"foundational\": 1"),
                Gen.Int[0, 7],
                (s, availability, deployment, onCall, foundational, include) =>
                {
                    string body = "\"service\": \"orders\"," + s.a + "\"owner\": \"team-orders\"";
                    body += (include & 1) != 0 ? "," + s.b + "\"availability\":" + s.c + availability : string.Empty;
                    body += (include & 2) != 0 ? "," + s.b + "\"deployment\": " + deployment : string.Empty;
                    body += (include & 4) != 0 ? "," + s.a + "\"onCall\": " + onCall : string.Empty;
                    return "{" + s.a + body + foundational + s.c + "}" + s.b;
                });

        private static readonly Gen<string> Garbage = Gen.OneOf(
            Gen.String,
            Gen.Char["{}[]\":,0123456789.-etruflasn /*\n\\"].Array[0, 60].Select(chars => new string(chars)));

        [Fact]
        public void Write_AnyExistingFile_GivesAValidManifestWithTheSelection_OrLeavesItAlone()
        {
            using var estate = new TempEstate();
            Gen.Frequency((4, Manifest), (1, Garbage)).Sample(text =>
            {
                // One file per sample: samples run on several threads at once.
                string path = estate.Write(System.Guid.NewGuid().ToString("N") + "/operability.json", text);
                CliResult result = Cli.Run("select", "--financial-exposure", "810000", "--feature-demand", "very-high", "--write", path);
                string after = File.ReadAllText(path);
                if (result.ExitCode == 3)
                {
                    return after == text && result.Error.Contains("nothing was written", System.StringComparison.Ordinal);
                }

                if (result.ExitCode != 0)
                {
                    return false;
                }

                ManifestParseResult parsed = ManifestParser.Parse(after);
                ServiceManifest? manifest = parsed.Manifest;
                return parsed.Diagnostics.All(d => d.Kind != ManifestDiagnosticKind.Syntax)
                    && manifest is not null
                    // Kept from the file (random text that happens to be an object, such as {}, has neither).
                    && (manifest.Service == "orders") == text.Contains("\"service\": \"orders\"", System.StringComparison.Ordinal)
                    && manifest.AvailabilityTarget == 99.9m && manifest.FinancialExposurePerHour == 810000m
                    && manifest.FeatureDemand == FeatureDemand.VeryHigh && manifest.DeploymentTarget == DeploymentTarget.Daily
                    && manifest.WorkingHoursOnCall == OnCallLevel.Team && manifest.OutOfHoursOnCall == OnCallLevel.Team
                    && !manifest.Foundational;
            }, iter: 400, print: text => text);
        }
    }
}
