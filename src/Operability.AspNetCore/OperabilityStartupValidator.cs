using System.Collections.Generic;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Configuration;

namespace Operability.AspNetCore;

/// <summary>The options type whose validation on start runs <see cref="OperabilityStartupValidator"/>.</summary>
internal sealed class OperabilityStartupCheck
{
}

/// <summary>What <c>AddOperability</c> and <c>AddOperabilityClient</c> registered, kept in the service collection.</summary>
internal sealed class OperabilityRegistrations
{
    /// <summary>Dependency names given to <c>AddOperabilityClient</c>, checked against the manifest at start.</summary>
    public List<string> TypedClients { get; } = new();

    /// <summary>Database or connection-string names given to <c>AddOperabilityDatabase</c>, checked against the manifest at start.</summary>
    public List<string> DatabaseChecks { get; } = new();
}

/// <summary>
/// Runs when the host starts, before any hosted service or the server: the manifest (found, readable, valid,
/// reported with file and line:column), every <c>Operability</c> configuration value, dependency names used in
/// configuration and typed clients, the shutter page template and the named authorization policies. Throws
/// <see cref="OperabilityStartupException"/> listing every problem; logs manifest warnings.
/// </summary>
internal sealed class OperabilityStartupValidator : IValidateOptions<OperabilityStartupCheck>
{
    private readonly ManifestSource _manifest;
    private readonly IOptionsMonitor<OperabilityOptions> _options;
    private readonly IHostEnvironment _environment;
    private readonly OperabilityRegistrations _registrations;
    private readonly IAuthorizationPolicyProvider? _policies;
    private readonly ILogger _logger;

    public OperabilityStartupValidator(
        ManifestSource manifest,
        IOptionsMonitor<OperabilityOptions> options,
        IHostEnvironment environment,
        OperabilityRegistrations registrations,
        ILoggerFactory loggerFactory,
        IAuthorizationPolicyProvider? policies = null)
    {
        _manifest = manifest;
        _options = options;
        _environment = environment;
        _registrations = registrations;
        _policies = policies;
        _logger = loggerFactory.CreateLogger("Operability.AspNetCore");
    }

    public ValidateOptionsResult Validate(string? name, OperabilityStartupCheck options)
    {
        var problems = new List<string>(_manifest.Problems);
        OperabilityOptions current = _options.CurrentValue;
        problems.AddRange(current.Problems);
        if (_manifest.Problems.Count == 0)
        {
            OperabilityManifest manifest = _manifest.Manifest;
            foreach (string warning in _manifest.Warnings)
            {
                _logger.LogWarning("Service manifest: {Warning}", warning);
            }

            OperabilityValidation.ValidateShutter(current.Shutter, manifest, _environment.ContentRootPath, problems);
            OperabilityValidation.ValidateRest(current, manifest, problems);
            foreach (string client in _registrations.TypedClients)
            {
                if (manifest.FindDependency(client) is null)
                {
                    problems.Add("AddOperabilityClient(\"" + client + "\") names a dependency that " + manifest.Path
                        + " does not declare (declared: " + manifest.DependencyNamesForDisplay() + ").");
                }
            }

            foreach (string database in _registrations.DatabaseChecks)
            {
                if (!manifest.OwnsDatabaseOrConnectionString(database))
                {
                    problems.Add("AddOperabilityDatabase(\"" + database + "\") names neither a database nor a connection string that " + manifest.Path
                        + " declares (owned databases: " + manifest.DatabaseNamesForDisplay() + ").");
                }
            }
        }

        CheckPolicy(current.Shutter.AuthorizationPolicy, "Operability:Shutter:AuthorizationPolicy", problems);
        CheckPolicy(current.Endpoints.OperabilityAuthorizationPolicy, "Operability:Endpoints:OperabilityAuthorizationPolicy", problems);
        if (current.Endpoints.AnonymousReport && !string.IsNullOrWhiteSpace(current.Endpoints.OperabilityAuthorizationPolicy))
        {
            problems.Add(OperabilityConfigurationReader.Describe("Operability:Endpoints:AnonymousReport") + " is true, but "
                + OperabilityConfigurationReader.Describe("Operability:Endpoints:OperabilityAuthorizationPolicy") + " names policy '"
                + current.Endpoints.OperabilityAuthorizationPolicy + "': /operability cannot be both open to anyone and protected. Set one of them.");
        }
        if (problems.Count > 0)
        {
            throw new OperabilityStartupException(problems);
        }

        return ValidateOptionsResult.Success;
    }

    private void CheckPolicy(string? policy, string key, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return;
        }

        if (_policies is null)
        {
            problems.Add(OperabilityConfigurationReader.Describe(key) + " names policy '" + policy + "' but authorization is not set up: call builder.Services.AddAuthorization(…) and define the policy.");
            return;
        }

        // The default provider answers synchronously; a custom one that builds policies on demand is asked the same way.
        if (_policies.GetPolicyAsync(policy).GetAwaiter().GetResult() is null)
        {
            problems.Add(OperabilityConfigurationReader.Describe(key) + " names policy '" + policy + "', which the application does not define (AddAuthorization(o => o.AddPolicy(\"" + policy + "\", …))).");
        }
    }
}
