using Operability.AspNetCore.Resilience;

namespace Operability.AspNetCore.Health;

/// <summary>
/// How many consecutive observations of a dependency change a decision: <see cref="EngageAfter"/> unhealthy ones
/// to engage, <see cref="DisengageAfter"/> healthy ones to disengage. One rule for the automatic shutter
/// (<c>Operability:Shutter:AutoEngageAfter</c>/<c>AutoDisengageAfter</c>) and for readiness
/// (<c>Operability:Health:UnreadyAfter</c>/<c>ReadyAfter</c>), so a blip of one probe or one open circuit flips neither.
/// </summary>
internal readonly record struct Hysteresis(int EngageAfter, int DisengageAfter)
{
    /// <summary>The smallest threshold accepted, in consecutive observations.</summary>
    public const int MinimumObservations = 1;

    /// <summary>The largest threshold accepted, in consecutive observations.</summary>
    public const int MaximumObservations = 100;

    /// <summary>The dependency has been unhealthy long enough to engage.</summary>
    public bool Trips(DependencyState state) => state.ConsecutiveUnhealthy >= EngageAfter;

    /// <summary>The dependency has been healthy long enough to disengage.</summary>
    public bool Recovered(DependencyState state) => state.ConsecutiveHealthy >= DisengageAfter;

    /// <summary>The decision after an observation: engaged stays engaged until recovered; disengaged until it trips.</summary>
    public bool Next(bool engaged, int consecutiveUnhealthy, int consecutiveHealthy) =>
        engaged ? consecutiveHealthy < DisengageAfter : consecutiveUnhealthy >= EngageAfter;
}
