using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// One client registration of <c>IHttpClientFactory</c> (<c>AddHttpClient</c>, <c>AddGrpcClient</c>,
    /// <c>AddRefitClient</c>, Operability's <c>AddOperabilityClient</c>) and the calls chained on the builder it
    /// returns, in order, walked as OPS103 walks them.
    /// </summary>
    internal sealed class ClientChain
    {
        // What HttpClientRegistrationAnalyzer.IsRegistration and IsOperabilityRegistration accept, as written in code.
        private static readonly string[] RegistrationNames = { "AddHttpClient", "AddGrpcClient", "AddRefitClient", "AddOperability" };

        private ClientChain(IInvocationOperation registration, ImmutableArray<IInvocationOperation> calls, bool escapes)
        {
            Registration = registration;
            Calls = calls;
            Escapes = escapes;
        }

        public IInvocationOperation Registration { get; }

        /// <summary>The calls made on the builder after the registration, first to last.</summary>
        public ImmutableArray<IInvocationOperation> Calls { get; }

        /// <summary>The builder is stored, returned or passed on: more may be added to it out of sight.</summary>
        public bool Escapes { get; }

        /// <summary>Whether the registration is Operability's, which brings its own pipeline.</summary>
        public bool IsOperabilityClient => IsOperabilityRegistration(Registration.TargetMethod);

        /// <summary>'AddHttpClient&lt;CatalogClient&gt;', 'AddHttpClient("github")'.</summary>
        public string Name => HttpClientRegistrationAnalyzer.Describe(Registration);

        /// <summary>
        /// Calls <paramref name="analyze"/> for every client registration in a member's body (where the rules apply).
        /// Per body rather than per call, so that a diagnostic on a later call of the chain is local to what was analysed.
        /// </summary>
        public static void Register(CompilationStartAnalysisContext context, INamedTypeSymbol builderType, Action<OperationBlockAnalysisContext, ClientChain> analyze)
        {
            var scope = TimeoutRuleScope.For(context.Options, context.Compilation);
            var texts = new SourceTextSearch.Cache();
            context.RegisterOperationBlockAction(blockContext =>
            {
                foreach (var block in blockContext.OperationBlocks)
                {
                    // Walking a block's operations costs far more than reading its text: only a block that spells
                    // a registration's name can hold one.
                    if (!scope.AppliesTo(block.Syntax.SyntaxTree)
                        || !texts.MayMentionAny(block.Syntax, RegistrationNames, blockContext.CancellationToken))
                    {
                        continue;
                    }

                    foreach (var operation in block.DescendantsAndSelf())
                    {
                        if (operation is IInvocationOperation invocation && From(invocation, builderType) is { } chain)
                        {
                            analyze(blockContext, chain);
                        }
                    }
                }
            });
        }

        /// <summary>The chain that starts at <paramref name="invocation"/>, if it registers a client.</summary>
        public static ClientChain? From(IInvocationOperation invocation, INamedTypeSymbol builderType)
        {
            var method = invocation.TargetMethod;
            if (!HttpClientRegistrationAnalyzer.IsRegistration(method, builderType)
                && !(IsOperabilityRegistration(method) && SymbolEqualityComparer.Default.Equals(method.ReturnType, builderType)))
            {
                return null;
            }

            var calls = ImmutableArray.CreateBuilder<IInvocationOperation>();
            var end = Follow(invocation, builderType, calls);
            var escapes = HttpClientRegistrationAnalyzer.BuilderEscapes(end)
                && !FollowLocal(end, builderType, calls);
            return new ClientChain(invocation, calls.ToImmutable(), escapes);
        }

        private static IOperation Follow(IOperation start, INamedTypeSymbol builderType, ImmutableArray<IInvocationOperation>.Builder calls)
        {
            var end = start;
            while (HttpClientRegistrationAnalyzer.NextInChain(end, builderType) is { } next)
            {
                calls.Add(next);
                end = next;
            }

            return end;
        }

        // 'var http = services.AddHttpClient<X>(); http.AddStandardResilienceHandler(); http.AddResilienceHandler(...);'
        // (Http.Resilience's handlers return their own builders, so a second handler on one client is added this way.)
        // Followed when every later use of the local, in the same block, starts a statement's chain; else it escapes.
        private static bool FollowLocal(IOperation end, INamedTypeSymbol builderType, ImmutableArray<IInvocationOperation>.Builder calls)
        {
            var parent = end.WithEnclosingImplicitConversions().Parent;

            if (parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                || declarator.Parent?.Parent is not IVariableDeclarationGroupOperation group
                || group.Parent is not IBlockOperation block)
            {
                return false;
            }

            var local = declarator.Symbol;
            var declared = false;
            foreach (var statement in block.Operations)
            {
                if (!declared)
                {
                    declared = statement == group;
                    continue;
                }

                foreach (var reference in statement.DescendantsAndSelf())
                {
                    if (reference is not ILocalReferenceOperation use || !SymbolEqualityComparer.Default.Equals(use.Local, local))
                    {
                        continue;
                    }

                    if (statement is not IExpressionStatementOperation
                        || HttpClientRegistrationAnalyzer.NextInChain(use, builderType) is null
                        || HttpClientRegistrationAnalyzer.BuilderEscapes(Follow(use, builderType, calls)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// What is passed to <paramref name="call"/> besides its receiver, conversions and delegate creations
        /// unwrapped: a lambda is an <see cref="IAnonymousFunctionOperation"/>, anything else is as written.
        /// </summary>
        public static System.Collections.Generic.IEnumerable<IOperation> PassedValues(IInvocationOperation call)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0 && call.TargetMethod.IsExtensionMethod)
                {
                    continue;
                }

                var value = argument.Value.WithoutConversions();

                yield return value is IDelegateCreationOperation creation ? creation.Target : value;
            }
        }

        /// <summary>The project's own extension method on the builder: it may add or remove anything.</summary>
        public static bool IsOwnHelper(IInvocationOperation call) =>
            call.TargetMethod.IsExtensionMethod && HttpClientRegistrationAnalyzer.IsInSource(call.TargetMethod) && !IsOperabilityRegistration(call.TargetMethod);

        /// <summary>A call that adds a whole resilience pipeline as one handler (Http.Resilience's, or Operability's).</summary>
        public static bool AddsResilienceHandler(IMethodSymbol method) =>
            method.Name == "AddStandardResilienceHandler"
            || method.Name == "AddStandardHedgingHandler"
            || method.Name == "AddResilienceHandler";

        private static bool IsOperabilityRegistration(IMethodSymbol method) =>
            method.Name.StartsWith("AddOperability", StringComparison.Ordinal) && method.IsExtensionMethod;
    }
}
