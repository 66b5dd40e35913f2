using System.Collections.Generic;
using System.IO;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>
    /// The README's test command must pass on a fresh machine: build.ps1 finds (and, where it may, installs) the
    /// programs the tests drive besides the .NET SDK, and names exactly what to install where it cannot.
    /// </summary>
    public sealed class BuildScriptTests
    {
        [Fact]
        public void Prerequisites_WhenToolsAreNotOnPath_NameEachToolAndTheInstallCommand()
        {
            // Only the dotnet host on PATH: neither chromium, promtool nor amtool can be found.
            var dotnetDirectory = Path.GetDirectoryName(Path.GetFullPath(DotnetHost()))!;
            var result = Dotnet.Run(Repository.Root, new Dictionary<string, string> { ["PATH"] = dotnetDirectory },
                "pwsh", "-NoProfile", "-File", "build.ps1", "prerequisites", "-CheckOnly");

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("chromium (missing; Debian package chromium)", result.Output);
            Assert.Contains("promtool (missing; Debian package prometheus)", result.Output);
            Assert.Contains("amtool (missing; Debian package prometheus-alertmanager)", result.Output);
            Assert.Contains("install them with: apt-get update && apt-get install -y --no-install-recommends chromium prometheus prometheus-alertmanager", result.Output);
        }

        [Fact]
        public void Prerequisites_OnThisMachine_FindEveryTool()
        {
            // 'build.ps1 test' installs what is missing before any test runs, so here every tool is present.
            var result = Dotnet.Run(Repository.Root, null, "pwsh", "-NoProfile", "-File", "build.ps1", "prerequisites", "-CheckOnly");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("chromium (found; Debian package chromium)", result.Output);
            Assert.Contains("promtool (found; Debian package prometheus)", result.Output);
            Assert.Contains("amtool (found; Debian package prometheus-alertmanager)", result.Output);
            Assert.Contains("initdb (found; Debian package postgresql)", result.Output);
        }

        private static string DotnetHost()
        {
            foreach (var directory in (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(directory, "dotnet");
                if (directory.Length > 0 && File.Exists(candidate))
                {
                    return new FileInfo(candidate).LinkTarget is { } target ? Path.Combine(directory, target) : candidate;
                }
            }

            return "/usr/share/dotnet/dotnet";
        }
    }
}
