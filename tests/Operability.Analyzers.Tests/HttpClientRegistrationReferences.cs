using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// References taken from the test host itself: the .NET runtime's assemblies plus named package
    /// assemblies that this test project references (so the real APIs resolve, with no download at
    /// test time and no version the registry does not serve).
    /// </summary>
    internal static partial class References
    {
        private static readonly Lazy<ImmutableDictionary<string, string>> TrustedAssemblies = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .GroupBy(path => Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase)
                .ToImmutableDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));

        private static readonly string RuntimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

        /// <summary>No reference assemblies: the test adds <see cref="Runtime"/> references itself.</summary>
        public static readonly ReferenceAssemblies None = new ReferenceAssemblies("net10.0");

        /// <summary>The running .NET's own assemblies plus the named package assemblies (by simple name).</summary>
        public static ImmutableArray<MetadataReference> Runtime(params string[] packageAssemblies)
        {
            var references = new List<MetadataReference>();
            foreach (var path in TrustedAssemblies.Value.Values)
            {
                if (string.Equals(Path.GetDirectoryName(path), RuntimeDirectory, StringComparison.Ordinal) && IsManaged(path))
                {
                    references.Add(MetadataReference.CreateFromFile(path));
                }
            }

            foreach (var name in packageAssemblies)
            {
                if (!TrustedAssemblies.Value.TryGetValue(name, out var path))
                {
                    throw new InvalidOperationException($"The test project does not reference an assembly named '{name}'.");
                }

                references.Add(MetadataReference.CreateFromFile(path));
            }

            return references.ToImmutableArray();
        }

        /// <summary>IHttpClientFactory and AddHttpClient.</summary>
        public static readonly string[] HttpClientFactory =
        {
            "Microsoft.Extensions.Http", "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Options",
            "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Primitives",
        };

        /// <summary>Microsoft.Extensions.Http.Resilience (Polly v8) on top of <see cref="HttpClientFactory"/>.</summary>
        public static readonly string[] HttpResilience = HttpClientFactory.Concat(new[]
        {
            "Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Resilience", "Polly.Core", "Polly.Extensions",
            "Microsoft.Extensions.Http.Diagnostics", "Microsoft.Extensions.Telemetry.Abstractions",
        }).ToArray();

        /// <summary>Polly v7 through Microsoft.Extensions.Http.Polly.</summary>
        public static readonly string[] HttpPollyV7 = HttpClientFactory.Concat(new[] { "Microsoft.Extensions.Http.Polly", "Polly", "Polly.Extensions.Http" }).ToArray();

        /// <summary>The gRPC client factory.</summary>
        public static readonly string[] Grpc = HttpClientFactory.Concat(new[] { "Grpc.Net.ClientFactory", "Grpc.Net.Client", "Grpc.Core.Api", "Grpc.Net.Common" }).ToArray();

        /// <summary>Refit's IHttpClientFactory integration.</summary>
        public static readonly string[] Refit = HttpClientFactory.Concat(new[] { "Refit.HttpClientFactory", "Refit" }).ToArray();

        private static bool IsManaged(string path)
        {
            try
            {
                System.Reflection.AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }
    }
}
