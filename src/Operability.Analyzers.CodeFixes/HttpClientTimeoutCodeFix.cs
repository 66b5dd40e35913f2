using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS101: adds <c>Timeout = TimeSpan.FromSeconds(n)</c> to the client's object initializer (creating one
    /// when there is none), with <c>n</c> from <c>operability.OPS101.default_timeout_seconds</c> (default 30).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HttpClientTimeoutCodeFix)), Shared]
    public sealed class HttpClientTimeoutCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.SetHttpClientTimeout";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HttpClientWithoutTimeout);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var creation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                    .FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>();
                if (creation is null
                    || (creation.Initializer is { } initializer && !initializer.IsKind(SyntaxKind.ObjectInitializerExpression))
                    || (creation.Initializer is null && creation.ArgumentList is null))
                {
                    continue;
                }

                diagnostic.Properties.TryGetValue(HttpClientTimeoutAnalyzer.TimeoutSecondsProperty, out var configured);
                var seconds = HttpClientTimeoutAnalyzer.ParseTimeoutSeconds(configured);
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        string.Format(CultureInfo.InvariantCulture, "Set Timeout to {0} seconds", seconds),
                        cancellationToken => AddTimeoutAsync(document, creation, seconds, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> AddTimeoutAsync(Document document, BaseObjectCreationExpressionSyntax creation, int seconds, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            return document.WithSyntaxRoot(root.ReplaceNode(creation, WithTimeout(creation, TimeoutAssignment(seconds))));
        }

        /// <summary><c>Timeout = TimeSpan.FromSeconds(n)</c>, written fully qualified and simplified against the file's usings.</summary>
        private static ExpressionSyntax TimeoutAssignment(int seconds)
        {
            var fromSeconds = TimeoutSyntax.TimeSpanFromSeconds(seconds);
            return SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName("Timeout").WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                fromSeconds);
        }

        private static BaseObjectCreationExpressionSyntax WithTimeout(BaseObjectCreationExpressionSyntax creation, ExpressionSyntax timeout)
        {
            var initializer = creation.Initializer;
            if (initializer is null)
            {
                // new HttpClient(handler) → new HttpClient(handler) { Timeout = ... }, trailing trivia moved after the braces.
                var created = SyntaxFactory.InitializerExpression(
                        SyntaxKind.ObjectInitializerExpression,
                        SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space),
                        SyntaxFactory.SingletonSeparatedList(timeout.WithTrailingTrivia(SyntaxFactory.Space)),
                        SyntaxFactory.Token(SyntaxKind.CloseBraceToken))
                    .WithTrailingTrivia(creation.GetTrailingTrivia());
                return creation.WithoutTrailingTrivia().WithInitializer(created);
            }

            return creation.WithInitializer(initializer.WithExpressions(Append(initializer.Expressions, timeout)));
        }

        /// <summary>Appends an initializer member in the layout of the existing ones: same line, or a line of its own.</summary>
        private static SeparatedSyntaxList<ExpressionSyntax> Append(SeparatedSyntaxList<ExpressionSyntax> members, ExpressionSyntax added)
        {
            if (members.Count == 0)
            {
                return SyntaxFactory.SingletonSeparatedList(added.WithTrailingTrivia(SyntaxFactory.Space));
            }

            var last = members[members.Count - 1];
            var indentation = Indentation(last.GetLeadingTrivia());
            var list = SyntaxFactory.NodeOrTokenList(members.GetWithSeparators());

            if (members.SeparatorCount == members.Count)
            {
                // A trailing comma stays trailing: "A = 1,⏎}" → "A = 1,⏎    Timeout = ...,⏎}".
                var separator = members.GetSeparator(members.Count - 1);
                list = list.Add(added.WithLeadingTrivia(indentation))
                    .Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(WhitespaceOnly(separator.TrailingTrivia)));
                return SyntaxFactory.SeparatedList<ExpressionSyntax>(list);
            }

            // The last member's trailing trivia (a comment, the line break) stays with it, after the new comma.
            var lastTrailing = last.GetTrailingTrivia();
            var lineBreak = LineBreak(lastTrailing);
            list = list.RemoveAt(list.Count - 1).Add(last.WithoutTrailingTrivia());
            if (lineBreak is { } eol)
            {
                list = list.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastTrailing))
                    .Add(added.WithLeadingTrivia(indentation).WithTrailingTrivia(eol));
            }
            else
            {
                list = list.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space))
                    .Add(added.WithTrailingTrivia(lastTrailing));
            }

            return SyntaxFactory.SeparatedList<ExpressionSyntax>(list);
        }

        /// <summary>The whitespace that ends <paramref name="leading"/>: the member's indentation, without comments above it.</summary>
        private static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
        {
            var start = leading.Count;
            while (start > 0 && leading[start - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                start--;
            }

            var indentation = SyntaxFactory.TriviaList();
            for (var i = start; i < leading.Count; i++)
            {
                indentation = indentation.Add(leading[i]);
            }

            return indentation;
        }

        private static SyntaxTrivia? LineBreak(SyntaxTriviaList trivia)
        {
            foreach (var item in trivia)
            {
                if (item.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    return item;
                }
            }

            return null;
        }

        private static SyntaxTriviaList WhitespaceOnly(SyntaxTriviaList trivia)
        {
            var kept = SyntaxFactory.TriviaList();
            foreach (var item in trivia)
            {
                if (item.IsKind(SyntaxKind.WhitespaceTrivia) || item.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    kept = kept.Add(item);
                }
            }

            return kept.Count == 0 ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : kept;
        }
    }
}
