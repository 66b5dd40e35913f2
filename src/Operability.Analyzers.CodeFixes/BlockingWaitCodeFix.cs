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
    /// for WaitAny). When the wait is a statement the fix throws <see cref="System.TimeoutException"/> on timeout
    /// rather than carrying on as if the wait had succeeded; when the call's bool result is already used, only the
    /// overload changes. Where neither is safe (a void wait used as an expression-bodied lambda, an index from
    /// WaitAny used as a value) no fix is offered.
    /// </remarks>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitCodeFix)), Shared]
    public sealed class BlockingWaitCodeFix : CodeFixProvider
    {
        public const string EquivalenceKey = "Operability.BlockingWaitTimeout";

        /// <summary><c>.editorconfig</c> key for the timeout the fix writes, in whole seconds.</summary>
        public const string DefaultTimeoutOption = "operability.OPS105.default_timeout_seconds";

        public const int DefaultTimeoutSeconds = 30;

        // The millisecond overloads take an int: keep seconds * 1000 inside it.
        private const int MaxTimeoutSeconds = int.MaxValue / 1000;

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
                    || Plan(operation, invocation, model.Compilation, seconds) is not { } plan)
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

        private static int TimeoutSeconds(Document document, SyntaxTree tree)
        {
            var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
            if (options.TryGetValue(DefaultTimeoutOption, out var text)
                && int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0
                && seconds <= MaxTimeoutSeconds)
            {
                return seconds;
            }

            return DefaultTimeoutSeconds;
        }

        /// <summary>What the fix will write, worked out before it is offered, so it is only offered when it fits.</summary>
        private sealed class FixPlan
        {
            public FixPlan(InvocationExpressionSyntax invocation, InvocationExpressionSyntax replacement, ExpressionStatementSyntax? statement, ExpressionSyntax? timedOut, bool conditionalAccess)
            {
                Invocation = invocation;
                Replacement = replacement;
                Statement = statement;
                TimedOut = timedOut;
                ConditionalAccess = conditionalAccess;
            }

            public InvocationExpressionSyntax Invocation { get; }

            public InvocationExpressionSyntax Replacement { get; }

            /// <summary>The statement to turn into <c>if (timed out) throw</c>; null to swap the overload only.</summary>
            public ExpressionStatementSyntax? Statement { get; }

            /// <summary>What the new call returns on timeout (<c>false</c>, <c>-1</c>, <c>WaitHandle.WaitTimeout</c>).</summary>
            public ExpressionSyntax? TimedOut { get; }

            public bool ConditionalAccess { get; }

            public string Description { get; set; } = string.Empty;

            public int Seconds { get; set; }
        }

        private static FixPlan? Plan(IInvocationOperation operation, InvocationExpressionSyntax invocation, Compilation compilation, int seconds)
        {
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
            var (statement, conditionalAccess) = EnclosingStatement(invocation);
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

            if (statement is null)
            {
                // The value is used: swapping a bool for a bool keeps the code's own handling of 'false'. A WaitAny
                // index, or a void wait in an expression-bodied member, would ignore the timeout: no fix.
                if (method.ReturnType.SpecialType != SpecialType.System_Boolean || target.ReturnType.SpecialType != SpecialType.System_Boolean)
                {
                    return null;
                }

                timedOut = null;
            }

            return new FixPlan(invocation, replacement, statement, timedOut, conditionalAccess)
            {
                Description = method.ContainingType.Name + "." + method.Name,
                Seconds = seconds,
            };
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

        /// <summary>The statement the wait is, if it is one: <c>x.Wait();</c> or <c>x?.Wait();</c>.</summary>
        private static (ExpressionStatementSyntax? Statement, bool ConditionalAccess) EnclosingStatement(InvocationExpressionSyntax invocation)
        {
            if (invocation.Parent is ExpressionStatementSyntax statement)
            {
                return (statement, false);
            }

            if (invocation.Parent is ConditionalAccessExpressionSyntax conditional
                && conditional.WhenNotNull == invocation
                && conditional.Parent is ExpressionStatementSyntax conditionalStatement)
            {
                return (conditionalStatement, true);
            }

            return (null, false);
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

            if (plan.Statement is null || plan.TimedOut is null)
            {
                return document.WithSyntaxRoot(root.ReplaceNode(plan.Invocation, plan.Replacement.WithTriviaFrom(plan.Invocation)));
            }

            var statement = plan.Statement;
            var call = statement.Expression.ReplaceNode(plan.Invocation, plan.Replacement).WithoutTrivia();
            ExpressionSyntax condition = plan.TimedOut.IsKind(SyntaxKind.FalseLiteralExpression) && !plan.ConditionalAccess
                ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, Parenthesize(call))
                : SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, call, plan.TimedOut);

            var message = string.Format(CultureInfo.InvariantCulture, "{0} timed out after {1} seconds", plan.Description, plan.Seconds);
            var throwStatement = SyntaxFactory.ThrowStatement(
                SyntaxFactory.ObjectCreationExpression(SimplifiableTypeName("global::System.TimeoutException"))
                    .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(message)))))));

            StatementSyntax replacement = SyntaxFactory.IfStatement(condition, SyntaxFactory.Block(throwStatement));
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

            return document.WithSyntaxRoot(root.ReplaceNode(statement, replacement.WithAdditionalAnnotations(Formatter.Annotation)));
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

        private static ExpressionSyntax Parenthesize(ExpressionSyntax expression) =>
            expression is InvocationExpressionSyntax || expression is MemberAccessExpressionSyntax || expression is IdentifierNameSyntax
                ? expression
                : SyntaxFactory.ParenthesizedExpression(expression);
    }
}
