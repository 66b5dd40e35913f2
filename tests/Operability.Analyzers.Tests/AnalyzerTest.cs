using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Operability.Analyzers.Tests
{
    /// <summary>Reference sets the tests compile against, so symbols resolve as they do for users.</summary>
    internal static partial class References
    {
        public static readonly ReferenceAssemblies Net80 = ReferenceAssemblies.Net.Net80;

        public static readonly ReferenceAssemblies Hosting = ReferenceAssemblies.Net.Net80.AddPackages(
            ImmutableArray.Create(new PackageIdentity("Microsoft.Extensions.Hosting.Abstractions", "8.0.0")));

        public static readonly ReferenceAssemblies Xunit = ReferenceAssemblies.Net.Net80.AddPackages(
            ImmutableArray.Create(new PackageIdentity("xunit.core", "2.9.3")));
    }

    /// <summary>
    /// An analyzer test in a project at <c>/0/</c>, with MSBuild properties handed over the way the
    /// package's props do (<c>build_property.*</c> in a global config).
    /// </summary>
    internal sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public const string ProjectDirectory = "/0";

        public AnalyzerTest()
        {
            ReferenceAssemblies = References.Net80;
        }

        private readonly List<string> _editorConfig = new List<string>();

        public Dictionary<string, string> BuildProperties { get; } = new Dictionary<string, string>
        {
            ["MSBuildProjectDirectory"] = ProjectDirectory,
        };

        /// <summary>Analyzers (or suppressors) that run beside <typeparamref name="TAnalyzer"/>, e.g. the rules a suppressor acts on.</summary>
        public List<DiagnosticAnalyzer> AlsoRun { get; } = new List<DiagnosticAnalyzer>();

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers()
        {
            foreach (var analyzer in base.GetDiagnosticAnalyzers())
            {
                yield return analyzer;
            }

            foreach (var analyzer in AlsoRun)
            {
                yield return analyzer;
            }
        }

        public AnalyzerTest<TAnalyzer> WithProperty(string name, string value)
        {
            BuildProperties[name] = value;
            return this;
        }

        /// <summary>Adds a line to the <c>[*.cs]</c> section of the project's <c>.editorconfig</c> (rule options).</summary>
        public AnalyzerTest<TAnalyzer> WithEditorConfig(string line)
        {
            _editorConfig.Add(line);
            return this;
        }

        public AnalyzerTest<TAnalyzer> WithAdditionalFile(string name, string text)
        {
            TestState.AdditionalFiles.Add((ProjectDirectory + "/" + name, text));
            return this;
        }

        public AnalyzerTest<TAnalyzer> Expect(params DiagnosticResult[] diagnostics)
        {
            ExpectedDiagnostics.AddRange(diagnostics);
            return this;
        }

        /// <summary>Hands the build properties to the analyzers, then runs the test.</summary>
        public System.Threading.Tasks.Task VerifyAsync()
        {
            var config = new StringBuilder("is_global = true\n");
            foreach (var property in BuildProperties)
            {
                config.Append("build_property.").Append(property.Key).Append(" = ").Append(property.Value).Append('\n');
            }

            TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config.ToString()));
            if (_editorConfig.Count > 0)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", _editorConfig) + "\n"));
            }

            return RunAsync();
        }
    }
}
