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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>
    /// OPS105: switches a blocking wait to the overload that takes a timeout (a <see cref="System.TimeSpan"/> where
    /// the type has one, milliseconds otherwise), with the number of seconds from
    /// <c>operability.OPS105.default_timeout_seconds</c> (default 30).
    /// </summary>
    /// <remarks>
    /// The timeout overloads report a timeout through their result (false, or -1 / <c>WaitHandle.WaitTimeout</c>
    /// for WaitAny). Where the call's value is thrown away (a statement, or the body of a void member or lambda) the fix
    /// throws <see cref="System.TimeoutException"/> on timeout rather than carrying on as if the wait had succeeded;
    /// when the call's bool result is already used, only the overload changes. An index from WaitAny that is used as a
    /// value would turn a timeout into a bad index, so no fix is offered there.
    /// </remarks>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitCodeFix)), Shared]
    public sealed class BlockingWaitCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.BlockingWaitTimeout";

        /// <summary><c>.editorconfig</c> key for the timeout the fix writes, in whole seconds.</summary>
        public const string DefaultTimeoutOption = "operability.OPS105.default_timeout_seconds";

        public const int DefaultTimeoutSeconds = 30;

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.BlockingWaitWithoutTimeout);

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

            var seconds = TimeoutSeconds(document, root.SyntaxTree);
            foreach (var diagnostic in context.Diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var invocation = node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
                if (invocation is null
                    || model.GetOperation(invocation, context.CancellationToken) is not IInvocationOperation operation
                    || Plan(operation, invocation, model, seconds, context.CancellationToken) is not { } plan)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        string.Format(CultureInfo.InvariantCulture, "Wait at most {0} seconds", seconds),
                        cancellationToken => ApplyAsync(document, plan, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static int TimeoutSeconds(Document document, SyntaxTree tree) =>
            TimeoutOptions.Seconds(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, tree, DefaultTimeoutOption, DefaultTimeoutSeconds);

        /// <summary>What the fix will write, worked out before it is offered, so it is only offered when it fits.</summary>
        private sealed class FixPlan
        {
            public FixPlan(InvocationExpressionSyntax invocation, InvocationExpressionSyntax replacement, DiscardingOwner? owner, ExpressionSyntax? timedOut, string description, int seconds)
            {
                Invocation = invocation;
                Replacement = replacement;
                Owner = owner;
                TimedOut = timedOut;
                Description = description;
                Seconds = seconds;
            }

            public InvocationExpressionSyntax Invocation { get; }

            public InvocationExpressionSyntax Replacement { get; }

            /// <summary>Where the call's value is thrown away, to get <c>if (timed out) throw</c>; null to swap the overload only.</summary>
            public DiscardingOwner? Owner { get; }

            /// <summary>What the new call returns on timeout (<c>false</c>, <c>-1</c>, <c>WaitHandle.WaitTimeout</c>).</summary>
            public ExpressionSyntax? TimedOut { get; }

            /// <summary>What timed out, for the exception's message: <c>Task.Wait</c>.</summary>
            public string Description { get; }

            public int Seconds { get; }
        }

        /// <summary>
        /// The expression whose value is discarded (the call, or <c>x?.Wait()</c> around it) and the node that discards
        /// it: an expression statement, or a void member or lambda with that expression as its body.
        /// </summary>
        private sealed class DiscardingOwner
        {
            public DiscardingOwner(ExpressionSyntax expression, SyntaxNode node)
            {
                Expression = expression;
                Node = node;
            }

            public ExpressionSyntax Expression { get; }

            public SyntaxNode Node { get; }

            public bool IsConditionalAccess => Expression is ConditionalAccessExpressionSyntax;
        }

        private static FixPlan? Plan(IInvocationOperation operation, InvocationExpressionSyntax invocation, SemanticModel model, int seconds, CancellationToken cancellationToken)
        {
            var compilation = model.Compilation;
            var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
            var method = operation.TargetMethod.OriginalDefinition;
            if (timeSpan is null || method.ContainingType is null)
            {
                return null;
            }

            var target = FindTimeoutOverload(method, timeSpan, out var timeoutIndex);
            if (target is null)
            {
                return null;
            }

            var timeoutIsTimeSpan = SymbolEqualityComparer.Default.Equals(target.Parameters[timeoutIndex].Type, timeSpan);
            var arguments = NewArguments(operation, invocation, method, target, timeoutIndex, TimeoutExpression(timeoutIsTimeSpan, seconds, timeSpan));
            if (arguments is null)
            {
                return null;
            }

            var replacement = invocation.WithArgumentList(arguments);
            var owner = FindDiscardingOwner(invocation, model, cancellationToken);
            ExpressionSyntax? timedOut;
            if (target.ReturnType.SpecialType == SpecialType.System_Boolean)
            {
                timedOut = SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression);
            }
            else if (target.ReturnType.SpecialType == SpecialType.System_Int32 && target.Name == "WaitAny")
            {
                timedOut = WaitAnyTimeoutValue(target);
                if (timedOut is null)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }

            if (owner is null)
            {
                // The value is used: swapping a bool for a bool keeps the code's own handling of 'false'. A WaitAny
                // index used as one would not: no fix.
                if (method.ReturnType.SpecialType != SpecialType.System_Boolean || target.ReturnType.SpecialType != SpecialType.System_Boolean)
                {
                    return null;
                }

                timedOut = null;
            }

            return new FixPlan(invocation, replacement, owner, timedOut, method.ContainingType.Name + "." + method.Name, seconds);
        }

        /// <summary>
        /// The overload of the same name whose parameters are the called overload's with one timeout parameter
        /// added; TimeSpan preferred over milliseconds.
        /// </summary>
        private static IMethodSymbol? FindTimeoutOverload(IMethodSymbol method, INamedTypeSymbol timeSpan, out int timeoutIndex)
        {
            var overloads = method.ContainingType.GetMembers(method.Name);
            for (var pass = 0; pass < 2; pass++)
            {
                foreach (var member in overloads)
                {
                    if (member is not IMethodSymbol candidate
                        || candidate.IsStatic != method.IsStatic
                        || candidate.Parameters.Length != method.Parameters.Length + 1
                        || candidate.DeclaredAccessibility != Accessibility.Public)
                    {
                        continue;
                    }

                    for (var index = 0; index < candidate.Parameters.Length; index++)
                    {
                        var type = candidate.Parameters[index].Type;
                        var isTimeout = pass == 0
                            ? SymbolEqualityComparer.Default.Equals(type, timeSpan)
                            : type.SpecialType == SpecialType.System_Int32;
                        if (isTimeout && OthersMatch(method, candidate, index))
                        {
                            timeoutIndex = index;
                            return candidate;
                        }
                    }
                }
            }

            timeoutIndex = -1;
            return null;
        }

        private static bool OthersMatch(IMethodSymbol method, IMethodSymbol candidate, int skipped)
        {
            for (var index = 0; index < method.Parameters.Length; index++)
            {
                var other = candidate.Parameters[index < skipped ? index : index + 1];
                if (!SymbolEqualityComparer.Default.Equals(method.Parameters[index].Type, other.Type)
                    || other.RefKind != method.Parameters[index].RefKind)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The call's arguments with the timeout added at its place. A params argument written out element by element
        /// becomes an array, since the timeout overloads take the array. Null when the arguments can't be mapped.
        /// </summary>
        private static ArgumentListSyntax? NewArguments(
            IInvocationOperation operation,
            InvocationExpressionSyntax invocation,
            IMethodSymbol method,
            IMethodSymbol target,
            int timeoutIndex,
            ExpressionSyntax timeout)
        {
            var written = invocation.ArgumentList.Arguments;
            foreach (var argument in written)
            {
                if (argument.NameColon is not null)
                {
                    // Named arguments may come in any order; a named timeout after them is always valid.
                    var named = SyntaxFactory.Argument(timeout)
                        .WithNameColon(SyntaxFactory.NameColon(target.Parameters[timeoutIndex].Name));
                    return invocation.ArgumentList.WithArguments(written.Add(named));
                }
            }

            var arguments = new System.Collections.Generic.List<ArgumentSyntax>(method.Parameters.Length + 1);
            foreach (var argument in operation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray)
                {
                    var parameter = argument.Parameter;
                    if (parameter is null || parameter.Type is not IArrayTypeSymbol arrayType || parameter.Ordinal > written.Count)
                    {
                        return null;
                    }

                    var elements = new System.Collections.Generic.List<ExpressionSyntax>();
                    for (var index = parameter.Ordinal; index < written.Count; index++)
                    {
                        elements.Add(written[index].Expression.WithoutTrivia());
                    }

                    if (elements.Count == 0)
                    {
                        return null;
                    }

                    var array = SyntaxFactory.ArrayCreationExpression(
                        SyntaxFactory.ArrayType(TypeSyntaxFor(arrayType.ElementType))
                            .WithRankSpecifiers(SyntaxFactory.SingletonList(SyntaxFactory.ArrayRankSpecifier(
                                SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.OmittedArraySizeExpression())))),
                        SyntaxFactory.InitializerExpression(SyntaxKind.ArrayInitializerExpression, SyntaxFactory.SeparatedList(elements)));
                    arguments.Add(SyntaxFactory.Argument(array.WithAdditionalAnnotations(Formatter.Annotation)));
                }
                else if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Syntax is ArgumentSyntax syntax)
                {
                    arguments.Add(syntax);
                }
                else
                {
                    // A default value the call left out, or something unexpected: don't guess.
                    return null;
                }
            }

            if (arguments.Count != method.Parameters.Length)
            {
                return null;
            }

            arguments.Insert(timeoutIndex, SyntaxFactory.Argument(timeout));
            var separators = new System.Collections.Generic.List<SyntaxToken>(arguments.Count);
            for (var index = 1; index < arguments.Count; index++)
            {
                separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            }

            return invocation.ArgumentList.WithArguments(SyntaxFactory.SeparatedList(WithoutLeadingTrivia(arguments), separators));
        }

        private static System.Collections.Generic.IEnumerable<ArgumentSyntax> WithoutLeadingTrivia(System.Collections.Generic.List<ArgumentSyntax> arguments)
        {
            for (var index = 0; index < arguments.Count; index++)
            {
                yield return index == 0 ? arguments[index] : arguments[index].WithLeadingTrivia();
            }
        }

        private static ExpressionSyntax TimeoutExpression(bool timeSpan, int seconds, INamedTypeSymbol timeSpanType)
        {
            if (!timeSpan)
            {
                return SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(seconds * 1000));
            }

            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    TypeExpressionFor(timeSpanType),
                    SyntaxFactory.IdentifierName("FromSeconds")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                    SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(seconds))))));
        }

        // Task.WaitAny returns -1 on timeout; WaitHandle.WaitAny returns WaitHandle.WaitTimeout.
        private static ExpressionSyntax? WaitAnyTimeoutValue(IMethodSymbol target)
        {
            var type = target.ContainingType;
            if (type.Name == "Task" && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
            {
                return SyntaxFactory.PrefixUnaryExpression(
                    SyntaxKind.UnaryMinusExpression,
                    SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1)));
            }

            foreach (var member in type.GetMembers("WaitTimeout"))
            {
                if (member is IFieldSymbol { IsStatic: true, IsConst: true })
                {
                    return SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeExpressionFor(type), SyntaxFactory.IdentifierName("WaitTimeout"));
                }
            }

            return null;
        }

        private static DiscardingOwner? FindDiscardingOwner(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
        {
            ExpressionSyntax expression = invocation;
            if (invocation.Parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == invocation)
            {
                expression = conditional;
            }

            switch (expression.Parent)
            {
                case ExpressionStatementSyntax statement:
                    return new DiscardingOwner(expression, statement);
                case ArrowExpressionClauseSyntax arrow
                    when (arrow.Parent is BaseMethodDeclarationSyntax || arrow.Parent is LocalFunctionStatementSyntax || arrow.Parent is AccessorDeclarationSyntax)
                        && model.GetDeclaredSymbol(arrow.Parent, cancellationToken) is IMethodSymbol { ReturnsVoid: true, IsAsync: false }:
                    return new DiscardingOwner(expression, arrow.Parent);
                case LambdaExpressionSyntax lambda
                    when lambda.ExpressionBody == expression
                        && lambda.AsyncKeyword.IsKind(SyntaxKind.None)
                        && model.GetSymbolInfo(lambda, cancellationToken).Symbol is IMethodSymbol { ReturnsVoid: true }:
                    return new DiscardingOwner(expression, lambda);
                default:
                    return null;
            }
        }

        /// <summary>A fully qualified type the simplifier shortens where a using directive allows.</summary>
        private static TypeSyntax TypeSyntaxFor(ITypeSymbol type) =>
            SimplifiableTypeName(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

        /// <summary>The same, in an expression (<c>TimeSpan.FromSeconds</c>), shaped as the parser shapes it there.</summary>
        private static ExpressionSyntax TypeExpressionFor(ITypeSymbol type) =>
            SyntaxFactory.ParseExpression(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                .WithAdditionalAnnotations(Simplifier.Annotation);

        private static TypeSyntax SimplifiableTypeName(string fullyQualifiedName) =>
            SyntaxFactory.ParseTypeName(fullyQualifiedName).WithAdditionalAnnotations(Simplifier.Annotation);

        private static async Task<Document> ApplyAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            if (plan.Owner is null || plan.TimedOut is null)
            {
                return document.WithSyntaxRoot(root.ReplaceNode(plan.Invocation, plan.Replacement.WithTriviaFrom(plan.Invocation)));
            }

            var owner = plan.Owner;
            var call = owner.Expression.ReplaceNode(plan.Invocation, plan.Replacement).WithoutTrivia();
            ExpressionSyntax condition = plan.TimedOut.IsKind(SyntaxKind.FalseLiteralExpression) && !owner.IsConditionalAccess
                ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, call)
                : SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, call, plan.TimedOut);

            var message = string.Format(CultureInfo.InvariantCulture, "{0} timed out after {1} seconds", plan.Description, plan.Seconds);
            var throwStatement = SyntaxFactory.ThrowStatement(
                SyntaxFactory.ObjectCreationExpression(SimplifiableTypeName("global::System.TimeoutException"))
                    .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(message)))))));
            var ifStatement = SyntaxFactory.IfStatement(condition, SyntaxFactory.Block(throwStatement));

            SyntaxNode replacement = owner.Node switch
            {
                ExpressionStatementSyntax statement => ReplaceStatement(statement, ifStatement),
                LambdaExpressionSyntax lambda => lambda.WithExpressionBody(null)
                    .WithArrowToken(lambda.ArrowToken.WithTrailingTrivia())
                    .WithBlock(Body(ifStatement, root, default, IndentationOfLine(lambda))),
                BaseMethodDeclarationSyntax member => WithoutTrailingSpace(member.WithExpressionBody(null).WithSemicolonToken(default))
                    .WithBody(Body(ifStatement, root, member.SemicolonToken.TrailingTrivia, null)),
                LocalFunctionStatementSyntax local => WithoutTrailingSpace(local.WithExpressionBody(null).WithSemicolonToken(default))
                    .WithBody(Body(ifStatement, root, local.SemicolonToken.TrailingTrivia, null)),
                AccessorDeclarationSyntax accessor => WithoutTrailingSpace(accessor.WithExpressionBody(null).WithSemicolonToken(default))
                    .WithBody(Body(ifStatement, root, accessor.SemicolonToken.TrailingTrivia, null)),
                _ => owner.Node,
            };

            return document.WithSyntaxRoot(root.ReplaceNode(owner.Node, replacement.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        /// <summary>
        /// A block body that starts on its own line: the formatter keeps a block that is on one line in a lambda or
        /// local function on one line, and does not indent a lambda's opening brace, so that line break (and, for a
        /// lambda, the indentation of the line the lambda starts on) is written here.
        /// </summary>
        private static BlockSyntax Body(IfStatementSyntax ifStatement, SyntaxNode root, SyntaxTriviaList trailing, SyntaxTrivia? indentation)
        {
            var endOfLine = SyntaxFactory.EndOfLine("\n");
            foreach (var trivia in root.DescendantTrivia())
            {
                if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    endOfLine = trivia;
                    break;
                }
            }

            var block = SyntaxFactory.Block(ifStatement);
            var leading = indentation is { } indent ? SyntaxFactory.TriviaList(endOfLine, indent) : SyntaxFactory.TriviaList(endOfLine);
            return block
                .WithOpenBraceToken(block.OpenBraceToken.WithLeadingTrivia(leading))
                .WithTrailingTrivia(trailing);
        }

        private static SyntaxTrivia IndentationOfLine(SyntaxNode node)
        {
            var text = node.SyntaxTree.GetText();
            var line = text.Lines.GetLineFromPosition(node.SpanStart);
            var length = 0;
            while (line.Start + length < line.End && char.IsWhiteSpace(text[line.Start + length]))
            {
                length++;
            }

            return SyntaxFactory.Whitespace(text.ToString(new Microsoft.CodeAnalysis.Text.TextSpan(line.Start, length)));
        }

        private static TNode WithoutTrailingSpace<TNode>(TNode node)
            where TNode : SyntaxNode
        {
            var last = node.GetLastToken();
            return node.ReplaceToken(last, last.WithTrailingTrivia());
        }

        private static StatementSyntax ReplaceStatement(ExpressionStatementSyntax statement, IfStatementSyntax ifStatement)
        {
            StatementSyntax replacement = ifStatement;
            if (!(statement.Parent is BlockSyntax || statement.Parent is SwitchSectionSyntax || statement.Parent is GlobalStatementSyntax || statement.Parent is LabeledStatementSyntax))
            {
                // An embedded statement ('if (x) task.Wait(); else …'): a block keeps an 'else' with its own 'if'.
                replacement = SyntaxFactory.Block(replacement);
            }

            replacement = replacement.WithTriviaFrom(statement);
            if (NeedsBlankLineAfter(statement) && FirstEndOfLine(statement.GetTrailingTrivia()) is { } endOfLine)
            {
                replacement = replacement.WithTrailingTrivia(replacement.GetTrailingTrivia().Add(endOfLine));
            }

            return replacement;
        }

        // A closing brace followed by a statement reads better with a blank line between them.
        private static bool NeedsBlankLineAfter(StatementSyntax statement)
        {
            SyntaxNode? next = null;
            if (statement.Parent is BlockSyntax block)
            {
                var index = block.Statements.IndexOf(statement);
                next = index >= 0 && index + 1 < block.Statements.Count ? block.Statements[index + 1] : null;
            }
            else if (statement.Parent is GlobalStatementSyntax global && global.Parent is CompilationUnitSyntax unit)
            {
                var index = unit.Members.IndexOf(global);
                next = index >= 0 && index + 1 < unit.Members.Count ? unit.Members[index + 1] : null;
            }

            if (next is null)
            {
                return false;
            }

            var leading = next.GetLeadingTrivia();
            return !(leading.Count > 0 && leading[0].IsKind(SyntaxKind.EndOfLineTrivia));
        }

        private static SyntaxTrivia? FirstEndOfLine(SyntaxTriviaList trivia)
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
    }
}
