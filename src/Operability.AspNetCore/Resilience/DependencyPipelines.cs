using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Operability.AspNetCore.Availability;
using Operability.Manifest;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace Operability.AspNetCore.Resilience;

/// <summary>
/// One resilience pipeline per declared dependency, built on first use and shared by every handler the
/// HttpClient factory creates for it, so the circuit's state outlives handler rotation. Outermost first: the
/// service's fallback (when it registered one), total timeout, bulkhead (a concurrency limiter with a queue),
/// retry (idempotent methods only, jittered exponential backoff), circuit breaker, attempt timeout — the order
/// of Microsoft.Extensions.Http.Resilience's standard handler, whose HTTP-aware options are used, with the
/// bulkhead inside the total timeout so that a queued call never waits past the dependency's budget, and outside
/// the retry so that one call holds one permit through all its attempts (in-flight requests never exceed it).
/// </summary>
internal sealed class DependencyPipelines
{
    private readonly ConcurrentDictionary<string, Lazy<ResiliencePipeline<HttpResponseMessage>>> _pipelines = new(StringComparer.OrdinalIgnoreCase);
    private readonly OperabilityManifest _manifest;
    private readonly DependencyStates _states;
    private readonly DependencyConfiguration _configuration;
    private readonly OperabilityMetrics _metrics;
    private readonly DependencyFallbacks _fallbacks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DependencyPipelines(
        OperabilityManifest manifest,
        DependencyStates states,
        DependencyConfiguration configuration,
        OperabilityMetrics metrics,
        DependencyFallbacks fallbacks,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        _manifest = manifest;
        _states = states;
        _configuration = configuration;
        _metrics = metrics;
        _fallbacks = fallbacks;
        _time = time;
        _logger = loggerFactory.CreateLogger("Operability.AspNetCore.Dependencies");
    }

    /// <summary>The settings of a declared dependency: its configuration as last validated, read now.</summary>
    public DependencySettings Settings(ServiceDependency dependency) =>
        DependencySettings.Resolve(_manifest, dependency, _configuration.Find(dependency.Name));

    /// <summary>
    /// The handler outside the pipeline that carries the total timeout on to the end of the body; one per handler
    /// chain (it holds no state between calls).
    /// </summary>
    public DelegatingHandler CreateDeadlineHandler(ServiceDependency dependency)
    {
        DependencySettings settings = Settings(dependency);
        DependencyState state = _states.Find(dependency.Name)!;
        return new ExchangeDeadlineHandler(settings.TotalTimeout, _time, () =>
        {
            _metrics.RecordTimeout(settings.Name, "total");
            state.RecordTimeout("total", settings.TotalTimeout);
        });
    }

    public ResiliencePipeline<HttpResponseMessage> Get(ServiceDependency dependency) =>
        _pipelines.GetOrAdd(dependency.Name, _ => new Lazy<ResiliencePipeline<HttpResponseMessage>>(() => Build(dependency))).Value;

    private ResiliencePipeline<HttpResponseMessage> Build(ServiceDependency dependency)
    {
        DependencySettings settings = Settings(dependency);
        DependencyState state = _states.Find(dependency.Name)!;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = "operability:" + dependency.Name,
            TimeProvider = _time,
        };

        if (_fallbacks.Find(dependency.Name) is { } fallback)
        {
            builder.AddFallback(new FallbackStrategyOptions<HttpResponseMessage>
            {
                Name = "fallback",
                // What the caller would otherwise degrade on: a call refused (open circuit, full bulkhead, timeout),
                // a connection that failed, or a server error that survived the retries.
                ShouldHandle = args => new ValueTask<bool>(
                    args.Outcome.Exception is ExecutionRejectedException or HttpRequestException
                    || (args.Outcome.Result is { } response && (int)response.StatusCode >= 500)),
                FallbackAction = args =>
                {
                    HttpResponseMessage answer = fallback(args.Outcome);
                    args.Outcome.Result?.Dispose();
                    args.Context.GetRequestMessage()?.Options.Set(ExchangeDeadlineHandler.AnsweredByFallback, true);
                    return Outcome.FromResultAsValueTask(answer);
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "total-timeout",
            Timeout = settings.TotalTimeout,
            OnTimeout = args =>
            {
                _metrics.RecordTimeout(settings.Name, "total");
                state.RecordTimeout("total", args.Timeout);
                DependencyTraceEvents.Timeout(settings.Name, "total", args.Timeout);
                return default;
            },
        });

        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = "bulkhead",
            DefaultRateLimiterOptions = new System.Threading.RateLimiting.ConcurrencyLimiterOptions
            {
                PermitLimit = settings.BulkheadPermitLimit,
                QueueLimit = settings.BulkheadQueueLimit,
                QueueProcessingOrder = System.Threading.RateLimiting.QueueProcessingOrder.OldestFirst,
            },
            OnRejected = _ =>
            {
                _metrics.RecordRejection(settings.Name, "bulkhead");
                state.RecordRejection(settings.BulkheadPermitLimit, settings.BulkheadQueueLimit);
                DependencyTraceEvents.Rejected(settings.Name, "bulkhead");
                return default;
            },
        });

        if (settings.Retries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = settings.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                // A Retry-After longer than the whole budget would only end in the total timeout.
                MaxDelay = settings.TotalTimeout,
                OnRetry = args =>
                {
                    DependencyTraceEvents.Retry(settings.Name, args.AttemptNumber + 1, args.RetryDelay, args.Outcome);
                    return default;
                },
            };

