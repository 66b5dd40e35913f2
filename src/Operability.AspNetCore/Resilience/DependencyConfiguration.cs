using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Configuration;

namespace Operability.AspNetCore.Resilience;

/// <summary>
/// <c>Operability:Dependencies:&lt;name&gt;:*</c> as last validated, per dependency. Follows reloadable configuration
/// like the shutter and <see cref="Health.HealthSettings"/>: a valid change of a dependency applies at once (to its
/// probe now, to its pipeline when that is first built); an invalid one is logged as a warning naming the key and
/// the value, and that dependency's last valid settings stay. Without this, a bad value arriving before the
/// dependency's first call would be built into its pipeline (or make building it throw) until the next restart.
/// </summary>
internal sealed class DependencyConfiguration : IDisposable
{
    private const string Prefix = "'Operability:Dependencies:";

    private readonly ManifestSource _manifest;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private volatile IReadOnlyDictionary<string, DependencyOptions> _current;

    // Created with the hosted services, so that it holds the values validated at start before any reload. The
    // manifest is read only when a reload is validated: a missing one is the start-up validator's to report.
    public DependencyConfiguration(IOptionsMonitor<OperabilityOptions> options, ManifestSource manifest, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _manifest = manifest;
        _services = services;
        _logger = loggerFactory.CreateLogger("Operability.AspNetCore.Dependencies");
        _current = new Dictionary<string, DependencyOptions>(options.CurrentValue.Dependencies, StringComparer.OrdinalIgnoreCase);
        _subscription = options.OnChange(Reload);
    }

    /// <summary>The dependency's configured settings in force, or null when none are configured.</summary>
    public DependencyOptions? Find(string name) => _current.TryGetValue(name, out DependencyOptions? configured) ? configured : null;

    /// <summary>The dependency's <c>HealthPath</c> in force, or null when it is not probed.</summary>
    public string? HealthPath(string name) => Find(name)?.HealthPath is { } path && !string.IsNullOrWhiteSpace(path) ? path : null;

    public void Dispose() => _subscription?.Dispose();

    private void Reload(OperabilityOptions options)
    {
        if (_manifest.Problems.Count > 0)
        {
            return;
        }

        OperabilityManifest manifest = _manifest.Manifest;
        var problems = new List<string>();
        foreach (string problem in options.Problems)
        {
            if (problem.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(problem);
            }
        }

        OperabilityValidation.ValidateDependencies(options, manifest, problems);
        OperabilityValidation.ValidateProbesKeptForAutoEngage(options, manifest, problems);

        IReadOnlyDictionary<string, DependencyOptions> previous = _current;
        var next = new Dictionary<string, DependencyOptions>(StringComparer.OrdinalIgnoreCase);
        foreach (Operability.Manifest.ServiceDependency dependency in manifest.Manifest.Dependencies)
        {
            // Problems name their key, "'Operability:Dependencies:<name>:<key>' …", so each dependency is judged alone:
            // a typo in one does not hold back a valid change of another.
            string own = Prefix + dependency.Name + ":";
            List<string> rejected = problems.FindAll(p => p.StartsWith(own, StringComparison.OrdinalIgnoreCase));
            if (rejected.Count > 0)
            {
                _logger.LogWarning(
                    "Configuration change of dependency {Dependency} ignored, its previous settings stay in force: {Problems}",
                    dependency.Name,
                    string.Join(" ", rejected));
                if (previous.TryGetValue(dependency.Name, out DependencyOptions? kept))
                {
                    next[dependency.Name] = kept;
                }
            }
            else if (options.Dependencies.TryGetValue(dependency.Name, out DependencyOptions? configured))
            {
                next[dependency.Name] = configured;
            }
        }

        foreach (string problem in problems)
        {
            if (manifest.FindDependency(NameIn(problem)) is null)
            {
                // A name the manifest does not declare: nothing uses it, but the operator should know.
                _logger.LogWarning("Dependency configuration ignored: {Problem}", problem);
            }
        }

        _current = next;
        ForgetRemovedProbes(previous);
    }

    /// <summary>A probe that stopped must not leave its last result behind: readiness would hold it for good.</summary>
    private void ForgetRemovedProbes(IReadOnlyDictionary<string, DependencyOptions> previous)
    {
        DependencyStates states = _services.GetRequiredService<DependencyStates>();
        foreach (DependencyState state in states.All)
        {
            bool was = previous.TryGetValue(state.Name, out DependencyOptions? before) && !string.IsNullOrWhiteSpace(before.HealthPath);
            if (was && HealthPath(state.Name) is null)
            {
                state.ForgetProbe();
                _logger.LogInformation("Dependency {Dependency} is no longer probed (HealthPath removed); its last probe result is forgotten", state.Name);
            }
        }
    }

    private static string NameIn(string problem)
    {
        int start = Prefix.Length;
        int end = problem.IndexOfAny(new[] { ':', '\'' }, start);
        return end < 0 ? string.Empty : problem.Substring(start, end - start);
    }
}
