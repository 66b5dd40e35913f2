using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class EstateReportCommandTests
    {
        /// <summary>A service whose every manifest string tries to break out of the HTML it is written into.</summary>
        internal const string HostileService = "<script>document.title='pwned'</script>";

        internal const string HostileOwner = "\"><img src=x onerror=\"document.title='pwned'\">";

        internal static void AddHostileService(TempEstate estate) =>
            estate.Manifest("s/f-hostile", HostileService.Replace("'", "\\u0027"), HostileOwner.Replace("\"", "\\\""), "99.9", ",\n  \"productDomain\": \"<b>bold</b>\",\n  \"deployment\": { \"target\": \"weekly\" }");

        private static string Normalised(string text) => text.Replace("\r\n", "\n");

        [Fact]
        public void Report_SmallEstate_Markdown_IsTheChartThenEachViewExactlyAsItsCommandWritesIt()
        {
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            string services = Path.Combine(estate.Path, "s");

            CliResult report = Cli.Run("estate", "report", services, "--policy", policy);

            Assert.True(report.ExitCode == 0, report.ToString());
            string output = Normalised(report.Output);
            Assert.StartsWith(
                "# Estate report\n\n"
                + "5 service(s) from 5 file(s), judged against the policy " + policy + ".\n\n"
                + "## Availability targets and on-call levels\n\n"
                + "| target | services | in working hours | out of hours | |\n"
                + "|---|---|---|---|---|\n"
                + "| 95% | 2 | team | none | ████████████████████ |\n"
                + "| 99% | 1 | team | domain | ██████████ |\n"
                + "| 99.5% | 1 | team | domain | ██████████ |\n"
                + "| 99.9% | 1 | team | team | ██████████ |\n\n"
                + "## Estate check\n\n",
                output);
            foreach (string view in new[] { "check", "on-call", "traffic-light" })
            {
                CliResult alone = Cli.Run("estate", view, services, "--policy", policy, "--format", "markdown");
                Assert.Contains(Normalised(alone.Output).TrimEnd('\n') + "\n", output);
            }

            Assert.EndsWith(Normalised(Cli.Run("estate", "traffic-light", services, "--policy", policy, "--format", "markdown").Output).TrimEnd('\n') + "\n", output);
            Assert.DoesNotContain("\n\n\n", output);
        }

        [Fact]
        public void Report_Html_IsOneSelfContainedPage_WithATablePerViewAndAnSvgChart()
        {
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            estate.Write("s/g-twin/operability.json", "{ \"service\": \"twin\", \"owner\": \"team-a\", \"availability\": { \"target\": 99.9 }, \"databases\": [ { \"name\": \"shared-db\" } ] }");
            estate.Write("s/h-twin/operability.json", "{ \"service\": \"twin-2\", \"owner\": \"team-b\", \"availability\": { \"target\": 99.9 }, \"databases\": [ { \"name\": \"shared-db\" } ] }");

            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "html");

            // A database claimed twice is an error-level finding: the report exits as estate check does.
            Assert.True(report.ExitCode == 1, report.ToString());
            string html = report.Output;
            Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
            Assert.Equal(3, Regex.Matches(html, "<table>").Count);
            Assert.Single(Regex.Matches(html, "<svg "));
            Assert.Equal(4, Regex.Matches(html, "<g class=\"bar\"").Count);
            Assert.Contains("<g class=\"bar\" data-target=\"99.9\" data-services=\"3\" data-out-of-hours=\"team\">", html);
            Assert.Contains("<td class=\"error\">error</td><td>database-claimed-twice</td>", html);
            Assert.Contains("<span class=\"light amber\">amber</span></td><td>pricing</td>", html);

            // Nothing to fetch and nothing to run: no script, no external reference (the SVG namespace is a name, not a request).
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain(" src=", html);
            Assert.DoesNotContain(" href=", html);
            Assert.DoesNotContain("url(", html);
            Assert.Equal(new[] { "http://www.w3.org/2000/svg" }, Regex.Matches(html, "https?://[^\"' )]+").Select(m => m.Value).Distinct());
        }

        [Fact]
        public void Report_Html_EncodesEveryValueFromAManifest()
        {
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            AddHostileService(estate);

            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "html");

            Assert.True(report.ExitCode == 0, report.ToString());
            Assert.DoesNotContain("<script", report.Output);
            Assert.DoesNotContain("<img", report.Output);
            Assert.DoesNotContain("<b>", report.Output);
            Assert.Contains("<td>&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</td>", report.Output);
            Assert.Contains("<td>&quot;&gt;&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;</td>", report.Output);
        }

        [Fact]
        public void Report_Output_WritesTheFile_AndNothingToStdout()
        {
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            string file = Path.Combine(estate.Path, "estate.html");

            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "html", "--output", file);

            Assert.True(report.ExitCode == 0, report.ToString());
            Assert.Equal(string.Empty, report.Output);
            Assert.Equal(Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), "--policy", policy, "--format", "html").Output, File.ReadAllText(file));
        }

        [Fact]
        public void Report_OutputThatCannotBeWritten_IsABadArgument_NamingTheFile()
        {
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            string file = Path.Combine(estate.Path, "no-such-folder", "estate.md");

            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), "--output", file);

            Assert.Equal(2, report.ExitCode);
            Assert.Contains(file + ": error: the report cannot be written: ", report.Error);
            Assert.False(File.Exists(file));
        }

        [Fact]
        public void Report_BadInputs_AreReportedOnStderrAndInTheCheck_TheRestIsStillReported_AndExitIsThree()
        {
            using TempEstate estate = EstateTrafficLightCommandTests.SmallEstate(out string policy);
            string broken = estate.Write("s/z-broken/operability.json", "{ \"service\": ");
            string missing = Path.Combine(estate.Path, "nowhere");

            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "s"), missing, "--policy", policy, "--format", "markdown");

            Assert.Equal(3, report.ExitCode);
            Assert.Contains(broken + ":1:", report.Error);
            Assert.Contains(missing + ": error: no such file or folder", report.Error);
            Assert.Contains("| error | input-unreadable | `" + missing + "` | no such file or folder |", report.Output);
            Assert.Contains("| amber | pricing |", report.Output);
        }

        [Fact]
        public void Report_EmptyFolder_ExitsFour_AndEveryViewSaysItHasNothing()
        {
            using var estate = new TempEstate();
            Directory.CreateDirectory(Path.Combine(estate.Path, "empty"));

            CliResult report = Cli.Run("estate", "report", Path.Combine(estate.Path, "empty"), "--format", "html");

            Assert.Equal(4, report.ExitCode);
            Assert.Contains("<p>No service has an availability target.</p>", report.Output);
            Assert.Contains("<tr><td colspan=\"4\">No service needs an out-of-hours schedule.</td></tr>", report.Output);
            Assert.Contains("<tr><td colspan=\"7\">No service could be judged.</td></tr>", report.Output);
            Assert.Equal(3, Regex.Matches(report.Output, "<table>").Count);
            Assert.DoesNotContain("<svg", report.Output);
        }

        [Theory]
        [InlineData("json")]
        [InlineData("sarif")]
        public void Report_FormatOtherThanMarkdownOrHtml_IsAUsageError(string format)
        {
            using var estate = new TempEstate();

            CliResult report = Cli.Run("estate", "report", estate.Path, "--format", format);

            Assert.Equal(2, report.ExitCode);
            Assert.Contains("--format must be markdown or html for estate report but was '" + format + "'.", report.Error);
        }
    }
}
