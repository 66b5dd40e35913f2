using System.IO;
using CsCheck;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>Outside input: whatever text a manifest or catalogue holds, the check reports it and never throws.</summary>
    public sealed class EstatePropertyTests
    {
        internal static readonly Gen<string> JsonLike = Gen.OneOf(
            Gen.String,
            Gen.Char["{}[]\":,0123456789.-etruflasn \n\\"].Array[0, 60].Select(chars => new string(chars)),
            Gen.Int[0, 200].Select(depth => new string('[', depth) + new string(']', depth)),
            Gen.Decimal.Select(value => "{ \"service\": \"a\", \"owner\": \"t\", \"availability\": { \"target\": " + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"financialExposurePerHour\": " + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + " } }"));

        [Fact]
        public void Check_AnyText_ExitsWithADocumentedCode_AndCommandsNeverThrow()
        {
            using var estate = new TempEstate();
            JsonLike.Sample(text =>
            {
                // CsCheck samples on several threads at once: each sample gets a file of its own.
                string name = System.Guid.NewGuid().ToString("N");
                estate.Write(name + "/operability.json", text);
                string path = Path.Combine(estate.Path, name, "operability.json");
                foreach (string[] args in new[]
                {
                    new[] { "estate", "check", path, "--format", "json" },
                    new[] { "estate", "check", path, "--format", "sarif" },
                    new[] { "estate", "on-call", path, "--format", "json" },
                })
                {
                    CliResult result = Cli.Run(args);
                    if (result.ExitCode is not (0 or 1 or 3))
                    {
                        return false;
                    }

                    _ = result.Json;
                }

                return true;
            }, iter: 150);
        }
    }
}
