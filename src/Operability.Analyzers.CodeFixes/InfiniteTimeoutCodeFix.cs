using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS102: replaces an infinite or disabled timeout with a bounded one — <c>TimeSpan.FromSeconds(30)</c>,
    /// <c>30</c> seconds or <c>30000</c> milliseconds, as the target expects. The number of seconds comes from
    /// <c>operability.OPS102.default_timeout_seconds</c> in <c>.editorconfig</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InfiniteTimeoutCodeFix)), Shared]
    public sealed class InfiniteTimeoutCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.BoundInfiniteTimeout";

        /// <summary><c>.editorconfig</c> key: the bounded timeout the fix writes, in seconds.</summary>
        public const string DefaultTimeoutOption = "operability.OPS102.default_timeout_seconds";

        public const int DefaultTimeoutSeconds = 30;


        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InfiniteTimeout);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            var seconds = ReadTimeoutSeconds(context.Document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, root.SyntaxTree);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(InfiniteTimeoutAnalyzer.UnitProperty, out var unit) || unit is null)
                {
                    continue;
                }

                var title = string.Format(CultureInfo.InvariantCulture, "Use a bounded timeout of {0} seconds", seconds);
                var document = context.Document;
                var span = diagnostic.Location.SourceSpan;
                context.RegisterCodeFix(
                    CodeAction.Create(title, token => ReplaceAsync(document, span, unit, seconds, token), EquivalenceKey),
                    diagnostic);
            }
        }

        /// <summary>The configured timeout in seconds; the default when the option is absent, not a number, or out of range.</summary>
        internal static int ReadTimeoutSeconds(AnalyzerConfigOptionsProvider provider, SyntaxTree tree) =>
            TimeoutOptions.Seconds(provider, tree, DefaultTimeoutOption, DefaultTimeoutSeconds);

        private static async Task<Document> ReplaceAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, string unit, int seconds, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var node = root.FindNode(span, getInnermostNodeForTie: true);
            var generator = SyntaxGenerator.GetGenerator(document);
            SyntaxNode replacement;
            if (unit == InfiniteTimeoutAnalyzer.UnitTimeSpan)
            {
                replacement = TimeoutSyntax.TimeSpanFromSeconds(seconds);
            }
            else
            {
                replacement = generator.LiteralExpression(unit == InfiniteTimeoutAnalyzer.UnitMilliseconds ? seconds * 1000 : seconds);
            }

            replacement = replacement
                .WithTriviaFrom(node)
                .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
            return document.WithSyntaxRoot(root.ReplaceNode(node, replacement));
        }
    }
}
