using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Resilience;
using Operability.AspNetCore.Shutter;
using Operability.Manifest;

namespace Operability.AspNetCore.Configuration;

/// <summary>The shutter as validated: what the middleware and the page use.</summary>
internal sealed record ShutterSettings(
    bool Enabled,
    string DisplayName,
    string Message,
    DateTimeOffset? ExpectedBackAt,
    int RetryAfterSeconds,
    string? HelpUrl,
    string Language,
    ShutterPageTemplate Template,
    bool AutoEngage,
    int AutoEngageAfter,
    int AutoDisengageAfter)
{
    public const string DefaultMessage = "We are working to restore it as quickly as we can.";

    /// <summary>When automatic shuttering engages and lifts.</summary>
    public Hysteresis AutoEngageHysteresis => new(AutoEngageAfter, AutoDisengageAfter);
}

/// <summary>Range and consistency checks over the final options (configuration, then code), with the manifest.</summary>
internal static partial class OperabilityValidation
{
    private const string ShutterKey = "Operability:Shutter:";

    /// <summary>Polly's largest timeout.</summary>
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromDays(1);

    /// <summary>Validates the shutter settings and loads the page template; null settings when there are problems.</summary>
    public static ShutterSettings? ValidateShutter(ShutterOptions shutter, OperabilityManifest manifest, string contentRoot, List<string> problems)
    {
        int before = problems.Count;
        if (shutter.RetryAfterSeconds is < 1 or > 86400)
        {
            problems.Add(Key(ShutterKey + "RetryAfterSeconds") + " is " + shutter.RetryAfterSeconds + "; use 1 to 86400 seconds.");
        }

        if (shutter.HelpUrl is { } help && !IsSafeLink(help))
        {
            problems.Add(Key(ShutterKey + "HelpUrl") + " is '" + help + "'; use an absolute http, https, mailto or tel URL, or a path on this site starting with '/'.");
        }

        if (!LanguageTag().IsMatch(shutter.Language ?? string.Empty))
        {
            problems.Add(Key(ShutterKey + "Language") + " is '" + shutter.Language + "'; use a language tag such as en or en-GB.");
        }

        if (shutter.Message is { Length: > 2000 })
        {
            problems.Add(Key(ShutterKey + "Message") + " is " + shutter.Message.Length + " characters long; keep it under 2000.");
        }

        ValidateObservations(shutter.AutoEngageAfter, ShutterKey + "AutoEngageAfter", problems);
        ValidateObservations(shutter.AutoDisengageAfter, ShutterKey + "AutoDisengageAfter", problems);

        ShutterPageTemplate? template = null;
        if (shutter.PagePath is { } pagePath)
        {
            string full = Path.GetFullPath(pagePath, contentRoot);
            if (!File.Exists(full))
            {
                problems.Add(Key(ShutterKey + "PagePath") + " names '" + full + "', which does not exist.");
            }
            else
            {
                try
                {
                    template = ShutterPageTemplate.Parse(File.ReadAllText(full), full, out IReadOnlyList<string> templateProblems);
                    foreach (string problem in templateProblems)
                    {
                        problems.Add(Key(ShutterKey + "PagePath") + ": " + problem);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems.Add(Key(ShutterKey + "PagePath") + " names '" + full + "', which cannot be read: " + ex.Message);
                }
            }
        }
        else
        {
            template = ShutterPageTemplate.BuiltIn();
        }

        if (problems.Count > before || template is null)
        {
            return null;
        }

        return new ShutterSettings(
            shutter.Enabled,
            string.IsNullOrWhiteSpace(shutter.ServiceDisplayName) ? manifest.Service : shutter.ServiceDisplayName!,
            string.IsNullOrWhiteSpace(shutter.Message) ? ShutterSettings.DefaultMessage : shutter.Message!,
            shutter.ExpectedBackAt,
            shutter.RetryAfterSeconds,
            shutter.HelpUrl,
            shutter.Language!,
            template,
            shutter.AutoEngage,
            shutter.AutoEngageAfter,
            shutter.AutoDisengageAfter);
    }

    /// <summary>Everything else: health, endpoints, availability window, dependencies against the manifest.</summary>
    public static void ValidateRest(OperabilityOptions options, OperabilityManifest manifest, List<string> problems)
    {
        ValidateHealth(options.Health, problems);
        ValidateEndpointsAndDependencies(options, manifest, problems);
        ValidateAutoEngage(options, manifest, problems);
    }

    /// <summary>The <c>Operability:Health</c> ranges; at start and on every reload.</summary>
    public static void ValidateHealth(HealthOptions health, List<string> problems)
    {
        if (health.CacheSeconds is < 0 or > 60 || double.IsNaN(health.CacheSeconds))
        {
            problems.Add(Key("Operability:Health:CacheSeconds") + " is " + Number(health.CacheSeconds) + "; use 0 (no cache) to 60 seconds.");
        }

        if (health.TimeoutSeconds is < 0.1 or > 60 || double.IsNaN(health.TimeoutSeconds))
        {
            problems.Add(Key("Operability:Health:TimeoutSeconds") + " is " + Number(health.TimeoutSeconds) + "; use 0.1 to 60 seconds.");
        }

        if (health.ProbeIntervalSeconds is < 1 or > 3600 || double.IsNaN(health.ProbeIntervalSeconds))
        {
            problems.Add(Key("Operability:Health:ProbeIntervalSeconds") + " is " + Number(health.ProbeIntervalSeconds) + "; use 1 to 3600 seconds.");
        }

        ValidateObservations(health.UnreadyAfter, "Operability:Health:UnreadyAfter", problems);
        ValidateObservations(health.ReadyAfter, "Operability:Health:ReadyAfter", problems);
    }

    /// <summary>A <see cref="Hysteresis"/> threshold: the shutter's and readiness's share one range.</summary>
    private static void ValidateObservations(int value, string key, List<string> problems)
    {
        if (value is < Hysteresis.MinimumObservations or > Hysteresis.MaximumObservations)
        {
            problems.Add(Key(key) + " is " + value + "; use " + Hysteresis.MinimumObservations + " to " + Hysteresis.MaximumObservations + " consecutive observations.");
        }
    }

    private static void ValidateEndpointsAndDependencies(OperabilityOptions options, OperabilityManifest manifest, List<string> problems)
    {
        for (int i = 0; i < options.Endpoints.OperationalPaths.Count; i++)
        {
            string path = options.Endpoints.OperationalPaths[i];
            if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains('?', StringComparison.Ordinal))
            {
                problems.Add(Key("Operability:Endpoints:OperationalPaths:" + i.ToString(CultureInfo.InvariantCulture)) + " is '" + path + "'; use a path starting with '/'.");
            }
        }

        TimeSpan window = options.Availability.Window;
        if (window < TimeSpan.FromMinutes(1) || window > TimeSpan.FromDays(31))
        {
            problems.Add(Key("Operability:Availability:Window") + " is " + window.ToString("c", CultureInfo.InvariantCulture) + "; use 00:01:00 to 31.00:00:00.");
        }

        TimeSpan abandonedAfter = options.Availability.AbandonedAfter;
        if (abandonedAfter < TimeSpan.FromSeconds(1) || abandonedAfter > TimeSpan.FromHours(1))
        {
            problems.Add(Key("Operability:Availability:AbandonedAfter") + " is " + Duration(abandonedAfter) + "; use 00:00:01 to 01:00:00.");
        }

        foreach (ServiceDependency declared in manifest.Manifest.Dependencies)
        {
            // Polly refuses timeouts over a day; the pipeline is built at first use, too late to say so clearly.
            if (declared.Timeout is { } declaredTimeout && declaredTimeout > MaximumTimeout)
            {
                problems.Add(manifest.Path + ": dependency '" + declared.Name + "' has timeout " + Duration(declaredTimeout) + "; use at most " + Duration(MaximumTimeout) + ".");
            }
        }

        ValidateDependencies(options, manifest, problems);
    }

