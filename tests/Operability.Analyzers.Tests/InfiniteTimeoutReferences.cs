using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;

namespace Operability.Analyzers.Tests
{
    /// <summary>Real packages whose timeout members OPS102 knows, so the tests resolve the symbols users have.</summary>
    internal static partial class References
    {
        internal static class InfiniteTimeout
        {
            public static readonly ReferenceAssemblies MicrosoftDataSqlClient = Net80With(("Microsoft.Data.SqlClient", "6.0.1"));

            public static readonly ReferenceAssemblies SystemDataSqlClient = Net80With(("System.Data.SqlClient", "4.8.5"));

            public static readonly ReferenceAssemblies Npgsql = Net80With(("Npgsql", "8.0.5"));

            // EF Core's SQL Server provider 8.x/9.x needs dependency versions the package feed here does not serve; the
            // SQLite provider's options builder derives from the same RelationalDbContextOptionsBuilder<,> the rule matches.
            public static readonly ReferenceAssemblies EfCoreSqlite = Net80With(("Microsoft.EntityFrameworkCore.Sqlite", "8.0.30"));

            public static readonly ReferenceAssemblies PollyCore = Net80With(("Polly.Core", "8.4.2"));

            public static readonly ReferenceAssemblies PollyV7 = Net80With(("Polly", "7.2.4"));

            public static readonly ReferenceAssemblies HttpClientFactory = Net80With(("Microsoft.Extensions.Http", "8.0.1"));

            private static ReferenceAssemblies Net80With(params (string Id, string Version)[] packages)
            {
                var builder = ImmutableArray.CreateBuilder<PackageIdentity>();
                foreach (var (id, version) in packages)
                {
                    builder.Add(new PackageIdentity(id, version));
                }

                return ReferenceAssemblies.Net.Net80.AddPackages(builder.ToImmutable());
            }
        }
    }
}
