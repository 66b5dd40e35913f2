using System.Collections.Immutable;
using System.Linq;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS103: ends the registration chain with <c>.AddStandardResilienceHandler()</c> where
    /// Microsoft.Extensions.Http.Resilience is referenced, else with
    /// <c>.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(n))</c>.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HttpClientRegistrationCodeFix)), Shared]
    public sealed class HttpClientRegistrationCodeFix : CodeFixProvider
    {
        public const string TimeoutSecondsOption = "operability.OPS103.default_timeout_seconds";
        private const string ResilienceExtensions = "Microsoft.Extensions.DependencyInjection.ResilienceHttpClientBuilderExtensions";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HttpClientRegistrationWithoutTimeout);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null)
            {
                return;
            }

            var hasResilience = semanticModel.Compilation.GetTypeByMetadataName(ResilienceExtensions) is not null;
            var title = hasResilience ? "Add the standard resilience handler" : "Set a timeout with ConfigureHttpClient";
            foreach (var diagnostic in context.Diagnostics)
            {
                var registration = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
                if (registration is null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => FixAsync(context.Document, registration, hasResilience, ct), title),
                    diagnostic);
            }
        }

        private static async Task<Document> FixAsync(Document document, InvocationExpressionSyntax registration, bool hasResilience, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var chainEnd = ChainEnd(registration);
            ExpressionSyntax appended;
            if (hasResilience)
            {
                appended = Call(chainEnd, "AddStandardResilienceHandler", ArgumentList());
            }
            else
            {
                var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false) ?? registration.SyntaxTree);
                var seconds = TimeoutOptions.Seconds(options, TimeoutSecondsOption);
                var timeout = TimeoutSyntax.TimeSpanFromSeconds(seconds);
                var lambda = SimpleLambdaExpression(
                    Parameter(Identifier("client")),
                    AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName("client"), IdentifierName("Timeout")), timeout));
                appended = Call(chainEnd, "ConfigureHttpClient", ArgumentList(SingletonSeparatedList(Argument(lambda))));
            }

            var newRoot = root.ReplaceNode(chainEnd, appended.WithTriviaFrom(chainEnd));
            return document.WithSyntaxRoot(newRoot);
        }

        // The last call of the chain that starts at the registration: 'services.AddHttpClient<T>().SetHandlerLifetime(...)'.
        private static ExpressionSyntax ChainEnd(InvocationExpressionSyntax registration)
        {
            ExpressionSyntax current = registration;
            while (current.Parent is MemberAccessExpressionSyntax member
                && member.Expression == current
                && member.Parent is InvocationExpressionSyntax next)
            {
                current = next;
            }

            return current;
        }

        private static InvocationExpressionSyntax Call(ExpressionSyntax target, string method, ArgumentListSyntax arguments)
        {
            // Keep a chain that is written one call per line, one call per line.
            var dot = Token(SyntaxKind.DotToken);
            if (target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax previous }
                && previous.OperatorToken.GetPreviousToken().TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia))
            {
                var endOfLine = previous.OperatorToken.GetPreviousToken().TrailingTrivia.Last(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                dot = dot.WithLeadingTrivia(previous.OperatorToken.LeadingTrivia.Insert(0, endOfLine));
            }

            var access = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target.WithoutTrailingTrivia(), dot, IdentifierName(method));
            return InvocationExpression(access, arguments);
        }
    }
}
