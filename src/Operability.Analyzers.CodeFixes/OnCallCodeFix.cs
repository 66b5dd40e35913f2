using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS310: replaces the declared on-call level in operability.json with the one the availability target calls
    /// for. Only the flagged string token changes; comments and formatting stay as the team wrote them.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OnCallCodeFix), DocumentKinds = new[] { nameof(TextDocumentKind.AdditionalDocument) }), Shared]
    public sealed class OnCallCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.DeclareOnCallTheTargetCallsFor";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.OnCallDiffersFromTarget);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var document = context.TextDocument;
            var text = await document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                var span = diagnostic.Location.SourceSpan;
                if (!diagnostic.Properties.TryGetValue(OrganisationPolicyRules.ExpectedOnCallProperty, out var word)
                    || string.IsNullOrEmpty(word)
                    || span.End > text.Length
                    || span.Length < 2
                    || text[span.Start] != '"'
                    || text[span.End - 1] != '"')
                {
                    continue;
                }

                var edited = text.WithChanges(new TextChange(span, "\"" + word + "\""));
                var solution = document.Project.Solution;
                var id = document.Id;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Declare \"" + word + "\", the on-call level the availability target calls for",
                        _ => Task.FromResult(solution.WithAdditionalDocumentText(id, edited)),
                        EquivalenceKey + "." + word),
                    diagnostic);
            }
        }
    }
}