            // Only idempotent requests are repeated — an allow-list, so a POST, a PATCH or a custom method such as
            // PURGE, which may have been applied before its response was lost, never is.
            Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> transient = retry.ShouldHandle;
            retry.ShouldHandle = args =>
                args.Context.GetRequestMessage() is { } request && IsRetryable(request.Method) ? transient(args) : PredicateResult.False();
            builder.AddRetry(retry);
        }

        builder.AddStrategy(_ => new CircuitRejectionEvents(settings.Name), new CircuitRejectionEvents.Options());
        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "circuit-breaker",
            FailureRatio = settings.FailureRatio,
            MinimumThroughput = settings.MinimumThroughput,
            SamplingDuration = settings.SamplingDuration,
            BreakDuration = settings.BreakDuration,
            StateProvider = state.StateProvider,
            OnOpened = args =>
            {
                _logger.LogWarning(
                    "Circuit to dependency {Dependency} opened for {BreakDuration}: calls fail fast until a trial call succeeds (cause: {Cause})",
                    settings.Name,
                    args.BreakDuration,
                    DependencyTraceEvents.Cause(args.Outcome));
                DependencyTraceEvents.CircuitOpened(settings.Name, args.BreakDuration, args.Outcome);
                return default;
            },
            OnHalfOpened = _ =>
            {
                _logger.LogInformation("Circuit to dependency {Dependency} is half-open: the next call is a trial", settings.Name);
                return default;
            },
            OnClosed = _ =>
            {
                _logger.LogInformation("Circuit to dependency {Dependency} closed: calls flow again", settings.Name);
                return default;
            },
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "attempt-timeout",
            Timeout = settings.AttemptTimeout,
            OnTimeout = args =>
            {
                _metrics.RecordTimeout(settings.Name, "attempt");
                state.RecordTimeout("attempt", args.Timeout);
                DependencyTraceEvents.Timeout(settings.Name, "attempt", args.Timeout);
                return default;
            },
        });

        ResiliencePipeline<HttpResponseMessage> pipeline = builder.Build();
        state.MarkPipelineBuilt(settings);
        return pipeline;
    }

    /// <summary>The methods retried: GET, HEAD, OPTIONS, PUT, DELETE and TRACE (idempotent by RFC 9110).</summary>
    internal static bool IsRetryable(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;
}

/// <summary>
/// Gives every HttpClient whose name is a declared dependency its pipeline and base address. Applied by name
/// when the factory first builds a client, so a plain <c>IHttpClientFactory.CreateClient("payments")</c> and a
/// typed client registered with <c>AddOperabilityClient</c> get the same, shared pipeline.
/// </summary>
/// <remarks>
/// The pipeline is placed after every other configuration (a post-configuration), and it removes any other
/// <see cref="ResilienceHandler"/> first: Aspire's ServiceDefaults add <c>AddStandardResilienceHandler()</c> to
/// every client through <c>ConfigureHttpClientDefaults</c>, and two pipelines multiply retries and disagree about
/// when the dependency is down. Http.Resilience's own <c>RemoveAllResilienceHandlers()</c> is not enough: it acts
/// in registration order, so it would remove this pipeline too, or miss a handler added after it. Other handlers
/// (service discovery's resolver, logging, the service's own) stay, inside the pipeline, so every attempt resolves
/// its endpoint afresh.
/// </remarks>
internal sealed class DependencyClientConfiguration : IConfigureNamedOptions<HttpClientFactoryOptions>, IPostConfigureOptions<HttpClientFactoryOptions>
{
    private readonly ManifestSource _manifest;
    private readonly IServiceProvider _services;

    public DependencyClientConfiguration(ManifestSource manifest, IServiceProvider services)
    {
        _manifest = manifest;
        _services = services;
    }

    public void Configure(HttpClientFactoryOptions options)
    {
        // Unnamed clients are not dependencies.
    }

    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        if (Find(name) is not { } dependency)
        {
            return;
        }

        DependencySettings settings = Pipelines.Settings(dependency);
        options.HttpClientActions.Add(client =>
        {
            // The pipeline's total timeout (carried on to the body by the deadline handler) decides; HttpClient's own only backs it up.
            client.Timeout = settings.TotalTimeout + TimeSpan.FromSeconds(1);
            if (settings.BaseAddress is not null)
            {
                client.BaseAddress = settings.BaseAddress;
            }
        });
    }

    public void PostConfigure(string? name, HttpClientFactoryOptions options)
    {
        if (Find(name) is not { } dependency)
        {
            return;
        }

        DependencyPipelines pipelines = Pipelines;
        options.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            for (int i = handlers.AdditionalHandlers.Count - 1; i >= 0; i--)
            {
                if (handlers.AdditionalHandlers[i] is ResilienceHandler)
                {
                    handlers.AdditionalHandlers.RemoveAt(i);
                }
            }

            handlers.AdditionalHandlers.Insert(0, new ResilienceHandler(pipelines.Get(dependency)));
            handlers.AdditionalHandlers.Insert(0, pipelines.CreateDeadlineHandler(dependency));
        });
    }

    private DependencyPipelines Pipelines => (DependencyPipelines)_services.GetService(typeof(DependencyPipelines))!;

    private ServiceDependency? Find(string? name) =>
        string.IsNullOrEmpty(name) || _manifest.Problems.Count > 0 ? null : _manifest.Manifest.FindDependency(name);
}
