using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// What the service's client defaults add to every client's pipeline: <c>ConfigureHttpClientDefaults</c>
    /// anywhere in the compilation (read syntactically, as <see cref="HttpClientDefaults"/> does), or .NET
    /// Aspire's <c>AddServiceDefaults</c> from a ServiceDefaults project, whose template adds
    /// <c>AddStandardResilienceHandler()</c> to every client. Computed once per compilation, when first asked.
    /// </summary>
    internal sealed class ClientDefaultsPipeline
    {
        private const string AspireDefaults = "AddServiceDefaults";

        private ClientDefaultsPipeline(string? handlerSource, bool hasCircuitBreaker, bool retriesUnsafeMethods, bool unknown)
        {
            HandlerSource = handlerSource;
            RetriesUnsafeMethods = retriesUnsafeMethods;
            HasCircuitBreaker = hasCircuitBreaker;
            Unknown = unknown;
        }

        /// <summary>Where the defaults add a resilience handler ('ConfigureHttpClientDefaults', 'AddServiceDefaults'), if they do.</summary>
        public string? HandlerSource { get; }

        /// <summary>The defaults give every client a circuit breaker.</summary>
        public bool HasCircuitBreaker { get; }

        /// <summary>
        /// The defaults retry every client's requests whatever their method: a standard handler or an <c>AddRetry</c>
        /// without <c>DisableForUnsafeHttpMethods</c>/<c>DisableFor</c>, and no <c>ShouldHandle</c> of their own.
        /// </summary>
        public bool RetriesUnsafeMethods { get; }

        /// <summary>The defaults pass a method group: what they add cannot be read.</summary>
        public bool Unknown { get; }

        public static ClientDefaultsPipeline Read(Compilation compilation, HttpClientDefaults defaults)
        {
            string? handlerSource = null;
            var breaker = false;
            var unknown = false;
            var retries = false;
            var restricted = false;
            foreach (var invocation in defaults.Invocations("ConfigureHttpClientDefaults"))
            {
                foreach (var argument in invocation.ArgumentList.Arguments)
                {
                    if (argument.Expression is not LambdaExpressionSyntax lambda)
                    {
                        unknown = true;
                        continue;
                    }

                    foreach (var token in lambda.DescendantTokens())
                    {
                        if (!token.IsKind(SyntaxKind.IdentifierToken))
                        {
                            continue;
                        }

                        var name = token.ValueText;
                        if (name == "AddStandardResilienceHandler" || name == "AddStandardHedgingHandler" || name == "AddResilienceHandler")
                        {
                            handlerSource ??= "ConfigureHttpClientDefaults";
                        }

                        retries |= name == "AddStandardResilienceHandler" || name == "AddRetry";
                        restricted |= name == "DisableForUnsafeHttpMethods" || name == "DisableFor" || name == "ShouldHandle";
                        breaker |= name == "AddStandardResilienceHandler"
                            || name == "AddStandardHedgingHandler"
                            || name.IndexOf("CircuitBreaker", StringComparison.Ordinal) >= 0;
                    }
                }
            }

            // Aspire's ServiceDefaults project is another assembly; when the method is this project's own,
            // its ConfigureHttpClientDefaults has been read above.
            if (handlerSource is null
                && defaults.IsInvoked(AspireDefaults)
                && !compilation.ContainsSymbolsWithName(AspireDefaults, SymbolFilter.Member))
            {
                handlerSource = AspireDefaults;
                breaker = true;
                retries = true;
            }

            return new ClientDefaultsPipeline(handlerSource, breaker, retries && !restricted, unknown);
        }
    }
}
