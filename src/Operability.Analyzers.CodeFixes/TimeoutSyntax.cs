using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Operability.Analyzers.CodeFixes
{
    /// <summary>Syntax the timeout code fixes write.</summary>
    internal static class TimeoutSyntax
    {
        /// <summary>
        /// <c>TimeSpan.FromSeconds(n)</c>: written as <c>global::System.TimeSpan</c> with the simplifier's
        /// annotation on the type part, so it comes out as <c>TimeSpan</c> or <c>System.TimeSpan</c> as the
        /// file's usings allow.
        /// </summary>
        public static InvocationExpressionSyntax TimeSpanFromSeconds(int seconds)
        {
            var timeSpan = SyntaxFactory.ParseExpression("global::System.TimeSpan").WithAdditionalAnnotations(Simplifier.Annotation);
            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, timeSpan, SyntaxFactory.IdentifierName("FromSeconds")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(seconds))))));
        }
    }
}
