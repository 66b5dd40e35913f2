using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Availability;
using Operability.AspNetCore.Health;
using Operability.AspNetCore.Resilience;
using Operability.AspNetCore.Shutter;
using Operability.Manifest;
using ManifestAvailability = Operability.Manifest.Availability;

namespace Operability.AspNetCore.Endpoints;

/// <summary>
/// The <c>/operability</c> document: what the manifest declares (owner, contacts, target and what follows from
/// it), what this instance measured (availability over the rolling window, error budget left this week), circuit
/// and shutter states, and the version. Holds nothing the manifest does not already publish: no addresses,
/// no configuration values, no connection strings.
/// </summary>
internal sealed class OperabilityReport
{
    private readonly OperabilityManifest _manifest;
    private readonly AvailabilityRecorder _recorder;
    private readonly DependencyStates _dependencies;
    private readonly DatabaseProbes _databases;
    private readonly FailureDesign _failureDesign;
    private readonly ShutterState _shutter;
    private readonly TimeProvider _time;
    private readonly string _version;

    public OperabilityReport(OperabilityManifest manifest, AvailabilityRecorder recorder, DependencyStates dependencies, DatabaseProbes databases, FailureDesign failureDesign, ShutterState shutter, TimeProvider time, IHostEnvironment environment, IOptions<OperabilityOptions> options)
    {
        _databases = databases;
        _time = time;
        _failureDesign = failureDesign;
        _manifest = manifest;
        _recorder = recorder;
        _dependencies = dependencies;
        _shutter = shutter;
        _version = PublishedVersion(VersionOf(environment.ApplicationName), options.Value.Endpoints.PublishCommit);
    }

    /// <summary>
    /// The version the report shows: the informational version without its SemVer build metadata (<c>+commit</c>,
    /// which the SDK appends from source control) unless <paramref name="publishCommit"/>; a commit tells an
    /// attacker exactly which source, and which known fixes, the instance runs.
    /// </summary>
    internal static string PublishedVersion(string informationalVersion, bool publishCommit)
    {
        if (publishCommit)
        {
            return informationalVersion;
        }

        int plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        string version = plus < 0 ? informationalVersion : informationalVersion.Substring(0, plus);
        return version.Length == 0 ? "unknown" : version;
    }

