using System.IO;
using System.Linq;
using System.Text.Json;
using CsCheck;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>Outside input through the traffic light and the report: whatever a manifest holds, nothing throws and no value becomes markup.</summary>
    public sealed class EstateReportPropertyTests
    {
        private static readonly Gen<string> Hostile = Gen.Char["<>&\"'`=/\\ ;:!-éü中\t\nabc"].Array[0, 40].Select(chars => "s" + new string(chars));

        private static string Manifest(string service, string owner, string domain) =>
            "{ \"service\": " + JsonSerializer.Serialize(service) + ", \"owner\": " + JsonSerializer.Serialize(owner) + ", \"productDomain\": " + JsonSerializer.Serialize(domain)
            + ", \"availability\": { \"target\": 99.9 }, \"deployment\": { \"target\": \"weekly\" } }";

        private static (int Open, int Close) Markup(string html) => (html.Count(c => c == '<'), html.Count(c => c == '>'));

        [Fact]
        public void Report_AnyServiceOwnerOrDomainText_AddsNoMarkupToThePage()
        {
            using var estate = new TempEstate();
            string path = estate.Write("x/operability.json", Manifest("s", "s", "s"));
            CliResult plain = Cli.Run("estate", "report", path, "--format", "html");
            Assert.True(plain.ExitCode == 0, plain.ToString());
            (int Open, int Close) expected = Markup(plain.Output);

            // CsCheck samples on several threads: each sample has a file of its own.
            Gen.Select(Hostile, Hostile, Hostile).Sample((service, owner, domain) =>
            {
                string own = estate.Write(System.Guid.NewGuid().ToString("N") + "/operability.json", Manifest(service, owner, domain));
                CliResult result = Cli.Run("estate", "report", own, "--format", "html");
                if (!(result.ExitCode == 0 && Markup(result.Output) == expected))
                {
                    throw new System.InvalidOperationException(result.ToString());
                }

                return true;
            }, iter: 150);
        }

        [Fact]
        public void TrafficLightAndReport_AnyText_ExitWithADocumentedCode_AndNeverThrow()
        {
            using var estate = new TempEstate();
            Gen.OneOf(Gen.String, Hostile.Select(name => Manifest(name, name, name).Replace("99.9", name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Sample(text =>
            {
                string path = estate.Write(System.Guid.NewGuid().ToString("N") + "/operability.json", text);
                CliResult lights = Cli.Run("estate", "traffic-light", path, "--format", "json");
                _ = lights.Json;
                CliResult html = Cli.Run("estate", "report", path, "--format", "html");
                CliResult markdown = Cli.Run("estate", "report", path);
                if (!(lights.ExitCode is 0 or 3 && html.ExitCode is 0 or 1 or 3 && markdown.ExitCode == html.ExitCode && html.Output.StartsWith("<!DOCTYPE html>")))
                {
                    throw new System.InvalidOperationException(lights + "\nhtml exit " + html.ExitCode + "\nmarkdown " + markdown);
                }

                return true;
            }, iter: 150);
        }
    }
}
