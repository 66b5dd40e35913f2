namespace Operability.Analyzers
{
    /// <summary>Diagnostic categories, one per rule family.</summary>
    public static class RuleCategories
    {
        public const string Timeouts = "Operability.Timeouts";
        public const string DatabaseOwnership = "Operability.DatabaseOwnership";
        public const string ServiceOwnership = "Operability.ServiceOwnership";
        public const string FailureDesign = "Operability.FailureDesign";
        public const string Baseline = "Operability.Baseline";
    }
}
