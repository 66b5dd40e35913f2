using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Operability.Manifest;
using ManifestAvailability = Operability.Manifest.Availability;

namespace Operability.AspNetCore;

/// <summary>
/// The service's <c>operability.json</c> as loaded and validated at start, with the numbers that follow from it.
/// Inject it wherever the service needs its own ownership or targets; nothing here is typed twice.
/// </summary>
public sealed class OperabilityManifest
{
    internal OperabilityManifest(string path, ServiceManifest manifest, OrganisationPolicy? policy = null, string? policyPath = null)
    {
        Path = path;
        Manifest = manifest;
        Policy = policy;
        PolicyPath = policyPath;
        Service = manifest.Service!;
        AvailabilityTarget = manifest.AvailabilityTarget!.Value;
        TolerableUnavailabilityPerWeek = ManifestAvailability.TolerableUnavailabilityPerWeek(AvailabilityTarget);
        (OnCallLevel workingHours, OnCallLevel outOfHours) = ManifestAvailability.OnCallFor(AvailabilityTarget, policy);
        WorkingHoursOnCall = manifest.WorkingHoursOnCall ?? workingHours;
        OutOfHoursOnCall = manifest.OutOfHoursOnCall ?? outOfHours;
    }

    /// <summary>The full path the manifest was read from.</summary>
    public string Path { get; }

    /// <summary>The parsed manifest.</summary>
    public ServiceManifest Manifest { get; }

    /// <summary>
    /// The organisation policy the manifest was read with (its bands select targets, its on-call table the levels),
    /// or null when the service has none and the playbook's values apply.
    /// </summary>
    public OrganisationPolicy? Policy { get; }

    /// <summary>The full path the organisation policy was read from, or null.</summary>
    public string? PolicyPath { get; }

    /// <summary>The service's name (<c>service</c>).</summary>
    public string Service { get; }

    /// <summary>
    /// The base availability target in percent (declared, or selected from the financial exposure): the one in force
    /// outside every peak. <see cref="AvailabilityAt"/> gives the one in force at an instant.
    /// </summary>
    public decimal AvailabilityTarget { get; }

    /// <summary>(1 − base target) × 168 h, from <see cref="ManifestAvailability.TolerableUnavailabilityPerWeek"/>.</summary>
    public TimeSpan TolerableUnavailabilityPerWeek { get; }

    /// <summary>Who is on call in working hours (declared, or derived from the target).</summary>
    public OnCallLevel WorkingHoursOnCall { get; }

    /// <summary>Who is on call out of hours (declared, or derived from the target).</summary>
    public OnCallLevel OutOfHoursOnCall { get; }

    /// <summary>The share of requests that may fail at the base target: 1 − target/100 (0.001 for 99.9%).</summary>
    public double AllowedFailureRatio => (double)((100m - AvailabilityTarget) / 100m);

    /// <summary>
    /// The target in force at <paramref name="instant"/> (a declared peak's during its window, from inclusive, until
    /// exclusive; the base target otherwise), with the tolerable unavailability and on-call levels that follow from it.
    /// Pass <c>TimeProvider.GetUtcNow()</c> for now.
    /// </summary>
    public EffectiveAvailability AvailabilityAt(DateTimeOffset instant) => Manifest.TargetAt(instant, Policy)!;

    /// <summary>The share of requests that may fail at <paramref name="instant"/>: 1 − target/100 for the target then in force.</summary>
    internal double AllowedFailureRatioAt(DateTimeOffset instant) => (double)((100m - AvailabilityAt(instant).Target) / 100m);