    /// <summary>
    /// <c>Operability:Dependencies:&lt;name&gt;:*</c> against the manifest; at start and on every reload (the pipeline is
    /// built at first use, which may come after a reload).
    /// </summary>
    public static void ValidateDependencies(OperabilityOptions options, OperabilityManifest manifest, List<string> problems)
    {
        foreach (KeyValuePair<string, DependencyOptions> entry in options.Dependencies)
        {
            string prefix = "Operability:Dependencies:" + entry.Key + ":";
            ServiceDependency? dependency = manifest.FindDependency(entry.Key);
            if (dependency is null)
            {
                problems.Add(Key("Operability:Dependencies:" + entry.Key) + " names a dependency that " + manifest.Path
                    + " does not declare (declared: " + manifest.DependencyNamesForDisplay() + "). Declare it in the manifest's 'dependencies' or fix the name.");
                continue;
            }

            DependencyOptions configured = entry.Value;

            // Range-check before resolving: the attempt timeout's share divides by Retries + 1.
            if (configured.Retries is < 0 or > 10)
            {
                problems.Add(Key(prefix + "Retries") + " is " + configured.Retries + "; use 0 to 10.");
                continue;
            }

            DependencySettings settings = DependencySettings.Resolve(manifest, dependency, configured);

            if (configured.AttemptTimeout is { } attempt && (attempt < DependencySettings.MinimumTimeout || attempt > settings.TotalTimeout))
            {
                problems.Add(Key(prefix + "AttemptTimeout") + " is " + Duration(attempt) + "; use 00:00:00.010 up to the total timeout "
                    + Duration(settings.TotalTimeout) + (settings.TotalTimeoutFromManifest ? " declared in the manifest." : " (the default for the availability target)."));
            }

            if (configured.RetryBaseDelay is { } delay && (delay < TimeSpan.FromMilliseconds(1) || delay > TimeSpan.FromMinutes(1)))
            {
                problems.Add(Key(prefix + "RetryBaseDelay") + " is " + Duration(delay) + "; use 00:00:00.001 to 00:01:00.");
            }

            if (configured.FailureRatio is { } ratio && (ratio <= 0 || ratio > 1 || double.IsNaN(ratio)))
            {
                problems.Add(Key(prefix + "CircuitBreaker:FailureRatio") + " is " + Number(ratio) + "; use a ratio above 0 and at most 1.");
            }

            if (configured.MinimumThroughput is < 2)
            {
                problems.Add(Key(prefix + "CircuitBreaker:MinimumThroughput") + " is " + configured.MinimumThroughput + "; use 2 or more.");
            }

            if (configured.SamplingDuration is { } sampling && (sampling < TimeSpan.FromMilliseconds(500) || sampling > TimeSpan.FromDays(1)))
            {
                problems.Add(Key(prefix + "CircuitBreaker:SamplingDuration") + " is " + Duration(sampling) + "; use 00:00:00.500 to 1.00:00:00.");
            }

            if (configured.BreakDuration is { } breakDuration && (breakDuration < TimeSpan.FromMilliseconds(500) || breakDuration > TimeSpan.FromDays(1)))
            {
                problems.Add(Key(prefix + "CircuitBreaker:BreakDuration") + " is " + Duration(breakDuration) + "; use 00:00:00.500 to 1.00:00:00.");
            }

            if (configured.BulkheadPermitLimit is < 1 or > DependencyDefaults.MaximumBulkheadLimit)
            {
                problems.Add(Key(prefix + "Bulkhead:PermitLimit") + " is " + configured.BulkheadPermitLimit + "; use 1 to " + DependencyDefaults.MaximumBulkheadLimit + ".");
            }

            if (configured.BulkheadQueueLimit is < 0 or > DependencyDefaults.MaximumBulkheadLimit)
            {
                problems.Add(Key(prefix + "Bulkhead:QueueLimit") + " is " + configured.BulkheadQueueLimit + "; use 0 to " + DependencyDefaults.MaximumBulkheadLimit + ".");
            }

            if (configured.HealthPath is { } healthPath && !IsProbeTarget(healthPath))
            {
                problems.Add(Key(prefix + "HealthPath") + " is '" + healthPath + "'; use a path starting with '/' (relative to BaseAddress) or an absolute http(s) URL.");
            }
            else if (configured.HealthPath is { } relative && relative.StartsWith('/') && configured.BaseAddress is null)
            {
                problems.Add(Key(prefix + "HealthPath") + " is '" + relative + "', relative to a BaseAddress, but " + Key(prefix + "BaseAddress")
                    + " is not set, so every probe would fail; set BaseAddress or use an absolute http(s) URL.");
            }
        }
    }

