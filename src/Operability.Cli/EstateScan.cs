using System;
using System.Collections.Generic;
using System.IO;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>A problem with an input itself: a path that cannot be read, text that is not JSON, a folder with no manifest.</summary>
    internal sealed record InputProblem(string Path, SourcePosition Position, string Message, int ExitCode, string RuleId);

    /// <summary>One file read: its manifests (as estate entries) and the diagnostics its parser reported.</summary>
    internal sealed record ScannedFile(string Path, bool IsCatalogue, IReadOnlyList<EstateEntry> Entries, IReadOnlyList<ManifestDiagnostic> Diagnostics);

    /// <summary>Every manifest found under the given paths, read against one policy; a bad input never stops the scan.</summary>
    internal sealed class EstateScan
    {
        /// <summary>The name every service's manifest has.</summary>
        public const string ManifestFileName = "operability.json";

        // Build output, dependencies and version control hold copies of manifests, never the estate's own.
        private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", ".git" };

        /// <summary>How many files between two progress updates.</summary>
        public const int ProgressEvery = 100;

        private EstateScan(IReadOnlyList<ScannedFile> files, IReadOnlyList<InputProblem> problems)
        {
            Files = files;
            Problems = problems;
        }

        public IReadOnlyList<ScannedFile> Files { get; }

        public IReadOnlyList<InputProblem> Problems { get; }

        public IEnumerable<EstateEntry> Entries
        {
            get
            {
                foreach (ScannedFile file in Files)
                {
                    foreach (EstateEntry entry in file.Entries)
                    {
                        yield return entry;
                    }
                }
            }
        }

        /// <summary>The exit code the inputs call for: the worst of their problems, or <see cref="ExitCodes.Ok"/>.</summary>
        public int ExitCode
        {
            get
            {
                int code = ExitCodes.Ok;
                foreach (InputProblem problem in Problems)
                {
                    code = ExitCodes.Worst(code, problem.ExitCode);
                }

                return code;
            }
        }

        /// <summary>
        /// Reads every <c>operability.json</c> under each folder (skipping bin, obj, node_modules and .git), and each file
        /// named directly as a manifest or an exported catalogue (<see cref="EstateCatalogue"/>).
        /// </summary>
        /// <param name="paths">Folders and files.</param>
        /// <param name="policy">The policy every manifest is read against.</param>
        /// <param name="progress">A terminal to show how many files have been read on, every <see cref="ProgressEvery"/>; null for none.</param>
        public static EstateScan Read(IEnumerable<string> paths, OrganisationPolicy policy, TextWriter? progress = null)
        {
            var files = new List<ScannedFile>();
            var problems = new List<InputProblem>();
            foreach (string path in paths)
            {
                if (Directory.Exists(path))
                {
                    var found = new List<string>();
                    FindManifests(path, found, problems);
                    if (found.Count == 0)
                    {
                        problems.Add(new InputProblem(path, default, "no " + ManifestFileName + " under this folder (bin, obj, node_modules and .git are skipped)", ExitCodes.NoManifests, EstateRules.NoManifests.Id));
                    }

                    found.Sort(StringComparer.Ordinal);
                    ReadFiles(found, policy, files, problems, progress);
                }
                else if (File.Exists(path))
                {
                    ReadFile(path, policy, files, problems);
                }
                else
                {
                    problems.Add(new InputProblem(path, default, "no such file or folder", ExitCodes.InputUnreadable, EstateRules.InputUnreadable.Id));
                }
            }

            if (progress is not null && files.Count >= ProgressEvery)
            {
                // Clear the progress line so the messages and results that follow start at the left.
                progress.Write("\r" + new string(' ', 40) + "\r");
            }

            return new EstateScan(files, problems);
        }

        private static void FindManifests(string folder, List<string> found, List<InputProblem> problems)
        {
            try
            {
                foreach (string file in Directory.EnumerateFiles(folder, ManifestFileName))
                {
                    // EnumerateFiles matches case-insensitively on some systems and not others; be exact everywhere.
                    if (string.Equals(Path.GetFileName(file), ManifestFileName, StringComparison.OrdinalIgnoreCase))
                    {
                        found.Add(file);
                    }
                }

                foreach (string child in Directory.EnumerateDirectories(folder))
                {
                    if (!SkippedFolders.Contains(Path.GetFileName(child)))
                    {
                        FindManifests(child, found, problems);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new InputProblem(folder, default, "the folder cannot be read: " + e.Message, ExitCodes.InputUnreadable, EstateRules.InputUnreadable.Id));
            }
        }

        /// <summary>
        /// Reads and parses the files on every core (parsing dominates a large estate's scan), then keeps their results
        /// in the sorted order, so the output does not depend on which file finished first.
        /// </summary>
        private static void ReadFiles(List<string> paths, OrganisationPolicy policy, List<ScannedFile> files, List<InputProblem> problems, TextWriter? progress)
        {
            var read = new (List<ScannedFile> Files, List<InputProblem> Problems)[paths.Count];
            int done = 0;
            object progressLock = new();
            System.Threading.Tasks.Parallel.For(0, paths.Count, i =>
            {
                var fileResults = new List<ScannedFile>(1);
                var fileProblems = new List<InputProblem>();
                ReadFile(paths[i], policy, fileResults, fileProblems);
                read[i] = (fileResults, fileProblems);
                int count = System.Threading.Interlocked.Increment(ref done);
                if (progress is not null && count % ProgressEvery == 0)
                {
                    lock (progressLock)
                    {
                        progress.Write("\rread " + count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " manifest file(s)…");
                    }
                }
            });

            foreach ((List<ScannedFile> fileResults, List<InputProblem> fileProblems) in read)
            {
                files.AddRange(fileResults);
                problems.AddRange(fileProblems);
            }
        }

        private static void ReadFile(string path, OrganisationPolicy policy, List<ScannedFile> files, List<InputProblem> problems)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new InputProblem(path, default, "the file cannot be read: " + e.Message, ExitCodes.InputUnreadable, EstateRules.InputUnreadable.Id));
                return;
            }

            EstateCatalogueResult result = EstateCatalogue.Parse(text, policy);
            var entries = new List<EstateEntry>(result.Manifests.Count);
            for (int i = 0; i < result.Manifests.Count; i++)
            {
                // Entries of one catalogue are distinct sources: the same service twice in it is a duplicate.
                string source = result.IsCatalogue ? path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" : path;
                entries.Add(new EstateEntry(source, result.Manifests[i]));
            }

            foreach (ManifestDiagnostic diagnostic in result.Diagnostics)
            {
                if (diagnostic.Kind == ManifestDiagnosticKind.Syntax)
                {
                    problems.Add(new InputProblem(path, diagnostic.Position, diagnostic.Message, ExitCodes.InputUnreadable, EstateRules.ManifestSyntax.Id));
                }
            }

            files.Add(new ScannedFile(path, result.IsCatalogue, entries, result.Diagnostics));
        }

        /// <summary>Writes each problem to <paramref name="error"/> as <c>path:line:column: error: message</c>.</summary>
        public void ReportProblems(TextWriter error)
        {
            foreach (InputProblem problem in Problems)
            {
                error.WriteLine(problem.Path + (problem.Position.IsKnown ? ":" + problem.Position : string.Empty) + ": error: " + problem.Message);
            }
        }
    }
}
