using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace EndToEnd.Tests
{
    /// <summary>Where the repository, its packed packages and the e2e scratch folders are.</summary>
    internal static class Repository
    {
        public static string Root { get; } = FindRoot();

        public static string Packages { get; } = Environment.GetEnvironmentVariable("OPERABILITY_PACKAGES") is { Length: > 0 } fromEnv
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(Root, "artifacts", "packages");

        /// <summary>A package cache private to the end-to-end tests, so a re-packed version is never served stale.</summary>
        public static string PackageCache { get; } = Path.Combine(Root, "artifacts", "e2e", "nuget-packages");

        public static string PackageVersion(string packageId)
        {
            if (!Directory.Exists(Packages))
            {
                throw new InvalidOperationException($"No package folder at '{Packages}'. Run 'dotnet pwsh ./build.ps1 pack' (or 'test') first.");
            }

            var pattern = new Regex("^" + Regex.Escape(packageId) + @"\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$");
            var versions = Directory.GetFiles(Packages, packageId + ".*.nupkg")
                .Select(path => pattern.Match(Path.GetFileName(path)))
                .Where(match => match.Success)
                .Select(match => match.Groups[1].Value)
                .ToList();
            if (versions.Count != 1)
            {
                throw new InvalidOperationException($"Expected exactly one {packageId} package in '{Packages}', found {versions.Count}. Run 'dotnet pwsh ./build.ps1 pack'.");
            }

            return versions[0];
        }

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operability.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Could not find Operability.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// The result of a finished process: <see cref="Output"/> is stdout and stderr interleaved as they arrived;
    /// <see cref="StandardOutput"/> is stdout alone, for a result a test parses (a tool's messages go to stderr).
    /// </summary>
    internal sealed record ProcessResult(int ExitCode, string Output, string StandardOutput = "")
    {
        public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        public override string ToString() => $"exit code {ExitCode}\n{Output}";
    }

    /// <summary>Runs the dotnet CLI with a controlled environment (no inherited CI or MSBuild variables).</summary>
    internal static class Dotnet
    {
        private static readonly string[] CiVariables = { "CI", "TF_BUILD", "GITHUB_ACTIONS", "ContinuousIntegrationBuild" };

        public static ProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var key in start.Environment.Keys.ToList())
            {
                if (CiVariables.Contains(key, StringComparer.OrdinalIgnoreCase)
                    || key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                    || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                    || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
                {
                    start.Environment.Remove(key);
                }
            }

            start.Environment["NUGET_PACKAGES"] = Repository.PackageCache;
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            if (environment is not null)
            {
                foreach (var pair in environment)
                {
                    start.Environment[pair.Key] = pair.Value;
                }
            }

            var output = new StringBuilder();
            var standardOutput = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)TimeSpan.FromMinutes(5).TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within 5 minutes.\n{output}");
            }

            process.WaitForExit();
            lock (output)
            {
                return new ProcessResult(process.ExitCode, output.ToString(), standardOutput.ToString());
            }
        }
    }

    /// <summary>A scratch folder outside the repository with a nuget.config that adds the local package feed.</summary>
    internal sealed class ScratchFolder : IDisposable
    {
        private static int _counter;

        public ScratchFolder(string name)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "operability-e2e", $"{name}-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }

            Directory.CreateDirectory(Path);
            // Empty MSBuild imports so nothing above the folder leaks into the consumer projects.
            Write("Directory.Build.props", "<Project />\n");
            Write("Directory.Build.targets", "<Project />\n");
            Write("Directory.Packages.props", "<Project />\n");
            Write("nuget.config", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="operability-local" value="{Repository.Packages}" />
                  </packageSources>
                </configuration>
                """);
        }

        public string Path { get; }

        public string Write(string relativePath, string content)
        {
            var full = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            return full;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the folder is in the temp directory.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
