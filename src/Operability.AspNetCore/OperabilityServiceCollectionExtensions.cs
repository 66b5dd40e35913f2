using System;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Operability.AspNetCore;
using Operability.AspNetCore.Availability;
using Operability.AspNetCore.Configuration;
using Operability.AspNetCore.Endpoints;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Resilience;
using Operability.AspNetCore.Shutter;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers typed clients for the dependencies the manifest declares.</summary>
public static class OperabilityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> as a typed client of the dependency <paramref name="dependencyName"/>
    /// declared in <c>operability.json</c>. It gets the dependency's pipeline (total and attempt timeouts, retries
    /// of idempotent requests with jittered backoff, circuit breaker) and base address
    /// (<c>Operability:Dependencies:&lt;name&gt;:BaseAddress</c>), shared with the named client of the same name.
    /// A name the manifest does not declare stops the service at start.
    /// </summary>
    /// <typeparam name="TClient">The typed client; its constructor takes an <see cref="System.Net.Http.HttpClient"/>.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="dependencyName">The dependency's name in the manifest.</param>
    /// <returns>The client's builder, for further configuration.</returns>
    public static IHttpClientBuilder AddOperabilityClient<TClient>(this IServiceCollection services, string dependencyName)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dependencyName);
        AddOperabilityCore(services).TypedClients.Add(dependencyName);
        return services.AddHttpClient<TClient>(dependencyName);
    }

    /// <summary>
    /// Registers <typeparamref name="TClient"/> implemented by <typeparamref name="TImplementation"/> as a typed
    /// client of the declared dependency <paramref name="dependencyName"/>; see <see cref="AddOperabilityClient{TClient}(IServiceCollection, string)"/>.
    /// </summary>
    /// <typeparam name="TClient">The client's contract.</typeparam>
    /// <typeparam name="TImplementation">The client's implementation; its constructor takes an HttpClient.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="dependencyName">The dependency's name in the manifest.</param>
    /// <returns>The client's builder, for further configuration.</returns>
    public static IHttpClientBuilder AddOperabilityClient<TClient, TImplementation>(this IServiceCollection services, string dependencyName)
        where TClient : class
        where TImplementation : class, TClient
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dependencyName);
        AddOperabilityCore(services).TypedClients.Add(dependencyName);
        return services.AddHttpClient<TClient, TImplementation>(dependencyName);
    }

    /// <summary>
    /// Registers the answer the dependency's pipeline gives, instead of failing, when a call to it fails: refused
    /// (open circuit, full bulkhead), timed out, a connection error, or a 5xx that survived the retries. It runs
    /// outermost, so a fallback never waits for a slow dependency past its total timeout. <c>/operability</c> and
    /// the metric <c>operability.dependency.failure_design{element="fallback"}</c> report a dependency with one as
    /// having a fallback; degrading in the caller's own <c>catch</c> works too, but the runtime cannot see it.
    /// </summary>
    /// <param name="builder">The builder <see cref="AddOperabilityClient{TClient}(IServiceCollection, string)"/> returned.</param>
    /// <param name="fallback">Makes the response from the failed outcome (its exception, or the failing response, disposed afterwards).</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddOperabilityFallback(this IHttpClientBuilder builder, Func<Polly.Outcome<System.Net.Http.HttpResponseMessage>, System.Net.Http.HttpResponseMessage> fallback)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fallback);
        builder.Services.AddSingleton(new DependencyFallback(builder.Name, fallback));
        return builder;
    }

    /// <summary>
    /// Makes readiness ask <paramref name="dataSource"/> (a <c>SELECT 1</c>) whether the owned database
    /// <paramref name="name"/> answers, instead of opening a TCP connection to the host of its connection string.
    /// <paramref name="name"/> is the database's name in <c>operability.json</c> or one of its connection-string names;
    /// a name the manifest does not declare stops the service at start. Not needed when the data source is registered
    /// as a <see cref="System.Data.Common.DbDataSource"/> keyed by either name (Npgsql's
    /// <c>AddNpgsqlDataSource(…, serviceKey: "orders-db")</c>, Aspire's <c>AddKeyedNpgsqlDataSource("Orders")</c>), or
    /// unkeyed when the manifest names a single connection string: readiness finds those itself.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The owned database's name, or one of its connection-string names.</param>
    /// <param name="dataSource">Gives the data source; called in a scope of its own for every check.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddOperabilityDatabase(this IServiceCollection services, string name, Func<IServiceProvider, System.Data.Common.DbDataSource> dataSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(dataSource);
        AddOperabilityCore(services).DatabaseChecks.Add(name);
        services.AddSingleton(new DatabaseProviderRegistration(name, dataSource, null));
        return services;
    }

    /// <summary>
    /// Makes readiness ask <paramref name="canConnect"/> whether the owned database <paramref name="name"/> answers,
    /// instead of opening a TCP connection to the host of its connection string. Made for EF Core without this
    /// library depending on it: <c>AddOperabilityDatabase("orders-db", (sp, ct) =&gt;
    /// sp.GetRequiredService&lt;OrdersContext&gt;().Database.CanConnectAsync(ct))</c>. The delegate runs in a scope of
    /// its own (a scoped <c>DbContext</c> is fine), under <c>Operability:Health:TimeoutSeconds</c>; false or an
    /// exception is a failed observation. <paramref name="name"/> is the database's name in <c>operability.json</c>
    /// or one of its connection-string names; a name the manifest does not declare stops the service at start.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The owned database's name, or one of its connection-string names.</param>
    /// <param name="canConnect">Answers whether the database can be reached, honouring the cancellation token.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddOperabilityDatabase(this IServiceCollection services, string name, Func<IServiceProvider, System.Threading.CancellationToken, System.Threading.Tasks.Task<bool>> canConnect)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(canConnect);
        AddOperabilityCore(services).DatabaseChecks.Add(name);
        services.AddSingleton(new DatabaseProviderRegistration(name, null, canConnect));
        return services;
    }

    /// <summary>Registers everything once per service collection; later calls find the marker and return it.</summary>
    internal static OperabilityRegistrations AddOperabilityCore(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(OperabilityRegistrations))?.ImplementationInstance is OperabilityRegistrations existing)
        {
            return existing;
        }

        var registrations = new OperabilityRegistrations();
        services.AddSingleton(registrations);

        services.AddOptions();
        services.AddSingleton<IConfigureOptions<OperabilityOptions>, OperabilityConfigurationReader>();
        services.AddSingleton<IOptionsChangeTokenSource<OperabilityOptions>>(sp =>
            new ConfigurationChangeTokenSource<OperabilityOptions>(Options.Options.DefaultName, sp.GetRequiredService<IConfiguration>()));
        services.AddOptions<OperabilityStartupCheck>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperabilityStartupCheck>, OperabilityStartupValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<ManifestSource>();
        services.AddSingleton(sp => sp.GetRequiredService<ManifestSource>().Manifest);

        services.AddSingleton<DependencyStates>();
        services.AddSingleton<DependencyConfiguration>();
        services.AddSingleton<DependencyFallbacks>();
        services.AddSingleton<FailureDesign>();
        services.AddSingleton<DependencyPipelines>();
        services.AddHttpClient();
        services.AddSingleton<DependencyClientConfiguration>();
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>>(sp => sp.GetRequiredService<DependencyClientConfiguration>());
        services.AddSingleton<IPostConfigureOptions<HttpClientFactoryOptions>>(sp => sp.GetRequiredService<DependencyClientConfiguration>());

        services.AddSingleton<ShutterState>();
        services.AddSingleton<ShutterResponder>();
        services.AddSingleton(sp => new AvailabilityRecorder(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<OperabilityOptions>>().Value.Availability.Window,
            sp.GetRequiredService<OperabilityManifest>().AllowedFailureRatioAt));
        services.AddSingleton<OperabilityMetrics>();
        services.AddSingleton<OperabilityReport>();

        services.AddHealthChecks();
        services.AddSingleton<ManifestHealthChecks>();
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => sp.GetRequiredService<ManifestHealthChecks>());
        services.AddSingleton<IPostConfigureOptions<HealthCheckServiceOptions>>(sp => sp.GetRequiredService<ManifestHealthChecks>());
        services.AddSingleton<HealthSettings>();
        services.AddSingleton(sp => new DatabaseProbes(
            sp.GetRequiredService<OperabilityManifest>(),
            sp,
            sp.GetServices<DatabaseProviderRegistration>()));
        services.AddSingleton<HealthReporter>();
        services.AddSingleton<DependencyMonitor>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DependencyMonitor>());
        return registrations;
    }
}
