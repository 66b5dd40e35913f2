using System.Collections.Generic;
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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Operability.Analyzers.CodeFixes.FailureDesign
{
    /// <summary>
    /// OPS401: maps a health endpoint on the line after the <c>Build()</c> call the rule reports —
    /// <c>app.MapHealthChecks("/health");</c>, with <c>builder.Services.AddHealthChecks();</c> before the call when the
    /// project registers no health checks; or, when the project references Operability's runtime,
    /// <c>app.MapOperability();</c> (with <c>builder.AddOperability();</c> when missing), which also maps the shutter.
    /// </summary>
    /// <remarks>
    /// Offered only where the result runs: <c>Build()</c>'s result is stored in a variable (the endpoint needs the
    /// application), and when a registration has to be added, the builder is a variable too — mapping health checks
    /// without registering them fails at start. The endpoint goes right after <c>Build()</c>, before the service's
    /// own middleware, which is where <c>MapOperability</c> wants to be.
    /// </remarks>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HealthEndpointCodeFix)), Shared]
    public sealed class HealthEndpointCodeFix : CodeFixProvider
    {
        private const string OperabilityAssembly = "Operability.AspNetCore";
        private const string BuilderNamespace = "Microsoft.AspNetCore.Builder";
        private const string ServicesNamespace = "Microsoft.Extensions.DependencyInjection";
        private const string HostingNamespace = "Microsoft.Extensions.Hosting";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.NoHealthEndpoint);

        // One diagnostic per project, and each fix edits only the document of its Build() call.
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (BuildSite.Find(root, diagnostic.Location.SourceSpan) is not { } site)
                {
                    continue;
                }

                var operability = model.Compilation.ReferencedAssemblyNames.Any(a => a.Name == OperabilityAssembly);
                var registration = operability ? "AddOperability" : "AddHealthChecks";
                var registered = await InvokedInProjectAsync(context.Document.Project, registration, context.CancellationToken).ConfigureAwait(false);
                if (!registered && site.Builder is null)
                {
                    continue;
                }

                var title = operability ? "Map Operability's endpoints (app.MapOperability())" : "Map a health endpoint (app.MapHealthChecks(\"/health\"))";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => FixAsync(context.Document, site, operability, registered, ct), title),
                    diagnostic);
            }
        }

        private static async Task<Document> FixAsync(Document document, BuildSite site, bool operability, bool registered, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            var app = site.Application;
            var builder = site.Builder?.Identifier.ValueText;
            var before = new List<StatementSyntax>();
            var namespaces = new List<string>();
            if (!registered && builder is not null)
            {
                before.Add(ParseStatement(operability ? builder + ".AddOperability();" : builder + ".Services.AddHealthChecks();"));
                namespaces.Add(operability
                    ? Missing(model, site, site.Builder, "AddOperability", HostingNamespace)
                    : Missing(model, site, model.Compilation.GetTypeByMetadataName(ServicesNamespace + ".IServiceCollection"), "AddHealthChecks", ServicesNamespace));
            }

            var map = operability ? "MapOperability" : "MapHealthChecks";
            var after = ParseStatement(operability ? app + ".MapOperability();" : app + ".MapHealthChecks(\"/health\");");
            namespaces.Add(Missing(model, site, site.Call, map, BuilderNamespace));

            var anchor = site.Statement.Parent is GlobalStatementSyntax global ? (SyntaxNode)global : site.Statement;
            var leading = anchor.GetLeadingTrivia();
            var indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia) ? TriviaList(leading.Last()) : TriviaList();
            var endOfLine = anchor.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var newLine = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : EndOfLine("\n");
            SyntaxNode Place(StatementSyntax statement)
            {
                var laidOut = statement.WithLeadingTrivia(indentation).WithTrailingTrivia(newLine);
                return anchor is GlobalStatementSyntax ? GlobalStatement(laidOut) : laidOut;
            }

            var replacement = before.Select(Place)
                .Append(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? anchor : anchor.WithTrailingTrivia(anchor.GetTrailingTrivia().Add(newLine)))
                .Append(Place(after));
            var newRoot = root.ReplaceNode(anchor, replacement);
            if (newRoot is CompilationUnitSyntax unit)
            {
                foreach (var name in namespaces.Where(n => n.Length > 0).Distinct())
                {
                    if (!unit.Usings.Any(u => u.Name?.ToString() == name))
                    {
                        unit = unit.AddUsings(UsingDirective(ParseName(name)).WithAdditionalAnnotations(Formatter.Annotation));
                    }
                }

                newRoot = unit;
            }

            return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // The namespace to import so that 'receiver.method(...)' binds at the Build() call, or "" when it already does.
        private static string Missing(SemanticModel model, BuildSite site, SyntaxNode? receiver, string method, string ns) =>
            Missing(model, site, receiver is ExpressionSyntax expression ? model.GetTypeInfo(expression).Type : null, method, ns);

        private static string Missing(SemanticModel model, BuildSite site, ITypeSymbol? receiver, string method, string ns) =>
            receiver is not null && !model.LookupSymbols(site.Statement.SpanStart, receiver, method, includeReducedExtensionMethods: true).IsEmpty ? string.Empty : ns;

        // By name, as the analyzer counts calls: a registration in any of the project's files, helpers included.
        private static async Task<bool> InvokedInProjectAsync(Project project, string name, CancellationToken cancellationToken)
        {
            foreach (var document in project.Documents)
            {
                var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root is not null && root.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call => MethodName(call) == name))
                {
                    return true;
                }
            }

            return false;
        }

        private static string? MethodName(InvocationExpressionSyntax call) => call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };

        /// <summary>The reported <c>builder.Build()</c> call, the statement that stores its result, and the two variables.</summary>
        private sealed class BuildSite
        {
            private BuildSite(InvocationExpressionSyntax call, StatementSyntax statement, string application, IdentifierNameSyntax? builder)
            {
                Call = call;
                Statement = statement;
                Application = application;
                Builder = builder;
            }

            public InvocationExpressionSyntax Call { get; }

            public StatementSyntax Statement { get; }

            public string Application { get; }

            /// <summary>The builder when it is a variable (<c>builder.Build()</c>); null for <c>WebApplication.CreateBuilder(args).Build()</c>.</summary>
            public IdentifierNameSyntax? Builder { get; }

            public static BuildSite? Find(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
            {
                if (root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Expression: MemberAccessExpressionSyntax member } call
                    || call.Parent is not { } parent)
                {
                    return null;
                }

                var builder = member.Expression as IdentifierNameSyntax;
                return parent switch
                {
                    // var app = builder.Build();
                    EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Parent?.Parent is LocalDeclarationStatementSyntax local && IsListed(local)
                        => new BuildSite(call, local, declarator.Identifier.ValueText, builder),

                    // app = builder.Build();
                    AssignmentExpressionSyntax { Left: IdentifierNameSyntax app, Parent: ExpressionStatementSyntax statement } assignment when assignment.Right == call && IsListed(statement)
                        => new BuildSite(call, statement, app.Identifier.ValueText, builder),
                    _ => null,
                };
            }

            // Statements can go before and after it: it sits in a block or among top-level statements.
            private static bool IsListed(StatementSyntax statement) => statement.Parent is BlockSyntax || statement.Parent is GlobalStatementSyntax;
        }
    }
}