    public byte[] Serialize()
    {
        ServiceManifest m = _manifest.Manifest;
        DateTimeOffset now = _time.GetUtcNow();
        EffectiveAvailability inForce = _manifest.AvailabilityAt(now);
        WindowMeasurement window = _recorder.Window();
        WeekMeasurement week = _recorder.ThisWeek();
        using var buffer = new MemoryStream(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("service", _manifest.Service);
            json.WriteString("owner", m.Owner);
            json.WriteStartObject("contacts");
            json.WriteString("onCall", m.OnCallContact);
            json.WriteString("chat", m.ChatChannel);
            json.WriteEndObject();
            json.WriteString("productDomain", m.ProductDomain);
            // The target in force now, and what follows from it; the base target beside it, so a reader sees the peak's raise.
            json.WriteNumber("availabilityTarget", inForce.Target);
            json.WriteNumber("baseAvailabilityTarget", _manifest.AvailabilityTarget);
            if (inForce.Peak is { } active)
            {
                json.WriteStartObject("activePeak");
                json.WriteString("name", active.Name);
                json.WriteString("from", active.From);
                json.WriteString("until", active.Until);
                json.WriteNumber("availabilityTarget", active.Target);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("activePeak");
            }

            WriteNextPeak(json, m, now);
            json.WriteStartObject("tolerableUnavailabilityPerWeek");
            json.WriteString("display", ManifestAvailability.FormatForDisplay(inForce.TolerableUnavailabilityPerWeek));
            json.WriteNumber("seconds", inForce.TolerableUnavailabilityPerWeek.TotalSeconds);
            json.WriteEndObject();
            json.WriteStartObject("onCall");
            json.WriteString("workingHours", Word(inForce.WorkingHoursOnCall));
            json.WriteString("outOfHours", Word(inForce.OutOfHoursOnCall));
            json.WriteEndObject();

            json.WriteStartObject("measuredAvailability");
            json.WriteString("window", window.Window.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("windowSeconds", window.Window.TotalSeconds);
            if (window.Availability is double ratio)
            {
                json.WriteNumber("ratio", ratio);
            }
            else
            {
                json.WriteNull("ratio");
            }

            json.WriteNumber("requests", window.Requests);
            json.WriteNumber("failures", window.Failures);
            json.WriteString("scope", "instance");
            json.WriteEndObject();

            json.WriteNumber("errorBudgetRemaining", week.ErrorBudgetRemaining);
            json.WriteStartObject("errorBudget");
            json.WriteString("weekStart", week.WeekStart);
            json.WriteNumber("requests", week.Requests);
            json.WriteNumber("failures", week.Failures);
            json.WriteNumber("allowedFailures", Math.Round(week.AllowedFailures, 3));
            json.WriteEndObject();

            json.WriteStartArray("dependencies");
            foreach (DependencyState dependency in _dependencies.All)
            {
                json.WriteStartObject();
                json.WriteString("name", dependency.Name);
                json.WriteBoolean("critical", dependency.Critical);
                json.WriteString("circuit", DependencyHealthCheck.CircuitName(dependency.Circuit));
                json.WriteNumber("circuitState", OperabilityMetrics.CircuitValue(dependency.Circuit));
                if (m.Dependencies.FirstOrDefault(d => string.Equals(d.Name, dependency.Name, StringComparison.OrdinalIgnoreCase)) is { } declared)
                {
                    WriteFailureDesign(json, _failureDesign.For(declared));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();

            // Which readiness check asks each owned database: names only, never an address or a connection string.
            json.WriteStartArray("databases");
            foreach (DatabaseProbe database in _databases.All)
            {
                json.WriteStartObject();
                json.WriteString("name", database.Database);
                json.WriteString("connectionString", database.ConnectionStringName);
                json.WriteString("check", database.Check);
                json.WriteString("source", database.Source);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartObject("shutter");
            json.WriteBoolean("engaged", _shutter.IsEngaged);
            json.WriteStartArray("sources");
            foreach (ShutterSources source in new[] { ShutterSources.Configuration, ShutterSources.Automatic, ShutterSources.Manual })
            {
                if (_shutter.Sources.HasFlag(source))
                {
                    json.WriteStringValue(source.ToString().ToLowerInvariant());
                }
            }

            json.WriteEndArray();
            if (_shutter.IsEngaged && _shutter.ExpectedBackAt is { } back)
            {
                json.WriteString("expectedBackAt", back);
            }

            json.WriteEndObject();
            json.WriteString("version", _version);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The first peak that starts after <paramref name="now"/>, so operators see the next raise coming; null when none.</summary>
    private static void WriteNextPeak(Utf8JsonWriter json, ServiceManifest manifest, DateTimeOffset now)
    {
        AvailabilityPeak? next = null;
        foreach (AvailabilityPeak peak in manifest.Peaks)
        {
            if (peak.From > now && (next is null || peak.From < next.From))
            {
                next = peak;
            }
        }

        if (next is null)
        {
            json.WriteNull("nextPeak");
            return;
        }

        json.WriteStartObject("nextPeak");
        json.WriteString("name", next.Name);
        json.WriteString("from", next.From);
        json.WriteString("until", next.Until);
        json.WriteNumber("availabilityTarget", next.Target);
        json.WriteEndObject();
    }

    /// <summary>The playbook's failure-design measure: numbers that describe the design, never addresses or paths.</summary>
    private static void WriteFailureDesign(Utf8JsonWriter json, DependencyFailureDesign design)
    {
        DependencySettings s = design.Settings;
        json.WriteStartObject("failureDesign");
        json.WriteStartObject("timeout");
        json.WriteBoolean("present", true);
        json.WriteNumber("totalSeconds", s.TotalTimeout.TotalSeconds);
        json.WriteNumber("attemptSeconds", s.AttemptTimeout.TotalSeconds);
        json.WriteString("source", s.TotalTimeoutFromManifest ? "manifest" : "default");
        json.WriteEndObject();
        json.WriteStartObject("retries");
        json.WriteBoolean("present", s.Retries > 0);
        json.WriteNumber("count", s.Retries);
        json.WriteString("methods", "idempotent");
        json.WriteEndObject();
        json.WriteStartObject("circuitBreaker");
        json.WriteBoolean("present", true);
        json.WriteNumber("failureRatio", s.FailureRatio);
        json.WriteNumber("minimumThroughput", s.MinimumThroughput);
        json.WriteNumber("samplingSeconds", s.SamplingDuration.TotalSeconds);
        json.WriteNumber("breakSeconds", s.BreakDuration.TotalSeconds);
        json.WriteEndObject();
        json.WriteStartObject("bulkhead");
        json.WriteBoolean("present", s.BulkheadPermitLimit > 0);
        json.WriteNumber("permitLimit", s.BulkheadPermitLimit);
        json.WriteNumber("queueLimit", s.BulkheadQueueLimit);
        json.WriteEndObject();
        json.WriteStartObject("fallback");
        json.WriteBoolean("present", design.Fallback);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Word(OnCallLevel level) => level switch
    {
        OnCallLevel.None => "none",
        OnCallLevel.Domain => "domain",
        _ => "team",
    };

    private static string VersionOf(string applicationName)
    {
        Assembly? assembly = null;
        try
        {
            assembly = string.IsNullOrEmpty(applicationName) ? null : Assembly.Load(new AssemblyName(applicationName));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            assembly = null;
        }

        assembly ??= Assembly.GetEntryAssembly();
        return assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly?.GetName().Version?.ToString()
            ?? "unknown";
    }
}
