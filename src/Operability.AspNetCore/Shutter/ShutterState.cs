using System;
using System.Collections.Generic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Configuration;

namespace Operability.AspNetCore.Shutter;

/// <summary>Why the service is shuttered; several can hold at once.</summary>
[Flags]
internal enum ShutterSources
{
    /// <summary>Not shuttered.</summary>
    None = 0,

    /// <summary><c>Operability:Shutter:Enabled</c> is true (file, environment, ConfigMap).</summary>
    Configuration = 1,

    /// <summary>A critical dependency is unhealthy and <c>Operability:Shutter:AutoEngage</c> is on.</summary>
    Automatic = 2,

    /// <summary>An authorized <c>POST /operability/shutter</c> on this instance.</summary>
    Manual = 4,
}

/// <summary>
/// Whether this instance is shuttered, and what its users are told. Follows reloadable configuration: a valid
/// change applies at once; an invalid one is logged and the last valid settings stay (a typo during an incident
/// must not take the shutter down).
/// </summary>
internal sealed class ShutterState : IDisposable
{
    /// <summary>The largest <c>Retry-After</c> sent: a day, the bound of <c>RetryAfterSeconds</c>.</summary>
    internal const int MaxRetryAfterSeconds = 86400;

    private readonly OperabilityManifest _manifest;
    private readonly string _contentRoot;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private volatile ShutterSettings _settings;
    private volatile bool _automatic;
    private volatile ManualShutter? _manual;

    public ShutterState(
        IOptionsMonitor<OperabilityOptions> options,
        OperabilityManifest manifest,
        IHostEnvironment environment,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _manifest = manifest;
        _contentRoot = environment.ContentRootPath;
        _time = time;
        _logger = loggerFactory.CreateLogger("Operability.AspNetCore.Shutter");
        // Invalid settings are not thrown here: the start-up validator reports them with every other problem in
        // one exception. Until then (it runs before the server listens) the defaults stand in.
        _settings = Validate(options.CurrentValue, new List<string>())
            ?? OperabilityValidation.ValidateShutter(new ShutterOptions(), manifest, _contentRoot, new List<string>())!;
        if (_settings.Enabled)
        {
            _logger.LogWarning("Service {Service} starts shuttered by configuration (Operability:Shutter:Enabled)", _manifest.Service);
        }

        _subscription = options.OnChange(Reload);
    }

    public bool IsEngaged => _settings.Enabled || _automatic || _manual is not null;

    public ShutterSources Sources =>
        (_settings.Enabled ? ShutterSources.Configuration : ShutterSources.None)
        | (_automatic ? ShutterSources.Automatic : ShutterSources.None)
        | (_manual is not null ? ShutterSources.Manual : ShutterSources.None);

    public ShutterSettings Settings => _settings;

    /// <summary>The message users see: a manual shutter's own, else the configured one.</summary>
    public string Message => _manual?.Message ?? _settings.Message;

    /// <summary>When the service is expected back: a manual shutter's own, else the configured one.</summary>
    public DateTimeOffset? ExpectedBackAt => _manual?.ExpectedBackAt ?? _settings.ExpectedBackAt;

    /// <summary>Seconds until <see cref="ExpectedBackAt"/> when it is in the future, else the configured default.</summary>
    public int RetryAfterSeconds
    {
        get
        {
            if (ExpectedBackAt is { } back)
            {
                double seconds = Math.Ceiling((back - _time.GetUtcNow()).TotalSeconds);
                if (seconds >= 1)
                {
                    // As RetryAfterSeconds itself: a manual expectedBackAt years away must not tell clients to wait years.
                    return seconds > MaxRetryAfterSeconds ? MaxRetryAfterSeconds : (int)seconds;
                }
            }

            return _settings.RetryAfterSeconds;
        }
    }

    public void EngageManually(string? message, DateTimeOffset? expectedBackAt, string? by)
    {
        _manual = new ManualShutter(string.IsNullOrWhiteSpace(message) ? null : message, expectedBackAt);
        _logger.LogWarning("Service {Service} shuttered manually by {User} through POST /operability/shutter", _manifest.Service, by ?? "an authorized caller");
    }

    public bool DisengageManually(string? by)
    {
        bool was = _manual is not null;
        _manual = null;
        if (was)
        {
            _logger.LogWarning("Manual shutter of {Service} lifted by {User} through DELETE /operability/shutter", _manifest.Service, by ?? "an authorized caller");
        }

        return was;
    }

    public void SetAutomatic(bool engaged, string reason)
    {
        if (_automatic == engaged)
        {
            return;
        }

        _automatic = engaged;
        if (engaged)
        {
            _logger.LogError("Service {Service} shuttered automatically: {Reason}", _manifest.Service, reason);
        }
        else
        {
            _logger.LogWarning("Automatic shutter of {Service} lifted: {Reason}", _manifest.Service, reason);
        }
    }

    public void Dispose() => _subscription?.Dispose();

    private ShutterSettings? Validate(OperabilityOptions options, List<string> problems)
    {
        foreach (string problem in options.Problems)
        {
            if (problem.StartsWith("'Operability:Shutter", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(problem);
            }
        }

        ShutterSettings? settings = OperabilityValidation.ValidateShutter(options.Shutter, _manifest, _contentRoot, problems);
        return problems.Count == 0 ? settings : null;
    }

    private void Reload(OperabilityOptions options)
    {
        var problems = new List<string>();
        ShutterSettings? settings = Validate(options, problems);
        if (settings is { AutoEngage: true })
        {
            // Checked at start too; a reload that turns automatic shuttering on must not skip it.
            OperabilityValidation.ValidateAutoEngage(options, _manifest, problems);
            if (problems.Count > 0)
            {
                settings = null;
            }
        }

        if (settings is null)
        {
            _logger.LogError(
                "Shutter configuration change ignored, the previous settings stay in force: {Problems}",
                string.Join(" ", problems));
            return;
        }

        bool wasEnabled = _settings.Enabled;
        _settings = settings;
        if (settings.Enabled != wasEnabled)
        {
            if (settings.Enabled)
            {
                _logger.LogWarning("Service {Service} shuttered by configuration (Operability:Shutter:Enabled = true)", _manifest.Service);
            }
            else
            {
                _logger.LogWarning("Configuration shutter of {Service} lifted (Operability:Shutter:Enabled = false)", _manifest.Service);
            }
        }

        if (!settings.AutoEngage && _automatic)
        {
            SetAutomatic(false, "Operability:Shutter:AutoEngage was turned off");
        }
    }

    private sealed record ManualShutter(string? Message, DateTimeOffset? ExpectedBackAt);
}
