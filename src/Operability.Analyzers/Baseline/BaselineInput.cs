using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers.Baseline
{
    /// <summary>
    /// The baseline the build handed over: the AdditionalFiles item tagged <c>OperabilityRole="Baseline"</c> by the
    /// package's targets, else the only untagged <c>operability.baseline.json</c> (a project without the targets).
    /// </summary>
    internal sealed class BaselineInput
    {
        private BaselineInput(AdditionalText file, BaselineDocument document, string? projectDirectory)
        {
            File = file;
            Document = document;
            ProjectDirectory = projectDirectory;
        }

        public AdditionalText File { get; }

        public BaselineDocument Document { get; }

        /// <summary>What the entries' paths are relative to (<c>build_property.MSBuildProjectDirectory</c>).</summary>
        public string? ProjectDirectory { get; }

        public static BaselineInput? Find(AnalyzerOptions options, CancellationToken cancellationToken)
        {
            AdditionalText? byRole = null;
            AdditionalText? byName = null;
            var byNameCount = 0;
            foreach (var file in options.AdditionalFiles)
            {
                options.AnalyzerConfigOptionsProvider.GetOptions(file).TryGetValue(OperabilityFiles.RoleKey, out var role);
                if (string.Equals(role, "Baseline", StringComparison.OrdinalIgnoreCase))
                {
                    byRole ??= file;
                }
                else if (string.IsNullOrEmpty(role) && string.Equals(OperabilityFiles.SafeFileName(file.Path), BaselineDocument.FileName, StringComparison.OrdinalIgnoreCase))
                {
                    byName = file;
                    byNameCount++;
                }
            }

            var chosen = byRole ?? (byNameCount == 1 ? byName : null);
            if (chosen?.GetText(cancellationToken) is not { } text)
            {
                return null;
            }

            options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.MSBuildProjectDirectory", out var projectDirectory);
            return new BaselineInput(chosen, BaselineDocument.Parse(text.ToString()), string.IsNullOrEmpty(projectDirectory) ? null : projectDirectory);
        }

        /// <summary>The additional file at <paramref name="path"/>, or null.</summary>
        public static AdditionalText? AdditionalFile(ImmutableArray<AdditionalText> files, string path)
        {
            foreach (var file in files)
            {
                if (OperabilityFiles.PathsEqual(file.Path, path))
                {
                    return file;
                }
            }

            return null;
        }
    }
}
