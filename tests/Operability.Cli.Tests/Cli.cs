using System;
using System.IO;
using System.Text.Json;

namespace Operability.Cli.Tests
{
    /// <summary>What one in-process run of the tool wrote and returned.</summary>
    internal sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Output).RootElement;

        public override string ToString() => "exit " + ExitCode + "\nstdout:\n" + Output + "\nstderr:\n" + Error;
    }

    /// <summary>Runs the tool's parser and commands in-process with captured stdout and stderr.</summary>
    internal static class Cli
    {
        public static CliResult Run(params string[] args) => Run(showProgress: false, args);

        public static CliResult Run(bool showProgress, params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int code = CliApplication.Run(args, output, error, showProgress);
            return new CliResult(code, output.ToString(), error.ToString());
        }

        public static string RepositoryRoot { get; } = FindRoot();

        public static string SamplePolicy => Path.Combine(RepositoryRoot, "samples", "organisation", "operability.organisation.json");

        public static string SampleEstate => Path.Combine(RepositoryRoot, "samples", "estate");

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operability.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("No Operability.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A temporary folder of manifests, deleted afterwards.</summary>
    internal sealed class TempEstate : IDisposable
    {
        public TempEstate()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "operability-cli-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string relativePath, string content)
        {
            string full = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            return full;
        }

        public string Manifest(string folder, string service, string owner, string target = "99.9", string extra = "") =>
            Write(folder + "/operability.json", "{\n  \"service\": \"" + service + "\",\n  \"owner\": \"" + owner + "\",\n  \"availability\": { \"target\": " + target + " }" + extra + "\n}\n");

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
