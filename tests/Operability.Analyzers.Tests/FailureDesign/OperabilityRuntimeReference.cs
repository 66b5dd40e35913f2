using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// A stand-in for Operability's runtime assembly: named <c>Operability.AspNetCore</c>, with the two entry points
    /// in the namespaces and with the signatures of the real ones. The real assembly cannot be referenced here: it
    /// brings Operability.Manifest, whose types the analyzer assembly also compiles in.
    /// </summary>
    internal static class OperabilityRuntimeReference
    {
        private const string Source = """
            namespace Microsoft.AspNetCore.Builder
            {
                public sealed class OperabilityEndpoints { }

                public static class OperabilityEndpointRouteBuilderExtensions
                {
                    public static OperabilityEndpoints MapOperability(this WebApplication app) => new OperabilityEndpoints();
                }
            }

            namespace Microsoft.Extensions.Hosting
            {
                public sealed class OperabilityOptions { }

                public static class OperabilityHostApplicationBuilderExtensions
                {
                    public static IHostApplicationBuilder AddOperability(this IHostApplicationBuilder builder, System.Action<OperabilityOptions>? configure = null) => builder;
                }
            }
            """;

        private static readonly Lazy<MetadataReference> Reference = new Lazy<MetadataReference>(Compile);

        public static MetadataReference Value => Reference.Value;

        private static MetadataReference Compile()
        {
            var compilation = CSharpCompilation.Create(
                "Operability.AspNetCore",
                new[] { CSharpSyntaxTree.ParseText(Source) },
                References.Web(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (!result.Success)
            {
                throw new InvalidOperationException("The Operability.AspNetCore stand-in did not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }

            return MetadataReference.CreateFromImage(stream.ToArray());
        }
    }
}
