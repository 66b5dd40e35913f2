using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Operability.Analyzers.Tests
{
    /// <summary>A code-fix test in a project at <c>/0/</c>, with MSBuild properties handed over as the package's props do.</summary>
    internal sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public CodeFixTest()
        {
            ReferenceAssemblies = References.Net80;
        }

        public Dictionary<string, string> BuildProperties { get; } = new Dictionary<string, string>
        {
            ["MSBuildProjectDirectory"] = AnalyzerTest<TAnalyzer>.ProjectDirectory,
        };

        /// <summary>Extra <c>.editorconfig</c> lines for <c>[*.cs]</c> (e.g. rule options).</summary>
        public List<string> EditorConfig { get; } = new List<string>();

        public Task VerifyAsync()
        {
            var global = new StringBuilder("is_global = true\n");
            foreach (var property in BuildProperties)
            {
                global.Append("build_property.").Append(property.Key).Append(" = ").Append(property.Value).Append('\n');
            }

            TestState.AnalyzerConfigFiles.Add(("/.globalconfig", global.ToString()));
            if (EditorConfig.Count > 0)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", EditorConfig) + "\n"));
            }

            return RunAsync();
        }
    }
}
