using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>
    /// What the build tells the analyzers about the project (through the package's
    /// <c>CompilerVisibleProperty</c> items), plus what the compilation's references show.
    /// </summary>
    internal sealed class ProjectFacts
    {
        // The assembly test code compiles against in each current framework. MSTest.Sdk leaves
        // IsTestProject empty, so a reference is the only sign an MSTest v4 project gives.
        private static readonly string[] TestFrameworkAssemblies =
        {
            "xunit.core", // xunit v2
            "xunit.v3.core", // xunit v3
            "nunit.framework", // NUnit 3 and 4
            "Microsoft.VisualStudio.TestPlatform.TestFramework", // MSTest v2 and v3
            "MSTest.TestFramework", // MSTest v4 (MSTest.Sdk or the MSTest package)
            "TUnit.Core", // TUnit
        };

        private ProjectFacts(bool isService, bool isWebService, bool isTestProject, string? projectDirectory)
        {
            IsService = isService;
            IsWebService = isWebService;
            IsTestProject = isTestProject;
            ProjectDirectory = projectDirectory;
        }

        /// <summary>A web project, or an executable that uses the generic host, that is not a test project.</summary>
        public bool IsService { get; }

        /// <summary>A <c>Microsoft.NET.Sdk.Web</c> project that is a service (see <see cref="IsService"/>): it answers HTTP.</summary>
        public bool IsWebService { get; }

        public bool IsTestProject { get; }

        public string? ProjectDirectory { get; }

        public static ProjectFacts From(AnalyzerConfigOptions globalOptions, Compilation compilation)
        {
            var isTest = IsTrue(globalOptions, "build_property.IsTestProject") || ReferencesTestFramework(compilation);
            string? projectDirectory = null;
            if (globalOptions.TryGetValue("build_property.MSBuildProjectDirectory", out var dir) && !string.IsNullOrWhiteSpace(dir))
            {
                projectDirectory = dir;
            }
            else if (globalOptions.TryGetValue("build_property.ProjectDir", out var projectDir) && !string.IsNullOrWhiteSpace(projectDir))
            {
                projectDirectory = projectDir;
            }

            var explicitChoice = ReadBool(globalOptions, "build_property.OperabilityIsService");
            bool isService;
            if (explicitChoice.HasValue)
            {
                isService = explicitChoice.Value;
            }
            else if (isTest)
            {
                isService = false;
            }
            else
            {
                var isWeb = IsTrue(globalOptions, "build_property.UsingMicrosoftNETSdkWeb");
                isService = isWeb || (IsExecutable(globalOptions, compilation) && UsesGenericHost(compilation));
            }

            return new ProjectFacts(isService, isService && IsTrue(globalOptions, "build_property.UsingMicrosoftNETSdkWeb"), isTest, projectDirectory);
        }

        private static bool IsExecutable(AnalyzerConfigOptions globalOptions, Compilation compilation)
        {
            if (globalOptions.TryGetValue("build_property.OutputType", out var outputType) && !string.IsNullOrWhiteSpace(outputType))
            {
                return outputType.Equals("Exe", StringComparison.OrdinalIgnoreCase)
                    || outputType.Equals("WinExe", StringComparison.OrdinalIgnoreCase);
            }

            return compilation.Options.OutputKind == OutputKind.ConsoleApplication
                || compilation.Options.OutputKind == OutputKind.WindowsApplication;
        }

        private static bool UsesGenericHost(Compilation compilation) =>
            compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.IHost") is not null;

        private static bool ReferencesTestFramework(Compilation compilation)
        {
            foreach (var assembly in compilation.ReferencedAssemblyNames)
            {
                foreach (var name in TestFrameworkAssemblies)
                {
                    if (string.Equals(assembly.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool IsTrue(AnalyzerConfigOptions options, string key) => ReadBool(options, key) == true;

        private static bool? ReadBool(AnalyzerConfigOptions options, string key)
        {
            if (options.TryGetValue(key, out var value) && bool.TryParse(value.Trim(), out var result))
            {
                return result;
            }

            return null;
        }
    }
}
