using System;
using Microsoft.Extensions.DependencyInjection;
using Operability.AspNetCore;

namespace Microsoft.Extensions.Hosting;

/// <summary>The first of the two calls: <c>builder.AddOperability()</c>.</summary>
public static class OperabilityHostApplicationBuilderExtensions
{
    /// <summary>
    /// Makes the service operable as its <c>operability.json</c> declares: reads and validates the manifest (from
    /// the content root, or <c>Operability:ManifestPath</c>) and the <c>Operability</c> configuration when the host
    /// starts — any problem stops the start with an <see cref="OperabilityStartupException"/> naming the file
    /// (line:column) or key —, and registers readiness checks for owned databases and dependencies, a resilient
    /// named HttpClient per dependency, the shutter, availability metrics, and <see cref="TimeProvider.System"/>
    /// unless a <see cref="TimeProvider"/> is registered. Then call <c>app.MapOperability()</c>.
    /// </summary>
    /// <param name="builder">The application's builder.</param>
    /// <param name="configure">Changes to the options after configuration is read; runs on every reload.</param>
    /// <returns>The same builder.</returns>
    public static IHostApplicationBuilder AddOperability(this IHostApplicationBuilder builder, Action<OperabilityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OperabilityServiceCollectionExtensions.AddOperabilityCore(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }
}
