using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace EndToEnd.Tests
{
    /// <summary>A program from a Debian package (promtool, amtool), run in a directory, bounded in time.</summary>
    internal static class DebianTool
    {
        public static ProcessResult Run(string path, string package, string directory, params string[] arguments)
        {
            Assert.True(File.Exists(path), $"{path} is missing: install it with 'apt-get install -y --no-install-recommends {package}' (or 'dotnet pwsh ./build.ps1 prerequisites').");
            var start = new ProcessStartInfo(path) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit((int)TimeSpan.FromMinutes(3).TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', arguments)} did not finish within 3 minutes.");
            }

            return new ProcessResult(process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
        }
    }
}