    /// <summary>The dependency the manifest declares under <paramref name="name"/> (case-insensitive), or null.</summary>
    public ServiceDependency? FindDependency(string name)
    {
        foreach (ServiceDependency dependency in Manifest.Dependencies)
        {
            if (string.Equals(dependency.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return dependency;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="name"/> is an owned database or one of its connection-string names (case-insensitive).</summary>
    internal bool OwnsDatabaseOrConnectionString(string name)
    {
        foreach (OwnedDatabase database in Manifest.Databases)
        {
            if (string.Equals(database.Name, name, StringComparison.OrdinalIgnoreCase)
                || database.ConnectionStrings.Any(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The owned databases with their connection-string names, for messages.</summary>
    internal string DatabaseNamesForDisplay()
    {
        var names = new List<string>();
        foreach (OwnedDatabase database in Manifest.Databases)
        {
            names.Add("'" + database.Name + "' (" + string.Join(", ", database.ConnectionStrings.Select(c => "'" + c + "'")) + ")");
        }

        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>The declared dependency names, for messages.</summary>
    internal string DependencyNamesForDisplay()
    {
        var names = new List<string>();
        foreach (ServiceDependency dependency in Manifest.Dependencies)
        {
            names.Add("'" + dependency.Name + "'");
        }

        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}

/// <summary>Finds, reads and validates the manifest once; start-up validation reports its problems.</summary>
internal sealed class ManifestSource
{
    internal const string DefaultFileName = "operability.json";

    internal const string PolicyFileName = "operability.organisation.json";

    private readonly Lazy<Loaded> _loaded;

    public ManifestSource(IOptionsMonitor<OperabilityOptions> options, IHostEnvironment environment)
    {
        _loaded = new Lazy<Loaded>(() => Load(options.CurrentValue.ManifestPath, environment.ContentRootPath, options.CurrentValue.PolicyPath));
    }

    /// <summary>Problems that stop the service from starting; empty when the manifest is usable.</summary>
    public IReadOnlyList<string> Problems => _loaded.Value.Problems;

    /// <summary>Diagnostics that do not stop the service (a target that differs from the exposure's band).</summary>
    public IReadOnlyList<string> Warnings => _loaded.Value.Warnings;

    /// <summary>The manifest; throws <see cref="OperabilityStartupException"/> when it is unusable.</summary>
    public OperabilityManifest Manifest => _loaded.Value.Manifest ?? throw new OperabilityStartupException(_loaded.Value.Problems);

    internal static Loaded Load(string? configuredPath, string contentRoot, string? configuredPolicyPath = null)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        (OrganisationPolicy? policy, string? policyPath) = LoadPolicy(configuredPolicyPath, contentRoot, problems);
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            candidates.Add(System.IO.Path.GetFullPath(configuredPath, contentRoot));
        }
        else
        {
            candidates.Add(System.IO.Path.GetFullPath(DefaultFileName, contentRoot));
            string besideAssemblies = System.IO.Path.GetFullPath(DefaultFileName, AppContext.BaseDirectory);
            if (!string.Equals(besideAssemblies, candidates[0], StringComparison.Ordinal))
            {
                candidates.Add(besideAssemblies);
            }
        }

        string? path = candidates.Find(File.Exists);
        if (path is null)
        {
            string where = string.Join(" or ", candidates.ConvertAll(c => "'" + c + "'"));
            problems.Add(string.IsNullOrWhiteSpace(configuredPath)
                ? "The service manifest was not found at " + where + ". Put operability.json in the content root, or set Operability:ManifestPath (environment variable Operability__ManifestPath)."
                : "The service manifest named by Operability:ManifestPath ('" + configuredPath + "') was not found at " + where + ".");
            return new Loaded(null, problems, warnings);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add("The service manifest '" + path + "' cannot be read: " + ex.Message);
            return new Loaded(null, problems, warnings);
        }

        if (problems.Count > 0)
        {
            // A broken policy is never replaced by the playbook's values: the manifest would be judged by other numbers.
            return new Loaded(null, problems, warnings);
        }

        ManifestParseResult result = ManifestParser.Parse(text, policy);
        foreach (ManifestDiagnostic diagnostic in result.Diagnostics)
        {
            string line = path + "(" + diagnostic.Position + "): " + diagnostic.Kind + ": " + diagnostic.Message;
            if (diagnostic.Kind == ManifestDiagnosticKind.AvailabilityMismatch)
            {
                warnings.Add(line);
            }
            else
            {
                problems.Add(line);
            }
        }

        if (problems.Count == 0 && (result.Manifest?.Service is null || result.Manifest.AvailabilityTarget is null))
        {
            problems.Add(path + ": the manifest names no service or no availability target.");
        }

        return problems.Count > 0
            ? new Loaded(null, problems, warnings)
            : new Loaded(new OperabilityManifest(path, result.Manifest!, policy, policyPath), problems, warnings);
    }

    /// <summary>
    /// The organisation policy: the file <c>Operability:PolicyPath</c> names (it must exist), or else
    /// <c>operability.organisation.json</c> in the content root or beside the assemblies when one is there. No upward
    /// search: a deployed service sees only what was deployed with it.
    /// </summary>
    private static (OrganisationPolicy? Policy, string? Path) LoadPolicy(string? configuredPath, string contentRoot, List<string> problems)
    {
        string? path;
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            path = System.IO.Path.GetFullPath(configuredPath, contentRoot);
            if (!File.Exists(path))
            {
                problems.Add("The organisation policy named by Operability:PolicyPath ('" + configuredPath + "') was not found at '" + path + "'.");
                return (null, null);
            }
        }
        else
        {
            path = new[] { System.IO.Path.GetFullPath(PolicyFileName, contentRoot), System.IO.Path.GetFullPath(PolicyFileName, AppContext.BaseDirectory) }
                .FirstOrDefault(File.Exists);
            if (path is null)
            {
                return (null, null);
            }
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add("The organisation policy '" + path + "' cannot be read: " + ex.Message);
            return (null, null);
        }

        OrganisationPolicyParseResult result = OrganisationPolicyParser.Parse(text);
        foreach (ManifestDiagnostic diagnostic in result.Diagnostics)
        {
            if (diagnostic.Kind != ManifestDiagnosticKind.PolicyWarning)
            {
                problems.Add(path + "(" + diagnostic.Position + "): " + diagnostic.Kind + ": " + diagnostic.Message);
            }
        }

        if (result.Policy is null && problems.Count == 0)
        {
            problems.Add(path + ": the organisation policy is not usable.");
        }

        return (result.Policy, path);
    }

    internal sealed record Loaded(OperabilityManifest? Manifest, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings);
}
