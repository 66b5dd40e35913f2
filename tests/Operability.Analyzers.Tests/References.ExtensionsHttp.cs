using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;

namespace Operability.Analyzers.Tests
{
    internal static partial class References
    {
        /// <summary>.NET 8 plus Microsoft.Extensions.Http: IHttpClientFactory, AddHttpClient and dependency injection.</summary>
        public static readonly ReferenceAssemblies ExtensionsHttp = ReferenceAssemblies.Net.Net80.AddPackages(
            ImmutableArray.Create(new PackageIdentity("Microsoft.Extensions.Http", "8.0.1")));
    }
}
