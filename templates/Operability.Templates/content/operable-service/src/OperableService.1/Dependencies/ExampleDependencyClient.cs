using Polly;

namespace OperableService._1.Dependencies;

/// <summary>
/// Calls example-dependency. The <see cref="HttpClient"/> comes from <c>AddOperabilityClient</c> in
/// Program.cs, so every call runs under the dependency's total timeout (operability.json), attempt
/// timeouts, retries of idempotent requests and a circuit breaker.
/// </summary>
public sealed class ExampleDependencyClient(HttpClient httpClient)
{
    /// <summary>
    /// Reads example-dependency's status (GET status). Returns null when the dependency is unavailable:
    /// it timed out, failed, or its circuit is open; callers degrade instead of failing.
    /// </summary>
    public async Task<string?> TryGetStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClient.GetAsync(new Uri("status", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadAsStringAsync(cancellationToken)
                : null;
        }
        catch (ExecutionRejectedException)
        {
            // A timeout or an open circuit: the resilience pipeline gave up on purpose.
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
