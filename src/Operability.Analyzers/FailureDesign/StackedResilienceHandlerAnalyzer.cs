using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// OPS405: a client gets a second resilience handler — twice in its chain, on top of Operability's
    /// pipeline (<c>AddOperabilityClient</c>), or on top of one its client defaults add to every client
    /// (<c>ConfigureHttpClientDefaults</c>, Aspire's <c>AddServiceDefaults</c>).
    /// </summary>
    /// <remarks>
    /// <c>RemoveAllResilienceHandlers()</c> starts the chain afresh. <c>AddOperabilityClient</c> replaces the handlers the
    /// defaults add (it is the one pipeline of its clients), so only a handler added after it is a second one. The
    /// project's own extension method on the builder may add or remove handlers: the chain is not read past it.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class StackedResilienceHandlerAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.StackedResilienceHandlers);

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

            var pipeline = new System.Lazy<ClientDefaultsPipeline>(
                () => ClientDefaultsPipeline.Read(compilation, new HttpClientDefaults(compilation)),
                System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            ClientChain.Register(context, builderType, (blockContext, chain) => Analyze(blockContext, chain, pipeline));
        }

        private static void Analyze(OperationBlockAnalysisContext context, ClientChain chain, System.Lazy<ClientDefaultsPipeline> pipeline)
        {
            // Where the handler the client already has comes from; the defaults are only read when a handler is added.
            string? existing = chain.IsOperabilityClient ? "AddOperabilityClient" : null;
            var defaultsApply = !chain.IsOperabilityClient;
            foreach (var call in chain.Calls)
            {
                var method = call.TargetMethod;
                if (method.Name == "RemoveAllResilienceHandlers")
                {
                    existing = null;
                    defaultsApply = false;
                    continue;
                }

                if (ClientChain.IsOwnHelper(call))
                {
                    return;
                }

                if (!ClientChain.AddsResilienceHandler(method))
                {
                    continue;
                }

                if (existing is null && defaultsApply && pipeline.Value.HandlerSource is { } source)
                {
                    existing = source;
                }

                if (existing is not null)
                {
                    context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                        RuleDescriptors.StackedResilienceHandlers,
                        HttpClientRegistrationAnalyzer.RegistrationLocation(call),
                        method.Name,
                        chain.Name,
                        existing), context.Options));
                }

                existing = "'" + method.Name + "' earlier in its chain";
                defaultsApply = false;
            }
        }
    }
}
