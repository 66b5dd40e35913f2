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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS104: adds <c>AddTimeout(TimeSpan.FromSeconds(n))</c> to a Polly v8 pipeline as its LAST strategy — just before
    /// <c>.Build()</c>, as a statement before the statement that builds a local builder, or at the end of the
    /// configuring lambda — with <c>n</c> from <c>operability.OPS104.default_timeout_seconds</c> (default 10).
    /// </summary>
    /// <remarks>
    /// The last strategy is the innermost one: the timeout then bounds each attempt, so a hung attempt fails with
    /// <c>TimeoutRejectedException</c>, which the retry retries and the circuit breaker counts. A timeout added first
    /// would bound the whole run instead: a hung first attempt would use all of it, nothing would be retried, and
    /// the breaker would only see a cancellation it ignores. Polly v7 policies get no fix: where the timeout goes
    /// in a wrap is a design choice.
    /// </remarks>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ResiliencePipelineCodeFix)), Shared]
    public sealed class ResiliencePipelineCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.AddPipelineTimeout";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ResiliencePipelineWithoutTimeout);

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
                diagnostic.Properties.TryGetValue(ResiliencePipelineAnalyzer.ShapeProperty, out var shape);
                diagnostic.Properties.TryGetValue(ResiliencePipelineAnalyzer.TimeoutSecondsProperty, out var configured);
                var seconds = ResiliencePipelineAnalyzer.ParseTimeoutSeconds(configured);
                var invocation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
                if (invocation is null)
                {
                    continue;
                }

                var newRoot = shape switch
                {
                    ResiliencePipelineAnalyzer.ShapeBuild => FixBuild(root, invocation, seconds),
                    ResiliencePipelineAnalyzer.ShapeLambda => FixLambda(root, invocation, seconds),
                    _ => null,
                };
                if (newRoot is null)
                {
                    continue;
                }

                var title = string.Format(CultureInfo.InvariantCulture, "Add a {0}-second timeout strategy", seconds);
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(document.WithSyntaxRoot(newRoot)), EquivalenceKey),
                    diagnostic);
            }
        }

        // 'b.Build()' as a statement's own call: 'b.AddTimeout(...);' before the statement; otherwise '.AddTimeout(...)' before '.Build()'.
        private static SyntaxNode? FixBuild(SyntaxNode root, InvocationExpressionSyntax build, int seconds)
        {
            if (build.Expression is not MemberAccessExpressionSyntax access)
            {
                return null;
            }

            if (access.Expression is IdentifierNameSyntax builder
                && build.FirstAncestorOrSelf<StatementSyntax>() is { } statement
                && (statement.Parent is BlockSyntax || statement.Parent is GlobalStatementSyntax))
            {
                var added = TimeoutStatement(builder.Identifier.ValueText, seconds, statement);
                return statement.Parent is GlobalStatementSyntax global
                    ? root.InsertNodesBefore(global, new[] { GlobalStatement(added) })
                    : root.InsertNodesBefore(statement, new[] { added });
            }

            return root.ReplaceNode(access.Expression, AppendTimeout(access.Expression, access.OperatorToken, seconds));
        }

        // The configuring lambda: a statement at the end of its block, or '.AddTimeout(...)' at the end of its expression.
        private static SyntaxNode? FixLambda(SyntaxNode root, InvocationExpressionSyntax registration, int seconds)
        {
            foreach (var argument in registration.ArgumentList.Arguments)
            {
                if (argument.Expression is not LambdaExpressionSyntax lambda)
                {
                    continue;
                }

                var parameter = lambda switch
                {
                    SimpleLambdaExpressionSyntax simple => simple.Parameter,
                    ParenthesizedLambdaExpressionSyntax parenthesized when parenthesized.ParameterList.Parameters.Count > 0 => parenthesized.ParameterList.Parameters[0],
                    _ => null,
                };
                if (parameter is null)
                {
                    return null;
                }

                if (lambda.Block is { Statements.Count: > 0 } block)
                {
                    var last = block.Statements[block.Statements.Count - 1];
                    return root.InsertNodesAfter(last, new[] { TimeoutStatement(parameter.Identifier.ValueText, seconds, last) });
                }

                if (lambda.ExpressionBody is InvocationExpressionSyntax body && body.Expression is MemberAccessExpressionSyntax lastCall)
                {
                    // 'b => b\n    .AddRetry(...)': the chain is one call per line, so the timeout gets its own line too.
                    var beforeDot = lastCall.OperatorToken.GetPreviousToken().TrailingTrivia;
                    var receiver = beforeDot.Any(SyntaxKind.EndOfLineTrivia)
                        ? body.WithoutTrailingTrivia().WithTrailingTrivia(LineBreak(beforeDot))
                        : body.WithoutTrailingTrivia();
                    var appended = AppendTimeout(receiver, lastCall.OperatorToken, seconds).WithTrailingTrivia(body.GetTrailingTrivia());
                    return root.ReplaceNode(body, appended);
                }

                return null;
            }

            return null;
        }

        // 'receiver.AddTimeout(TimeSpan.FromSeconds(n))', laid out like the chain's next call: on its own line when that one is.
        private static ExpressionSyntax AppendTimeout(ExpressionSyntax receiver, SyntaxToken nextDot, int seconds)
        {
            var lineBreak = receiver.GetTrailingTrivia();
            var dot = Token(SyntaxKind.DotToken).WithLeadingTrivia(nextDot.LeadingTrivia);
            var call = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, dot, IdentifierName("AddTimeout")),
                TimeoutArguments(seconds));
            return call.WithTrailingTrivia(lineBreak);
        }

        private static StatementSyntax TimeoutStatement(string builder, int seconds, StatementSyntax neighbour)
        {
            var call = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(builder), IdentifierName("AddTimeout")),
                TimeoutArguments(seconds));
            return ExpressionStatement(call)
                .WithLeadingTrivia(Indentation(neighbour.GetLeadingTrivia()))
                .WithTrailingTrivia(LineBreak(neighbour.GetTrailingTrivia()));
        }

        private static ArgumentListSyntax TimeoutArguments(int seconds)
        {
            var fromSeconds = TimeoutSyntax.TimeSpanFromSeconds(seconds);
            return ArgumentList(SingletonSeparatedList(Argument(fromSeconds)));
        }

        // The whitespace that starts the neighbour's line (not its comments or blank lines).
        private static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
        {
            var start = leading.Count;
            while (start > 0 && leading[start - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                start--;
            }

            var indentation = SyntaxTriviaList.Empty;
            for (var i = start; i < leading.Count; i++)
            {
                indentation = indentation.Add(leading[i]);
            }

            return indentation;
        }

        private static SyntaxTrivia LineBreak(SyntaxTriviaList trailing)
        {
            foreach (var trivia in trailing)
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    return trivia;
                }
            }

            return EndOfLine("\n");
        }
    }
}