    /// <summary>
    /// On a dependency reload: while automatic shuttering is on, a critical dependency keeps its probe (as
    /// <see cref="ValidateAutoEngage"/> requires at start), named by the dependency's own key.
    /// </summary>
    public static void ValidateProbesKeptForAutoEngage(OperabilityOptions options, OperabilityManifest manifest, List<string> problems)
    {
        if (!options.Shutter.AutoEngage)
        {
            return;
        }

        foreach (ServiceDependency dependency in manifest.Manifest.Dependencies)
        {
            options.Dependencies.TryGetValue(dependency.Name, out DependencyOptions? configured);
            if (dependency.Critical && string.IsNullOrWhiteSpace(configured?.HealthPath))
            {
                problems.Add(Key("Operability:Dependencies:" + dependency.Name + ":HealthPath") + " is '" + configured?.HealthPath + "' but "
                    + Key(ShutterKey + "AutoEngage") + " is true and '" + dependency.Name + "' is critical: without its probe the shutter could engage but never disengage.");
            }
        }
    }

    /// <summary>Automatic shuttering needs a probe per critical dependency; at start and when a reload turns it on.</summary>
    public static void ValidateAutoEngage(OperabilityOptions options, OperabilityManifest manifest, List<string> problems)
    {
        if (options.Shutter.AutoEngage)
        {
            bool anyCritical = false;
            foreach (ServiceDependency dependency in manifest.Manifest.Dependencies)
            {
                if (!dependency.Critical)
                {
                    continue;
                }

                anyCritical = true;
                options.Dependencies.TryGetValue(dependency.Name, out DependencyOptions? configured);
                if (string.IsNullOrWhiteSpace(configured?.HealthPath))
                {
                    problems.Add(Key(ShutterKey + "AutoEngage") + " is true but critical dependency '" + dependency.Name + "' has no "
                        + Key("Operability:Dependencies:" + dependency.Name + ":HealthPath") + " to probe: without probes the shutter could engage but never disengage.");
                }
            }

            if (!anyCritical)
            {
                problems.Add(Key(ShutterKey + "AutoEngage") + " is true but " + manifest.Path + " marks no dependency \"critical\": true, so it could never engage.");
            }
        }
    }

    internal static bool IsSafeLink(string link)
    {
        // Browsers read '\' as '/' and drop tabs and newlines, so "/\evil.example" or "/\t/evil.example" would be
        // a link to another site ("//evil.example"); neither belongs in a help link.
        foreach (char c in link)
        {
            if (c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        if (link.StartsWith('/'))
        {
            // A path on this site; "//host" has an authority and names another site.
            return !link.StartsWith("//", StringComparison.Ordinal);
        }

        return Uri.TryCreate(link, UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto || uri.Scheme == "tel");
    }

    private static bool IsProbeTarget(string path) =>
        (path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal))
        || (Uri.TryCreate(path, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    private static string Key(string path) => OperabilityConfigurationReader.Describe(path);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
