using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers.Internals
{
    /// <summary>
    /// Walks through the conversions the compiler wraps around a value, down to the value or up to the outermost
    /// conversion, one helper per direction and kind, so that every rule sees through them the same way.
    /// </summary>
    /// <remarks>
    /// Two kinds, because the rules need both: <em>implicit</em> conversions are the compiler's own (a lambda
    /// becoming a delegate, <c>int</c> widening to <c>double</c>, a value boxed to <c>object</c>) and never change
    /// what the code says; <em>any</em> conversion also sees through a cast the author wrote (<c>(TimeSpan?)x</c>).
    /// C# never produces <see cref="IParenthesizedOperation"/> (only Visual Basic does), so parentheses need no walk.
    /// </remarks>
    internal static class OperationExtensions
    {
        /// <summary>The value under every conversion, implicit or explicit: <c>x</c> in <c>(object)(long)x</c>.</summary>
        public static IOperation WithoutConversions(this IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>The value under the compiler's implicit conversions only; a cast the author wrote stays.</summary>
        public static IOperation WithoutImplicitConversions(this IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        /// <summary>
        /// The outermost conversion, implicit or explicit, wrapped around <paramref name="operation"/>, or the
        /// operation itself when its parent is no conversion; its <see cref="IOperation.Parent"/> is where the value goes.
        /// </summary>
        public static IOperation WithEnclosingConversions(this IOperation operation)
        {
            while (operation.Parent is IConversionOperation conversion)
            {
                operation = conversion;
            }

            return operation;
        }

        /// <summary>
        /// The outermost implicit conversion wrapped around <paramref name="operation"/>, or the operation itself;
        /// its <see cref="IOperation.Parent"/> is where the value goes as the author wrote it.
        /// </summary>
        public static IOperation WithEnclosingImplicitConversions(this IOperation operation)
        {
            while (operation.Parent is IConversionOperation { IsImplicit: true } conversion)
            {
                operation = conversion;
            }

            return operation;
        }

        /// <summary>
        /// The outermost delegate creation or conversion wrapped around <paramref name="operation"/> (a lambda),
        /// or the operation itself; its <see cref="IOperation.Parent"/> is what receives the delegate, usually an argument.
        /// </summary>
        public static IOperation WithEnclosingDelegateConversions(this IOperation operation)
        {
            while (operation.Parent is IDelegateCreationOperation or IConversionOperation)
            {
                operation = operation.Parent;
            }

            return operation;
        }

        /// <summary>The topmost operation of the tree <paramref name="operation"/> belongs to: the body or initializer.</summary>
        public static IOperation Root(this IOperation operation)
        {
            while (operation.Parent is { } parent)
            {
                operation = parent;
            }

            return operation;
        }
    }
}
