using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace OperableService._1.Tests;

/// <summary>The service in memory, with configuration laid over its appsettings.json.</summary>
internal sealed class ServiceFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
//#if (hasDatabase)
    /// <summary>
    /// The databases operability.json declares after example-db. A test that points example-db somewhere (a fake that
    /// accepts connections, or one that is down) points these there too, so readiness answers for all of them alike.
    /// </summary>
    private static readonly string[] OtherDatabases = [OPERABLE_MORE_DATABASE_LITERALS];

//#endif
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        if (settings is not null)
        {
            var all = new Dictionary<string, string?>(settings);
//#if (hasDatabase)
            if (settings.TryGetValue("ConnectionStrings:example-db", out var connectionString))
            {
                foreach (var database in OtherDatabases)
                {
                    all.TryAdd($"ConnectionStrings:{database}", connectionString);
                }
            }

//#endif
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(all));
        }
    }
}
