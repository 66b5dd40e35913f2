using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers
{
    /// <summary>
    /// The one value a helper in the same compilation returns: a method, local function or expression-bodied property
    /// getter whose body is one expression or holds exactly one <c>return</c>. Lets a rule follow a policy or builder
    /// one level out of the code that uses it (<c>var policy = CreatePolicy(); policy.Execute(...)</c>).
    /// </summary>
    /// <remarks>
    /// Anything less certain gives <see langword="null"/>: a member from another assembly (its body is not ours to
    /// read), one declared in several parts, abstract, virtual or overridable (another body may run), or a body with
    /// several returns (which one runs is a run-time matter).
    /// </remarks>
    internal static class HelperReturns
    {
        /// <summary>The operation of the single value <paramref name="member"/> returns, or null.</summary>
        /// <param name="member">The called method or the referenced property.</param>
        /// <param name="use">The operation that calls or reads it (its semantic model serves helpers in the same file).</param>
        /// <param name="compilation">The compilation being analysed.</param>
        /// <param name="cancellationToken">Cancels the lookup.</param>
        public static IOperation? SingleReturnedValue(ISymbol member, IOperation use, Compilation compilation, CancellationToken cancellationToken)
        {
            if (!SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, compilation.Assembly)
                || member.IsAbstract
                || member.IsVirtual
                || (member.IsOverride && !member.IsSealed && member.ContainingType?.IsSealed != true)
                || member.DeclaringSyntaxReferences.Length != 1)
            {
                return null;
            }

            var declaration = member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            var returned = declaration switch
            {
                MethodDeclarationSyntax method => Returned(method.ExpressionBody, method.Body),
                LocalFunctionStatementSyntax local => Returned(local.ExpressionBody, local.Body),
                PropertyDeclarationSyntax property => property.ExpressionBody?.Expression ?? Getter(property.AccessorList),
                _ => null,
            };
            if (returned is null)
            {
                return null;
            }

            var model = use.SemanticModel is { } own && own.SyntaxTree == returned.SyntaxTree
                ? own
#pragma warning disable RS1030 // Only for a helper in another file of the compilation, once per use whose receiver is one; the compiler host shares the model.
                : compilation.GetSemanticModel(returned.SyntaxTree);
#pragma warning restore RS1030
            return model.GetOperation(returned, cancellationToken);
        }

        private static ExpressionSyntax? Getter(AccessorListSyntax? accessors)
        {
            if (accessors is null)
            {
                return null;
            }

            foreach (var accessor in accessors.Accessors)
            {
                if (accessor.IsKind(SyntaxKind.GetAccessorDeclaration))
                {
                    return Returned(accessor.ExpressionBody, accessor.Body);
                }
            }

            return null;
        }

        private static ExpressionSyntax? Returned(ArrowExpressionClauseSyntax? arrow, BlockSyntax? body)
        {
            if (arrow is not null)
            {
                return arrow.Expression;
            }

            if (body is null)
            {
                return null;
            }

            ExpressionSyntax? single = null;
            foreach (var node in body.DescendantNodes(descendIntoChildren: n => !IsNestedFunction(n)))
            {
                switch (node)
                {
                    case ReturnStatementSyntax { Expression: { } expression }:
                        if (single is not null)
                        {
                            return null;
                        }

                        single = expression;
                        break;
                    case ReturnStatementSyntax:
                    case YieldStatementSyntax:
                        return null;
                }
            }

            return single;
        }

        private static bool IsNestedFunction(SyntaxNode node) =>
            node is AnonymousFunctionExpressionSyntax || node is LocalFunctionStatementSyntax;
    }
}
