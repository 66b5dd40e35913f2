using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// A retry's own <c>ShouldHandle</c> (OPS404): does the predicate the project assigns look at the request's
    /// method? One that decides from the outcome alone (<c>args =&gt; ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome))</c>,
    /// a <c>PredicateBuilder</c> chain) retries a POST as readily as a GET.
    /// </summary>
    /// <remarks>
    /// Precision first: a predicate is judged to ignore the method only when all of it can be read — a lambda
    /// that reads its argument, or a <c>PredicateBuilder</c> chain — with no method group, delegate, or call
    /// into the project's own code in it. Reading <c>HttpRequestMessage.Method</c> or any <c>HttpMethod</c>
    /// anywhere in it counts as looking at the method.
    /// </remarks>
    internal static class RetryPredicate
    {
        internal enum Verdict
        {
            /// <summary>Another strategy's predicate (a circuit breaker's, a fallback's): it sends nothing again.</summary>
            NotARetry,

            /// <summary>A retry's predicate that cannot be read, or is not assigned here.</summary>
            Unknown,

            /// <summary>The predicate looks at the request's method.</summary>
            ChecksMethod,

            /// <summary>The predicate decides from the outcome alone.</summary>
            IgnoresMethod,
        }

        /// <summary>Judges the value assigned to <paramref name="shouldHandle"/>, when it is a retry's <c>ShouldHandle</c>.</summary>
        public static Verdict Judge(IPropertyReferenceOperation shouldHandle)
        {
            if (!IsRetryOptions(shouldHandle.Property.ContainingType))
            {
                return Verdict.NotARetry;
            }

            if (shouldHandle.Parent is not ISimpleAssignmentOperation assignment
                || assignment.Target != shouldHandle)
            {
                return Verdict.Unknown;
            }

            var value = assignment.Value.WithoutConversions();

            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target;
            }

            switch (value)
            {
                case IAnonymousFunctionOperation lambda when ReadsOwnParameter(lambda):
                case IInvocationOperation:
                case IObjectCreationOperation:
                    return Read(value);
                default:
                    return Verdict.Unknown;
            }
        }

        /// <summary>Where to report a predicate that ignores the method: its <c>ShouldHandle</c> name.</summary>
        public static Location Location(IPropertyReferenceOperation shouldHandle) => shouldHandle.Syntax switch
        {
            MemberAccessExpressionSyntax member => member.Name.GetLocation(),
            var syntax => syntax.GetLocation(),
        };

        private static Verdict Read(IOperation predicate)
        {
            foreach (var operation in predicate.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IPropertyReferenceOperation { Property: { Name: "Method", ContainingType: { Name: "HttpRequestMessage" } } }:
                        return Verdict.ChecksMethod;
                    case IMethodReferenceOperation:
                    case IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke }:
                    case IInvocationOperation invocation when HttpClientRegistrationAnalyzer.IsInSource(invocation.TargetMethod):
                        return Verdict.Unknown;
                    case ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation
                        when operation.Type?.TypeKind == TypeKind.Delegate:
                        return Verdict.Unknown;
                }

                if (operation.Type is { Name: "HttpMethod", ContainingNamespace: { Name: "Http" } })
                {
                    return Verdict.ChecksMethod;
                }
            }

            return Verdict.IgnoresMethod;
        }

        // 'args => ValueTask.FromResult(false)' never retries: a predicate that does not read the outcome is left alone.
        private static bool ReadsOwnParameter(IAnonymousFunctionOperation lambda)
        {
            foreach (var operation in lambda.Body.DescendantsAndSelf())
            {
                if (operation is IParameterReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol, lambda.Symbol))
                {
                    return true;
                }
            }

            return false;
        }

        // Polly's RetryStrategyOptions<T>, and what derives from it (Http.Resilience's HttpRetryStrategyOptions).
        private static bool IsRetryOptions(INamedTypeSymbol? type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current is { Name: "RetryStrategyOptions", ContainingNamespace: { Name: "Retry", ContainingNamespace.Name: "Polly" } })
                {
                    return true;
                }
            }

            return false;
        }
    }
}
