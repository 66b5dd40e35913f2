using Microsoft.CodeAnalysis;

namespace Operability.Analyzers
{
    /// <summary>
    /// C# 14 extension members (<c>extension(IServiceCollection services) { public IHttpClientBuilder AddThing() … }</c>)
    /// seen through the Roslyn 4.8 API the analyzers compile against. To a newer compiler such a member is not an
    /// extension method (<see cref="IMethodSymbol.IsExtensionMethod"/> is false): it is an instance member of the
    /// extension block, a type of kind <c>TypeKind.Extension</c> nested in the static class, and a call to it has
    /// the receiver as <c>IInvocationOperation.Instance</c>, with no argument for it.
    /// </summary>
    /// <remarks>
    /// Roslyn 4.8 has no <c>TypeKind.Extension</c>, so it is matched by its value (14, fixed since Roslyn 4.14 in the
    /// public enum): older hosts never produce it, and nothing newer than Roslyn 4.8 is referenced, so the analyzers
    /// still load everywhere. The extended type is read from the block's implementation method, which the compiler
    /// emits into the static class as a classic extension method (in source and in metadata alike).
    /// </remarks>
    internal static class ExtensionMembers
    {
        private const TypeKind ExtensionTypeKind = (TypeKind)14;

        /// <summary>Whether <paramref name="member"/> is declared in a C# 14 <c>extension(…) { }</c> block.</summary>
        public static bool IsExtensionBlockMember(ISymbol member) => member.ContainingType is { TypeKind: ExtensionTypeKind };

        /// <summary>A classic extension method or a C# 14 extension-block member.</summary>
        public static bool IsExtension(IMethodSymbol method) => method.IsExtensionMethod || IsExtensionBlockMember(method);

        /// <summary>The type an extension method or extension-block method extends (its receiver's declared type).</summary>
        public static ITypeSymbol? ExtendedType(IMethodSymbol method)
        {
            if (method.IsExtensionMethod)
            {
                var original = method.ReducedFrom ?? method;
                return original.Parameters.Length > 0 ? original.Parameters[0].Type.OriginalDefinition : null;
            }

            if (!IsExtensionBlockMember(method) || method.ContainingType.ContainingType is not { } container)
            {
                return null;
            }

            // The implementation: same name, a classic extension method, the receiver first, then the same parameters.
            var definition = method.OriginalDefinition;
            foreach (var candidate in container.GetMembers(definition.Name))
            {
                if (candidate is IMethodSymbol { IsExtensionMethod: true } implementation
                    && implementation.Parameters.Length == definition.Parameters.Length + 1
                    && SameParameterNames(implementation, definition))
                {
                    return implementation.Parameters[0].Type.OriginalDefinition;
                }
            }

            return null;
        }

        private static bool SameParameterNames(IMethodSymbol implementation, IMethodSymbol member)
        {
            for (var i = 0; i < member.Parameters.Length; i++)
            {
                if (implementation.Parameters[i + 1].Name != member.Parameters[i].Name)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
