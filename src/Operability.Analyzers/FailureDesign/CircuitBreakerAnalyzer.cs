using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// OPS403: a client registration of <c>IHttpClientFactory</c> whose chain (or the service's client
    /// defaults) sets a timeout, while neither its chain nor the defaults add a circuit breaker.
    /// </summary>
    /// <remarks>
    /// A client without any timeout is OPS103's; this rule speaks once the first step is taken. It stays
    /// silent whenever a breaker could be out of sight: the project's own extension methods on the builder,
    /// a method group or a policy object passed in, a policy registry, a handler type named like a
    /// resilience handler, a builder that escapes into a variable, or defaults configured through a method group.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CircuitBreakerAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Option: extra method names that give every client a circuit breaker.</summary>
        public const string DefaultsMethodsOption = "operability.OPS403.circuit_breaker_defaults_methods";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.ClientWithoutCircuitBreaker);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var compilation = context.Compilation;
            var builderType = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder");
            if (builderType is null)
            {
                return;
            }

            var defaults = new HttpClientDefaults(compilation);
            var pipeline = new Lazy<ClientDefaultsPipeline>(() => ClientDefaultsPipeline.Read(compilation, defaults), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            ClientChain.Register(context, builderType, (blockContext, chain) => Analyze(blockContext, chain, defaults, pipeline));
        }

        private static void Analyze(OperationBlockAnalysisContext context, ClientChain chain, HttpClientDefaults defaults, Lazy<ClientDefaultsPipeline> pipeline)
        {
            if (chain.IsOperabilityClient || chain.Escapes)
            {
                return;
            }

            var facts = DelegateFacts(chain.Registration, readsPolicies: false);
            var defaultsRemoved = false;
            foreach (var call in chain.Calls)
            {
                if (call.TargetMethod.Name == "RemoveAllResilienceHandlers")
                {
                    defaultsRemoved = true;
                    facts &= ~Facts.Breaker;
                    continue;
                }

                facts |= CallFacts(call);
            }

            if ((facts & (Facts.Breaker | Facts.Unknown)) != 0)
            {
                return;
            }

            var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(chain.Registration.Syntax.SyntaxTree);
            if (!defaultsRemoved)
            {
                var fromDefaults = pipeline.Value;
                if (fromDefaults.HasCircuitBreaker || fromDefaults.Unknown || OptionListedDefaultsInvoked(defaults, options))
                {
                    return;
                }

                if (defaults.SetTimeouts(options))
                {
                    facts |= Facts.Timeout;
                }
            }

            if ((facts & Facts.Timeout) == 0)
            {
                return;
            }

            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                RuleDescriptors.ClientWithoutCircuitBreaker,
                HttpClientRegistrationAnalyzer.RegistrationLocation(chain.Registration),
                chain.Name), context.Options));
        }

        private static bool OptionListedDefaultsInvoked(HttpClientDefaults defaults, AnalyzerConfigOptions options)
        {
            if (!options.TryGetValue(DefaultsMethodsOption, out var value))
            {
                return false;
            }

            foreach (var part in value.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (defaults.IsInvoked(part.Trim()))
                {
                    return true;
                }
            }

            return false;
        }

        private static Facts CallFacts(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            if (method.Name == "AddStandardResilienceHandler" || method.Name == "AddStandardHedgingHandler")
            {
                return Facts.Timeout | Facts.Breaker;
            }

            if (ClientChain.IsOwnHelper(call))
            {
                return Facts.Unknown;
            }

            switch (method.Name)
            {
                case "AddResilienceHandler":
                case "ConfigureHttpClient":
                case "AddTransientHttpErrorPolicy":
                case "AddPolicyHandler":
                    return DelegateFacts(call, readsPolicies: true);
                case "AddPolicyHandlerFromRegistry":
                    return Facts.Unknown;
                case "AddHttpMessageHandler":
                    foreach (var type in method.TypeArguments)
                    {
                        if (NamesResilience(type.Name))
                        {
                            return Facts.Unknown;
                        }
                    }

                    return Facts.None;
                default:
                    return Facts.None;
            }
        }

        // Lambdas are read; a method group, a delegate or a policy object from elsewhere could hold a breaker.
        private static Facts DelegateFacts(IInvocationOperation call, bool readsPolicies)
        {
            var facts = Facts.None;
            foreach (var value in ClientChain.PassedValues(call))
            {
                if (value is IAnonymousFunctionOperation lambda)
                {
                    facts |= BodyFacts(lambda.Body);
                }
                else if (value.Type?.TypeKind == TypeKind.Delegate || value is IMethodReferenceOperation)
                {
                    facts |= Facts.Unknown;
                }
                else if (!value.ConstantValue.HasValue && readsPolicies)
                {
                    // A policy object: its type may say what it is (AsyncCircuitBreakerPolicy, AsyncTimeoutPolicy).
                    var name = value.Type?.Name ?? string.Empty;
                    facts |= name.IndexOf("CircuitBreaker", StringComparison.Ordinal) >= 0 ? Facts.Breaker
                        : name.IndexOf("Timeout", StringComparison.Ordinal) >= 0 ? Facts.Timeout
                        : Facts.Unknown;
                }
            }

            return facts;
        }

        private static Facts BodyFacts(IOperation body)
        {
            var facts = Facts.None;
            foreach (var operation in body.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } when property.Property.Name.IndexOf("Timeout", StringComparison.Ordinal) >= 0:
                        facts |= Facts.Timeout;
                        break;
                    case IInvocationOperation invocation:
                        var name = invocation.TargetMethod.Name;
                        if (name.IndexOf("CircuitBreaker", StringComparison.Ordinal) >= 0)
                        {
                            facts |= Facts.Breaker;
                        }
                        else if (name.IndexOf("Timeout", StringComparison.Ordinal) >= 0)
                        {
                            facts |= Facts.Timeout;
                        }
                        else if (HttpClientRegistrationAnalyzer.IsInSource(invocation.TargetMethod))
                        {
                            facts |= Facts.Unknown;
                        }

                        break;
                    case IMethodReferenceOperation reference when HttpClientRegistrationAnalyzer.IsInSource(reference.Method):
                        facts |= Facts.Unknown;
                        break;
                }
            }

            return facts;
        }

        private static bool NamesResilience(string name) =>
            name.IndexOf("Circuit", StringComparison.Ordinal) >= 0
            || name.IndexOf("Breaker", StringComparison.Ordinal) >= 0
            || name.IndexOf("Resilien", StringComparison.Ordinal) >= 0
            || name.IndexOf("Polly", StringComparison.Ordinal) >= 0;

        [Flags]
        private enum Facts
        {
            None = 0,
            Timeout = 1,
            Breaker = 2,
            Unknown = 4,
        }
    }
}
