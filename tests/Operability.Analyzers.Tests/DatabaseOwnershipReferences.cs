using System.Linq;

namespace Operability.Analyzers.Tests
{
    internal static partial class References
    {
        /// <summary>Configuration, hosting and dependency injection abstractions: GetConnectionString, IHostApplicationBuilder.</summary>
        public static readonly string[] Configuration =
        {
            "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.Hosting.Abstractions",
            "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Primitives", "Microsoft.Extensions.FileProviders.Abstractions",
            "Microsoft.Extensions.Diagnostics.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Options",
        };

        /// <summary>EF Core with the SQLite and PostgreSQL providers, ADO.NET Npgsql and Microsoft.Data.Sqlite.</summary>
        public static readonly string[] EfCore = Configuration.Concat(new[]
        {
            "Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Abstractions", "Microsoft.EntityFrameworkCore.Relational",
            "Microsoft.EntityFrameworkCore.Sqlite", "Microsoft.Data.Sqlite", "Npgsql", "Npgsql.EntityFrameworkCore.PostgreSQL",
            "Microsoft.Extensions.Caching.Abstractions", "Microsoft.Extensions.Caching.Memory",
        }).ToArray();

        /// <summary>.NET Aspire client integrations (PostgreSQL, EF Core for PostgreSQL, Redis) on top of <see cref="EfCore"/>.</summary>
        public static readonly string[] Aspire = EfCore.Concat(new[]
        {
            "Aspire.Npgsql", "Aspire.Npgsql.EntityFrameworkCore.PostgreSQL", "Aspire.StackExchange.Redis", "StackExchange.Redis",
        }).ToArray();
    }
}
