using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Operability.Analyzers.Tests
{
    internal static partial class References
    {
        private static readonly string AspNetCoreDirectory = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!;

        /// <summary>The running .NET and ASP.NET Core shared frameworks, plus the named package assemblies.</summary>
        public static ImmutableArray<MetadataReference> Web(params string[] packageAssemblies)
        {
            var aspNetCore = TrustedAssemblies.Value
                .Where(pair => string.Equals(Path.GetDirectoryName(pair.Value), AspNetCoreDirectory, StringComparison.Ordinal))
                .Select(pair => pair.Key);
            return Runtime(aspNetCore.Concat(packageAssemblies).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
        }
    }
}
