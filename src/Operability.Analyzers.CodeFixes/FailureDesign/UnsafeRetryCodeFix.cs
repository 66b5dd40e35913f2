using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Operability.Analyzers.FailureDesign;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Operability.Analyzers.CodeFixes.FailureDesign
{
    /// <summary>
    /// OPS404: makes the standard resilience handler's retries skip unsafe methods —
    /// <c>AddStandardResilienceHandler()</c> becomes <c>AddStandardResilienceHandler(options =&gt; options.Retry.DisableForUnsafeHttpMethods())</c>,
    /// and an existing options lambda gets the call as its last statement.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnsafeRetryCodeFix)), Shared]
    public sealed class UnsafeRetryCodeFix : CodeFixProvider
    {
        private const string Title = "Disable retries of unsafe HTTP methods";
        private const string ResilienceNamespace = "Microsoft.Extensions.Http.Resilience";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.RetriesUnsafeMethods);

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
                if (!diagnostic.Properties.ContainsKey(UnsafeRetryAnalyzer.FixableProperty)
                    || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call)
                {
                    continue;
                }

                context.RegisterCodeFix(CodeAction.Create(Title, ct => FixAsync(context.Document, call, ct), Title), diagnostic);
            }
        }

        private static async Task<Document> FixAsync(Document document, InvocationExpressionSyntax call, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            ArgumentListSyntax arguments;
            if (call.ArgumentList.Arguments.Count == 0)
            {
                arguments = call.ArgumentList.AddArguments(Argument(SimpleLambdaExpression(Parameter(Identifier("options")), Disable("options"))));
            }
            else if (call.ArgumentList.Arguments[0].Expression is LambdaExpressionSyntax lambda && ParameterName(lambda) is { } parameter)
            {
                var statement = ExpressionStatement(Disable(parameter));
                var body = lambda.Body switch
                {
                    BlockSyntax block => block.AddStatements(statement),
                    ExpressionSyntax expression => Block(ExpressionStatement(expression.WithoutTrivia()), statement),
                    _ => null,
                };
                if (body is null)
                {
                    return document;
                }

                var replaced = lambda.WithBody(body.WithAdditionalAnnotations(Formatter.Annotation)).WithExpressionBody(null);
                arguments = call.ArgumentList.ReplaceNode(lambda, replaced);
            }
            else
            {
                return document;
            }

            var newRoot = root.ReplaceNode(call.ArgumentList, arguments);
            if (newRoot is CompilationUnitSyntax unit && !unit.Usings.Any(u => u.Name?.ToString() == ResilienceNamespace))
            {
                newRoot = unit.AddUsings(UsingDirective(ParseName(ResilienceNamespace)).WithAdditionalAnnotations(Formatter.Annotation));
            }

            return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        private static string? ParameterName(LambdaExpressionSyntax lambda) => lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.ValueText,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0].Identifier.ValueText,
            _ => null,
        };

        // 'options.Retry.DisableForUnsafeHttpMethods()'
        private static InvocationExpressionSyntax Disable(string options) =>
            InvocationExpression(MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(options), IdentifierName("Retry")),
                IdentifierName("DisableForUnsafeHttpMethods")));
    }
}
