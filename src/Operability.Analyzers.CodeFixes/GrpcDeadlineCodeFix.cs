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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS106: passes <c>deadline: DateTime.UtcNow.AddSeconds(n)</c> to a generated gRPC client method, with n from
    /// <c>operability.OPS106.default_deadline_seconds</c> (default 10). Offered only on the overload that has a
    /// <c>deadline</c> parameter; calls that pass <c>CallOptions</c> need a decision about those options, not this fix.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GrpcDeadlineCodeFix)), Shared]
    public sealed class GrpcDeadlineCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.GrpcDeadline";

        /// <summary><c>.editorconfig</c> key for the deadline the fix writes, in whole seconds from now.</summary>
        public const string DefaultDeadlineOption = "operability.OPS106.default_deadline_seconds";

        public const int DefaultDeadlineSeconds = 10;

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.GrpcCallWithoutDeadline);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var document = context.Document;
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            var seconds = TimeoutOptions.Seconds(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, root.SyntaxTree, DefaultDeadlineOption, DefaultDeadlineSeconds);

            foreach (var diagnostic in context.Diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var invocation = node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
                if (invocation is null
                    || model.GetOperation(invocation, context.CancellationToken) is not IInvocationOperation operation
                    || !CanFix(operation))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        string.Format(CultureInfo.InvariantCulture, "Pass a deadline of {0} seconds", seconds),
                        cancellationToken => ApplyAsync(document, invocation, seconds, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static bool CanFix(IInvocationOperation operation)
        {
            foreach (var argument in operation.Arguments)
            {
                if (argument.Parameter?.Name == GrpcDeadlineAnalyzer.DeadlineParameterName)
                {
                    return argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Syntax is ArgumentSyntax;
                }
            }

            return false;
        }

        private static async Task<Document> ApplyAsync(Document document, InvocationExpressionSyntax invocation, int seconds, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
            {
                return document;
            }

            var deadline = DeadlineExpression(seconds);
            foreach (var argument in operation.Arguments)
            {
                if (argument.Parameter?.Name != GrpcDeadlineAnalyzer.DeadlineParameterName)
                {
                    continue;
                }

                if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Syntax is ArgumentSyntax written)
                {
                    // 'deadline: null' or a positional null: replace the value, keep the argument's shape.
                    var replaced = written.WithExpression(deadline.WithTriviaFrom(written.Expression));
                    return document.WithSyntaxRoot(root.ReplaceNode(written, replaced));
                }

                // A named argument at the end is valid whatever comes before it.
                var list = invocation.ArgumentList;
                var named = SyntaxFactory.Argument(deadline)
                    .WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(GrpcDeadlineAnalyzer.DeadlineParameterName)));
                var arguments = list.Arguments;
                if (arguments.Count > 0)
                {
                    named = named.WithLeadingTrivia(SyntaxFactory.Space);
                }

                var newList = list.WithArguments(arguments.Add(named));
                return document.WithSyntaxRoot(root.ReplaceNode(list, newList));
            }

            return document;
        }

        // global::System.DateTime.UtcNow.AddSeconds(n), simplified to DateTime where 'using System;' allows.
        private static ExpressionSyntax DeadlineExpression(int seconds) =>
            SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        SyntaxFactory.ParseExpression("global::System.DateTime").WithAdditionalAnnotations(Simplifier.Annotation),
                        SyntaxFactory.IdentifierName("UtcNow")),
                    SyntaxFactory.IdentifierName("AddSeconds")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                    SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(seconds))))));
    }
}
