using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Operability.AspNetCore.Configuration;

/// <summary>
/// Reads the <c>Operability</c> section into <see cref="OperabilityOptions"/>. Written by hand rather than with the
/// configuration binder so that every bad value and every unknown key (a typo such as <c>Enable</c> would
/// otherwise be a silent default) becomes a problem naming the key, its environment-variable form and what is
/// accepted. Never throws: problems are collected and reported at start, or logged on reload.
/// </summary>
internal sealed class OperabilityConfigurationReader : IConfigureOptions<OperabilityOptions>
{
    private readonly IConfiguration _configuration;

    public OperabilityConfigurationReader(IConfiguration configuration)
    {
        _configuration = configuration;
    }

    public void Configure(OperabilityOptions options)
    {
        IConfigurationSection root = _configuration.GetSection(OperabilityOptions.SectionName);
        var reader = new SectionReader(options.Problems);
        foreach (IConfigurationSection child in root.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "MANIFESTPATH":
                    options.ManifestPath = reader.String(child) ?? options.ManifestPath;
                    break;
                case "POLICYPATH":
                    options.PolicyPath = reader.String(child) ?? options.PolicyPath;
                    break;
                case "SHUTTER":
                    ReadShutter(child, options.Shutter, reader);
                    break;
                case "HEALTH":
                    ReadHealth(child, options.Health, reader);
                    break;
                case "ENDPOINTS":
                    ReadEndpoints(child, options.Endpoints, reader);
                    break;
                case "AVAILABILITY":
                    ReadAvailability(child, options.Availability, reader);
                    break;
                case "DEPENDENCIES":
                    foreach (IConfigurationSection dependency in child.GetChildren())
                    {
                        if (!options.Dependencies.TryGetValue(dependency.Key, out DependencyOptions? dependencyOptions))
                        {
                            dependencyOptions = new DependencyOptions();
                            options.Dependencies[dependency.Key] = dependencyOptions;
                        }

                        ReadDependency(dependency, dependencyOptions, reader);
                    }

                    break;
                default:
                    reader.Unknown(child, "ManifestPath, PolicyPath, Shutter, Health, Endpoints, Availability, Dependencies");
                    break;
            }
        }
    }

    private static void ReadShutter(IConfigurationSection section, ShutterOptions shutter, SectionReader reader)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED": shutter.Enabled = reader.Boolean(child) ?? shutter.Enabled; break;
                case "MESSAGE": shutter.Message = reader.String(child) ?? shutter.Message; break;
                case "EXPECTEDBACKAT": shutter.ExpectedBackAt = reader.DateTime(child) ?? shutter.ExpectedBackAt; break;
                case "RETRYAFTERSECONDS": shutter.RetryAfterSeconds = reader.Integer(child) ?? shutter.RetryAfterSeconds; break;
                case "HELPURL": shutter.HelpUrl = reader.String(child) ?? shutter.HelpUrl; break;
                case "PAGEPATH": shutter.PagePath = reader.String(child) ?? shutter.PagePath; break;
                case "SERVICEDISPLAYNAME": shutter.ServiceDisplayName = reader.String(child) ?? shutter.ServiceDisplayName; break;
                case "LANGUAGE": shutter.Language = reader.String(child) ?? shutter.Language; break;
                case "AUTOENGAGE": shutter.AutoEngage = reader.Boolean(child) ?? shutter.AutoEngage; break;
                case "AUTOENGAGEAFTER": shutter.AutoEngageAfter = reader.Integer(child) ?? shutter.AutoEngageAfter; break;
                case "AUTODISENGAGEAFTER": shutter.AutoDisengageAfter = reader.Integer(child) ?? shutter.AutoDisengageAfter; break;
                case "AUTHORIZATIONPOLICY": shutter.AuthorizationPolicy = reader.String(child) ?? shutter.AuthorizationPolicy; break;
                default:
                    reader.Unknown(child, "Enabled, Message, ExpectedBackAt, RetryAfterSeconds, HelpUrl, PagePath, ServiceDisplayName, Language, AutoEngage, AutoEngageAfter, AutoDisengageAfter, AuthorizationPolicy");
                    break;
            }
        }
    }

    private static void ReadHealth(IConfigurationSection section, HealthOptions health, SectionReader reader)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "CACHESECONDS": health.CacheSeconds = reader.Number(child) ?? health.CacheSeconds; break;
                case "TIMEOUTSECONDS": health.TimeoutSeconds = reader.Number(child) ?? health.TimeoutSeconds; break;
                case "PROBEINTERVALSECONDS": health.ProbeIntervalSeconds = reader.Number(child) ?? health.ProbeIntervalSeconds; break;
                case "UNREADYAFTER": health.UnreadyAfter = reader.Integer(child) ?? health.UnreadyAfter; break;
                case "READYAFTER": health.ReadyAfter = reader.Integer(child) ?? health.ReadyAfter; break;
                default: reader.Unknown(child, "CacheSeconds, TimeoutSeconds, ProbeIntervalSeconds, UnreadyAfter, ReadyAfter"); break;
            }
        }
    }

    private static void ReadEndpoints(IConfigurationSection section, EndpointOptions endpoints, SectionReader reader)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "OPERABILITYAUTHORIZATIONPOLICY":
                    endpoints.OperabilityAuthorizationPolicy = reader.String(child) ?? endpoints.OperabilityAuthorizationPolicy;
                    break;
                case "ANONYMOUSREPORT":
                    endpoints.AnonymousReport = reader.Boolean(child) ?? endpoints.AnonymousReport;
                    break;
                case "PUBLISHCOMMIT":
                    endpoints.PublishCommit = reader.Boolean(child) ?? endpoints.PublishCommit;
                    break;
                case "OPERATIONALPATHS":
                    // A configured list replaces the default one, as a list in configuration is expected to.
                    var paths = new List<string>();
                    foreach (IConfigurationSection item in child.GetChildren())
                    {
                        if (reader.String(item) is { } path)
                        {
                            paths.Add(path);
                        }
                    }

                    if (child.Value is { Length: > 0 } single)
                    {
                        paths.Add(single);
                    }

                    endpoints.OperationalPaths.Clear();
                    foreach (string path in paths)
                    {
                        endpoints.OperationalPaths.Add(path);
                    }

                    break;
                default:
                    reader.Unknown(child, "OperabilityAuthorizationPolicy, AnonymousReport, PublishCommit, OperationalPaths");
                    break;
            }
        }
    }

    private static void ReadAvailability(IConfigurationSection section, AvailabilityOptions availability, SectionReader reader)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "WINDOW": availability.Window = reader.Duration(child) ?? availability.Window; break;
                case "ABANDONEDAFTER": availability.AbandonedAfter = reader.Duration(child) ?? availability.AbandonedAfter; break;
                default: reader.Unknown(child, "Window, AbandonedAfter"); break;
            }
        }
    }

    private static void ReadDependency(IConfigurationSection section, DependencyOptions dependency, SectionReader reader)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "BASEADDRESS": dependency.BaseAddress = reader.BaseAddress(child) ?? dependency.BaseAddress; break;
                case "ATTEMPTTIMEOUT": dependency.AttemptTimeout = reader.Duration(child) ?? dependency.AttemptTimeout; break;
                case "RETRIES": dependency.Retries = reader.Integer(child) ?? dependency.Retries; break;
                case "RETRYBASEDELAY": dependency.RetryBaseDelay = reader.Duration(child) ?? dependency.RetryBaseDelay; break;
                case "HEALTHPATH": dependency.HealthPath = reader.String(child) ?? dependency.HealthPath; break;
                case "CIRCUITBREAKER":
                    foreach (IConfigurationSection breaker in child.GetChildren())
                    {
                        switch (breaker.Key.ToUpperInvariant())
                        {
                            case "FAILURERATIO": dependency.FailureRatio = reader.Number(breaker) ?? dependency.FailureRatio; break;
                            case "MINIMUMTHROUGHPUT": dependency.MinimumThroughput = reader.Integer(breaker) ?? dependency.MinimumThroughput; break;
                            case "SAMPLINGDURATION": dependency.SamplingDuration = reader.Duration(breaker) ?? dependency.SamplingDuration; break;
                            case "BREAKDURATION": dependency.BreakDuration = reader.Duration(breaker) ?? dependency.BreakDuration; break;
                            default: reader.Unknown(breaker, "FailureRatio, MinimumThroughput, SamplingDuration, BreakDuration"); break;
                        }
                    }

                    break;
                case "BULKHEAD":
                    foreach (IConfigurationSection bulkhead in child.GetChildren())
                    {
                        switch (bulkhead.Key.ToUpperInvariant())
                        {
                            case "PERMITLIMIT": dependency.BulkheadPermitLimit = reader.Integer(bulkhead) ?? dependency.BulkheadPermitLimit; break;
                            case "QUEUELIMIT": dependency.BulkheadQueueLimit = reader.Integer(bulkhead) ?? dependency.BulkheadQueueLimit; break;
                            default: reader.Unknown(bulkhead, "PermitLimit, QueueLimit"); break;
                        }
                    }

                    break;
                default:
                    reader.Unknown(child, "BaseAddress, AttemptTimeout, Retries, RetryBaseDelay, HealthPath, CircuitBreaker, Bulkhead");
                    break;
            }
        }
    }

    /// <summary>Typed reads of one value; an empty value counts as unset (an environment variable set to nothing).</summary>
    private sealed class SectionReader
    {
        private readonly List<string> _problems;

        public SectionReader(List<string> problems)
        {
            _problems = problems;
        }

        public void Unknown(IConfigurationSection section, string known) =>
            _problems.Add(Describe(section) + " is not a known key; known keys here: " + known + ".");

        public string? String(IConfigurationSection section)
        {
            if (section.Value is null && HasChildren(section))
            {
                _problems.Add(Describe(section) + " is a section; a single value is expected.");
                return null;
            }

            return string.IsNullOrWhiteSpace(section.Value) ? null : section.Value.Trim();
        }

        public bool? Boolean(IConfigurationSection section)
        {
            string? value = String(section);
            if (value is null)
            {
                return null;
            }

            if (bool.TryParse(value, out bool result))
            {
                return result;
            }

            Bad(section, value, "true or false");
            return null;
        }

        public int? Integer(IConfigurationSection section)
        {
            string? value = String(section);
            if (value is null)
            {
                return null;
            }

            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int result))
            {
                return result;
            }

            Bad(section, value, "a whole number");
            return null;
        }

        public double? Number(IConfigurationSection section)
        {
            string? value = String(section);
            if (value is null)
            {
                return null;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result) && double.IsFinite(result))
            {
                return result;
            }

            Bad(section, value, "a number such as 2 or 0.5");
            return null;
        }

        public TimeSpan? Duration(IConfigurationSection section)
        {
            string? value = String(section);
            if (value is null)
            {
                return null;
            }

            // A bare number would parse as days ("2" is two days): require the clock form.
            if (value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan result))
            {
                return result;
            }

            Bad(section, value, "a duration as [d.]hh:mm:ss[.fff], e.g. 00:00:02 or 7.00:00:00");
            return null;
        }

        public DateTimeOffset? DateTime(IConfigurationSection section)
        {
            string? value = String(section);
            if (value is null)
            {
                return null;
            }

            if (TryParseInstant(value, out DateTimeOffset result))
            {
                return result;
            }

            Bad(section, value, "an ISO 8601 date and time with its offset, e.g. 2026-11-27T09:30:00Z");
            return null;
        }

        /// <summary>
        /// An absolute http(s) URL, or a service-discovery address (<c>https+http://payments</c>, <c>http+https://…</c>)
        /// that Microsoft.Extensions.ServiceDiscovery resolves inside the dependency's pipeline, per attempt.
        /// </summary>
        public Uri? BaseAddress(IConfigurationSection section)
        {
            string? value = String(section);
            if (value is null)
            {
                return null;
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == "https+http" || uri.Scheme == "http+https"))
            {
                return uri;
            }

            Bad(section, value, "an absolute http or https URL, or a service-discovery address such as https+http://payments");
            return null;
        }

        private void Bad(IConfigurationSection section, string value, string accepted) =>
            _problems.Add(Describe(section) + " is '" + value + "', which is not " + accepted + ".");

        private static bool HasChildren(IConfigurationSection section)
        {
            foreach (IConfigurationSection unused in section.GetChildren())
            {
                return true;
            }

            return false;
        }
    }

    /// <summary>
    /// An RFC 3339 date and time with its offset (<c>Z</c> or <c>±hh:mm</c>), e.g. <c>2026-11-27T09:30:00Z</c>; no
    /// culture-dependent forms, no offset-less local times.
    /// </summary>
    internal static bool TryParseInstant(string? value, out DateTimeOffset result) =>
        Manifest.Rfc3339.TryParse(value, out result);

    /// <summary>A key and its environment-variable form, as the docs name them.</summary>
    internal static string Describe(IConfigurationSection section) => Describe(section.Path);

    internal static string Describe(string path) => "'" + path + "' (environment variable " + path.Replace(":", "__", StringComparison.Ordinal) + ")";
}
