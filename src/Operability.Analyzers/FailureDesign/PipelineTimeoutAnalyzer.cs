using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// OPS406: a client whose <c>HttpClient.Timeout</c> is shorter than its standard resilience handler's total
    /// timeout (30 s unless <c>TotalRequestTimeout.Timeout</c> is set), or whose total timeout is longer than the
    /// 100 s the <c>HttpClient.Timeout</c> default allows. Only constants are compared.
    /// </summary>
    /// <remarks>
    /// <c>HttpClient.Timeout</c> wraps the whole handler chain: when it is the shorter, the client cancels the
    /// pipeline in the middle of its retries. The rule stays silent for anything it cannot evaluate — a timeout
    /// that is not a constant, options from a method group or configuration, a custom pipeline, more than one
    /// handler, the project's own builder extensions, a builder that escapes, or client defaults that may set
    /// the client's timeout.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PipelineTimeoutAnalyzer : DiagnosticAnalyzer
    {
        private const double HttpClientDefaultSeconds = 100;
        private const double StandardTotalSeconds = 30;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.ClientTimeoutShorterThanPipeline);

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
            var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
            var httpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
            if (builderType is null || timeSpan is null || httpClient is null)
            {
                return;
            }

            var defaults = new HttpClientDefaults(compilation);
            ClientChain.Register(context, builderType, (blockContext, chain) => Analyze(blockContext, chain, timeSpan, httpClient, defaults));
        }

        private static void Analyze(OperationBlockAnalysisContext context, ClientChain chain, INamedTypeSymbol timeSpan, INamedTypeSymbol httpClient, HttpClientDefaults defaults)
        {
            if (chain.IsOperabilityClient || chain.Escapes)
            {
                return;
            }

            var client = new Reading();
            var total = new Reading();
            IInvocationOperation? handler = null;
            client.Read(chain.Registration, op => IsClientTimeout(op, httpClient), timeSpan);
            foreach (var call in chain.Calls)
            {
                var name = call.TargetMethod.Name;
                if (ClientChain.IsOwnHelper(call) || (ClientChain.AddsResilienceHandler(call.TargetMethod) && (handler is not null || name != "AddStandardResilienceHandler")))
                {
                    return;
                }

                if (name == "AddStandardResilienceHandler")
                {
                    handler = call;
                    total.Read(call, IsTotalTimeout, timeSpan);
                }
                else if (name == "Configure" && handler is not null)
                {
                    total.Read(call, IsTotalTimeout, timeSpan);
                }
                else if (name == "ConfigureHttpClient")
                {
                    client.Read(call, op => IsClientTimeout(op, httpClient), timeSpan);
                }
            }

            if (handler is null || client.Unknown || total.Unknown)
            {
                return;
            }

            var totalSeconds = total.Seconds ?? StandardTotalSeconds;
            if (client.Seconds is { } clientSeconds)
            {
                if (clientSeconds < totalSeconds)
                {
                    Report(context, client.Where!, chain, Format(clientSeconds), totalSeconds);
                }

                return;
            }

            var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(chain.Registration.Syntax.SyntaxTree);
            if (totalSeconds > HttpClientDefaultSeconds && !defaults.SetTimeouts(options))
            {
                Report(context, handler, chain, "the " + Format(HttpClientDefaultSeconds) + " default", totalSeconds);
            }
        }

        private static void Report(OperationBlockAnalysisContext context, IOperation where, ClientChain chain, string client, double total) =>
            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                RuleDescriptors.ClientTimeoutShorterThanPipeline,
                where is IInvocationOperation call ? HttpClientRegistrationAnalyzer.RegistrationLocation(call) : where.Syntax.GetLocation(),
                chain.Name,
                client,
                Format(total)), context.Options));

        private static bool IsClientTimeout(IPropertyReferenceOperation property, INamedTypeSymbol httpClient) =>
            property.Property.Name == "Timeout" && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, httpClient);

        // options.TotalRequestTimeout.Timeout
        private static bool IsTotalTimeout(IPropertyReferenceOperation property) =>
            property.Property.Name == "Timeout"
            && property.Instance is IPropertyReferenceOperation { Property.Name: "TotalRequestTimeout" };

        private static string Format(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        // What the lambdas passed to one call assign to one timeout property: a constant, nothing, or something unreadable.
        private sealed class Reading
        {
            public double? Seconds { get; private set; }

            public IOperation? Where { get; private set; }

            public bool Unknown { get; private set; }

            public void Read(IInvocationOperation call, Func<IPropertyReferenceOperation, bool> isTarget, INamedTypeSymbol timeSpan)
            {
                foreach (var value in ClientChain.PassedValues(call))
                {
                    if (value.ConstantValue.HasValue)
                    {
                        continue;
                    }

                    if (value is not IAnonymousFunctionOperation lambda)
                    {
                        // A method group or IConfigurationSection: the timeout may be set there.
                        Unknown |= value.Type?.TypeKind == TypeKind.Delegate || value is IMethodReferenceOperation || value.Type?.Name == "IConfigurationSection";
                        continue;
                    }

                    foreach (var operation in lambda.Body.DescendantsAndSelf())
                    {
                        if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment && isTarget(property))
                        {
                            Seconds = TimeSpanConstant.Seconds(assignment.Value, timeSpan);
                            Unknown |= Seconds is null;
                            Where = assignment;
                        }
                    }
                }
            }
        }
    }
}
