using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// Stand-ins for test framework assemblies: the analyzers recognise a test project by the names of
    /// the assemblies it references, so an empty assembly with the right name is the real shape.
    /// </summary>
    internal static class TestFrameworkReferences
    {
        public static MetadataReference Named(string assemblyName)
        {
            var compilation = CSharpCompilation.Create(
                assemblyName,
                new[] { CSharpSyntaxTree.ParseText("namespace Stand.In { public sealed class Marker { } }") },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (!result.Success)
            {
                throw new System.InvalidOperationException("The stand-in assembly '" + assemblyName + "' did not compile.");
            }

            return MetadataReference.CreateFromImage(stream.ToArray());
        }
    }
}
