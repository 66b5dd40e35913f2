using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>
    /// Where the timeout rules (OPS1xx) apply. They are off in test projects — tests wait on
    /// purpose and build clients by hand — unless <c>operability.timeouts.include_test_projects = true</c>
    /// is set globally (a global config) or for the file (<c>.editorconfig</c>).
    /// </summary>
    internal sealed class TimeoutRuleScope
    {
        private readonly AnalyzerConfigOptionsProvider _options;
        private readonly bool _everywhere;

        private TimeoutRuleScope(AnalyzerConfigOptionsProvider options, bool everywhere)
        {
            _options = options;
            _everywhere = everywhere;
        }

        public static TimeoutRuleScope For(AnalyzerOptions options, Compilation compilation)
        {
            var provider = options.AnalyzerConfigOptionsProvider;
            var global = provider.GlobalOptions;
            var everywhere = !ProjectFacts.From(global, compilation).IsTestProject || TimeoutOptions.IncludeTestProjects(global);
            return new TimeoutRuleScope(provider, everywhere);
        }

        /// <summary>Whether the rules apply to code in <paramref name="tree"/>. Cheap when the project is not a test project.</summary>
        public bool AppliesTo(SyntaxTree? tree) =>
            _everywhere || (tree is not null && TimeoutOptions.IncludeTestProjects(_options.GetOptions(tree)));
    }
}
