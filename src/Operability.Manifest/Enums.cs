namespace Operability.Manifest
{
    /// <summary>What kind of problem a <see cref="ManifestDiagnostic"/> reports; analyzers map kinds to rules.</summary>
    public enum ManifestDiagnosticKind
    {
        /// <summary>The text is not valid JSON (with comments and trailing commas tolerated). The manifest is unusable.</summary>
        Syntax,

        /// <summary>Valid JSON with a wrong shape: wrong types, unknown words, duplicates, invalid values.</summary>
        Structure,

        /// <summary>The owning team is missing, empty, not a string, or more than one team.</summary>
        Owner,

        /// <summary>The availability target is missing, in an unknown format, or out of range.</summary>
        AvailabilityTarget,

        /// <summary>The declared availability target differs from the one the exposure bands select (the organisation's, or the playbook's by default).</summary>
        AvailabilityMismatch,

        /// <summary>A problem across several manifests of an estate.</summary>
        Estate,

        /// <summary>An organisation policy contradicts itself or names what it does not define: the policy is unusable.</summary>
        Policy,

        /// <summary>An organisation policy is usable but something in it needs a look (e.g. a rota under three people).</summary>
        PolicyWarning,
    }

    /// <summary>Relative demand for new features. JSON words: <c>low</c>, <c>medium</c>, <c>high</c>, <c>very-high</c>.</summary>
    public enum FeatureDemand
    {
        /// <summary><c>low</c>: deploy monthly.</summary>
        Low,

        /// <summary><c>medium</c>: deploy fortnightly.</summary>
        Medium,

        /// <summary><c>high</c>: deploy weekly.</summary>
        High,

        /// <summary><c>very-high</c>: deploy daily.</summary>
        VeryHigh,
    }

    /// <summary>How often the service is deployed. JSON words: <c>monthly</c>, <c>fortnightly</c>, <c>weekly</c>, <c>daily</c>.</summary>
    public enum DeploymentTarget
    {
        /// <summary><c>monthly</c>.</summary>
        Monthly,

        /// <summary><c>fortnightly</c>.</summary>
        Fortnightly,

        /// <summary><c>weekly</c>.</summary>
        Weekly,

        /// <summary><c>daily</c>.</summary>
        Daily,
    }

    /// <summary>Who answers callouts in a period. JSON words: <c>none</c>, <c>domain</c>, <c>team</c>.</summary>
    public enum OnCallLevel
    {
        /// <summary><c>none</c>: callouts wait for the next working day.</summary>
        None,

        /// <summary><c>domain</c>: a schedule shared by the sibling teams of one product domain.</summary>
        Domain,

        /// <summary><c>team</c>: the team that builds the service.</summary>
        Team,
    }

    /// <summary>Who runs a service in production.</summary>
    public enum OperatingModel
    {
        /// <summary>The product team that builds the service deploys, operates and supports it.</summary>
        YouBuildItYouRunIt,

        /// <summary>A separate operations team runs the service.</summary>
        OpsRunIt,
    }
}
