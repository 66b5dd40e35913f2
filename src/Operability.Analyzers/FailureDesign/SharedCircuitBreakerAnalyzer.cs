using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// OPS407: a circuit breaker added for every client in <c>ConfigureHttpClientDefaults</c>
    /// (<c>AddStandardResilienceHandler()</c>, or <c>AddResilienceHandler</c> with <c>AddCircuitBreaker</c>).
    /// </summary>
    /// <remarks>
    /// Http.Resilience registers a handler's pipeline under the builder's name, and the builder that
    /// <c>ConfigureHttpClientDefaults</c> hands out has none: every client then resolves the one pipeline named
    /// after the handler ("standard"), with one circuit breaker (dotnet/extensions#5021). A pipeline key selector
    /// (<c>SelectPipelineByAuthority()</c>, <c>SelectPipelineBy(...)</c>) gives each key its own instance, so it is
    /// not reported. Polly v7 policy objects shared between clients are not analysed.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SharedCircuitBreakerAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.SharedCircuitBreaker);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var builderType = context.Compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder");
            if (builderType is null)
            {
                return;
            }

            context.RegisterOperationAction(operationContext => Analyze(operationContext, builderType), OperationKind.Invocation);
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol builderType)
        {
            var call = (IInvocationOperation)context.Operation;
            var name = call.TargetMethod.Name;
            if ((name != "AddStandardResilienceHandler" && name != "AddResilienceHandler")
                || !call.TargetMethod.IsExtensionMethod
                || call.Arguments.Length == 0
                || !IsDefaultsBuilder(call.Arguments[0].Value)
                || (name == "AddResilienceHandler" && !AddsCircuitBreaker(call)))
            {
                return;
            }

            for (IOperation end = call; HttpClientRegistrationAnalyzer.NextInChain(end, builderType) is { } next; end = next)
            {
                if (next.TargetMethod.Name.StartsWith("SelectPipelineBy", System.StringComparison.Ordinal))
                {
                    return;
                }
            }

            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                RuleDescriptors.SharedCircuitBreaker,
                HttpClientRegistrationAnalyzer.RegistrationLocation(call),
                name), context.Options));
        }

        // 'http' in 'services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler())'.
        private static bool IsDefaultsBuilder(IOperation receiver)
        {
            receiver = receiver.WithoutConversions();

            if (receiver is not IParameterReferenceOperation parameter
                || parameter.Parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction })
            {
                return false;
            }

            for (var operation = receiver.Parent; operation is not null; operation = operation.Parent)
            {
                if (operation is IAnonymousFunctionOperation lambda && SymbolEqualityComparer.Default.Equals(lambda.Symbol, parameter.Parameter.ContainingSymbol))
                {
                    var outer = lambda.WithEnclosingDelegateConversions().Parent;

                    return outer is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "ConfigureHttpClientDefaults" } };
                }
            }

            return false;
        }

        private static bool AddsCircuitBreaker(IInvocationOperation call)
        {
            foreach (var operation in call.Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "AddCircuitBreaker" })
                {
                    return true;
                }
            }

            return false;
        }
    }
}
