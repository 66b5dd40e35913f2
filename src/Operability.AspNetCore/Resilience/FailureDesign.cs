using System;
using System.Collections.Generic;
using System.Net.Http;
using Polly;

namespace Operability.AspNetCore.Resilience;

/// <summary>
/// A fallback the service registered for one dependency with <c>AddOperabilityFallback</c>: the answer its
/// pipeline gives when the call fails. The only fallback the runtime can see, so the only one it reports.
/// </summary>
internal sealed record DependencyFallback(string Dependency, Func<Outcome<HttpResponseMessage>, HttpResponseMessage> Respond);

/// <summary>The registered fallbacks by dependency name; the last registration for a name wins.</summary>
internal sealed class DependencyFallbacks
{
    private readonly Dictionary<string, Func<Outcome<HttpResponseMessage>, HttpResponseMessage>> _byName = new(StringComparer.OrdinalIgnoreCase);

    public DependencyFallbacks(IEnumerable<DependencyFallback> fallbacks)
    {
        foreach (DependencyFallback fallback in fallbacks)
        {
            _byName[fallback.Dependency] = fallback.Respond;
        }
    }

    public Func<Outcome<HttpResponseMessage>, HttpResponseMessage>? Find(string dependency) =>
        _byName.TryGetValue(dependency, out Func<Outcome<HttpResponseMessage>, HttpResponseMessage>? respond) ? respond : null;
}

/// <summary>One dependency's failure design: what its pipeline runs with (or will, at first use).</summary>
internal sealed record DependencyFailureDesign(string Name, DependencySettings Settings, bool Fallback)
{
    /// <summary>
    /// The playbook's failure-design elements, present or not. Timeout and circuit breaker are always present (every
    /// dependency's pipeline has them); retries when more than 0; the bulkhead always (its limit is at least 1).
    /// </summary>
    public IEnumerable<(string Element, bool Present)> Elements()
    {
        yield return ("timeout", true);
        yield return ("retries", Settings.Retries > 0);
        yield return ("circuit_breaker", true);
        yield return ("bulkhead", Settings.BulkheadPermitLimit > 0);
        yield return ("fallback", Fallback);
    }
}

/// <summary>
/// Failure design per declared dependency, for <c>/operability</c> and the metrics: the settings a built pipeline
/// was built with, else those it would be built with now (configuration as last validated).
/// </summary>
internal sealed class FailureDesign
{
    private readonly OperabilityManifest _manifest;
    private readonly DependencyStates _states;
    private readonly DependencyConfiguration _configuration;
    private readonly DependencyFallbacks _fallbacks;

    public FailureDesign(OperabilityManifest manifest, DependencyStates states, DependencyConfiguration configuration, DependencyFallbacks fallbacks)
    {
        _manifest = manifest;
        _states = states;
        _configuration = configuration;
        _fallbacks = fallbacks;
    }

    public IEnumerable<DependencyFailureDesign> All()
    {
        foreach (Operability.Manifest.ServiceDependency dependency in _manifest.Manifest.Dependencies)
        {
            yield return For(dependency);
        }
    }

    public DependencyFailureDesign For(Operability.Manifest.ServiceDependency dependency)
    {
        DependencySettings settings = _states.Find(dependency.Name)?.BuiltWith
            ?? DependencySettings.Resolve(_manifest, dependency, _configuration.Find(dependency.Name));
        return new DependencyFailureDesign(dependency.Name, settings, _fallbacks.Find(dependency.Name) is not null);
    }
}
