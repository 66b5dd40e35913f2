using System;
using System.IO;
using System.Linq;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>The packed tool's 'select --write' on a real scaffold's operability.json, comments and all.</summary>
    [Collection(ConsumerBuilds.Name)]
    public sealed class SelectWriteToolTests : IClassFixture<TemplateHive>
    {
        private readonly TemplateHive _hive;

        public SelectWriteToolTests(PackageFeedFixture feed, TemplateHive hive)
        {
            _ = feed;
            _hive = hive;
        }

        [Fact]
        public void SelectWrite_OnAScaffoldsManifest_ChangesOnlyTheSelectedLines_AndTheEstateCheckPasses()
        {
            var created = _hive.New("Rewritten", "--owner", "team-orders", "--availability-target", "99.0", "--feature-demand", "low", "--skip-restore");
            Assert.True(created.ExitCode == 0, created.ToString());
            string manifest = Path.Combine(_hive.Root("Rewritten"), "src", ScaffoldChecks.ProjectName(_hive.Root("Rewritten")), "operability.json");
            string[] before = File.ReadAllLines(manifest);
            using ScratchFolder tool = CliToolTests.InstallTool();

            var select = CliToolTests.Tool(tool, "operability", "select", "--financial-exposure", "810000", "--feature-demand", "very-high", "--write", manifest);

            Assert.True(select.ExitCode == 0, select.ToString());
            Assert.Contains("updated " + manifest, select.Output);
            string[] after = File.ReadAllLines(manifest);
            Assert.Equal(before.Length, after.Length);
            string[] selected = { "\"availability\"", "\"deployment\"", "\"onCall\"" };
            for (int i = 0; i < before.Length; i++)
            {
                if (!selected.Any(key => before[i].TrimStart().StartsWith(key, StringComparison.Ordinal)))
                {
                    Assert.Equal(before[i], after[i]);
                }
            }

            Assert.Contains("  \"availability\": { \"target\": 99.9, \"financialExposurePerHour\": 810000 },", after);
            Assert.Contains("  \"deployment\": { \"featureDemand\": \"very-high\", \"target\": \"daily\" },", after);
            Assert.Contains("  \"onCall\": { \"workingHours\": \"team\", \"outOfHours\": \"team\" },", after);
            var check = CliToolTests.Tool(tool, "operability", "estate", "check", manifest, "--format", "json");
            Assert.True(check.ExitCode == 0, check.ToString());
        }
    }
}
