using System.IO;
using Microsoft.CodeAnalysis.Testing;

namespace Operability.Analyzers.Tests
{
    internal static partial class References
    {
        /// <summary>
        /// .NET 9 reference assemblies (Task.WaitAll gained IEnumerable and params-span overloads there). The
        /// testing library's own Net90 names a patch version the registry here does not serve.
        /// </summary>
        public static readonly ReferenceAssemblies Net90 = new ReferenceAssemblies(
            "net9.0",
            new PackageIdentity("Microsoft.NETCore.App.Ref", "9.0.16"),
            Path.Combine("ref", "net9.0"));
    }
}
