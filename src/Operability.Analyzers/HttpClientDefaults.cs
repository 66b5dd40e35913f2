using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>
    /// Whether the service sets a timeout for every client of <c>IHttpClientFactory</c> (and so every
    /// <c>AddGrpcClient</c> client): <c>ConfigureHttpClientDefaults</c> with a timeout or resilience handler
    /// anywhere in the compilation, or a call to a known defaults method (.NET Aspire's <c>AddServiceDefaults</c>,
    /// or one named in <c>operability.OPS103.client_defaults_methods</c>). Looked up lazily, once per name,
    /// only when a rule needs it; shared by OPS103 and OPS106.
    /// </summary>
    internal sealed class HttpClientDefaults
    {
        /// <summary>Option: extra method names that set timeouts for every client (like Aspire's AddServiceDefaults).</summary>
        public const string MethodsOption = "operability.OPS103.client_defaults_methods";

        private static readonly ImmutableArray<string> KnownDefaultsMethods = ImmutableArray.Create("AddServiceDefaults");

        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<string, bool> _invoked = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private readonly Lazy<bool> _configuredDefaults;

        public HttpClientDefaults(Compilation compilation)
        {
            _compilation = compilation;
            _configuredDefaults = new Lazy<bool>(FindConfiguredDefaults, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>Whether client defaults set a timeout, with the extra defaults methods named in <paramref name="options"/>.</summary>
        public bool SetTimeouts(AnalyzerConfigOptions options)
        {
            if (_configuredDefaults.Value)
            {
                return true;
            }

            foreach (var name in KnownDefaultsMethods)
            {
                if (IsInvoked(name))
                {
                    return true;
                }
            }

            if (options.TryGetValue(MethodsOption, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                foreach (var part in value.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = part.Trim();
                    if (name.Length > 0 && IsInvoked(name))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>The invocation whose method name is <paramref name="identifier"/>, if the identifier names a called method.</summary>
        public static InvocationExpressionSyntax? InvocationOf(SyntaxToken identifier)
        {
            SyntaxNode? node = identifier.Parent;
            if (node is GenericNameSyntax or IdentifierNameSyntax)
            {
                var expression = node.Parent is MemberAccessExpressionSyntax member && member.Name == node ? member : (ExpressionSyntax)node;
                return expression.Parent as InvocationExpressionSyntax is { } call && call.Expression == expression ? call : null;
            }

            return null;
        }

        /// <summary>Whether an identifier names something that sets a timeout for a client (a resilience handler, an Operability registration, anything called *Timeout).</summary>
        public static bool NamesTimeout(string identifier) =>
            identifier == "AddStandardResilienceHandler"
            || identifier == "AddStandardHedgingHandler"
            || identifier.StartsWith("AddOperability", StringComparison.Ordinal)
            || identifier.IndexOf("Timeout", StringComparison.Ordinal) >= 0;

        /// <summary>Whether a method named <paramref name="name"/> is called anywhere in the compilation (a syntactic search, once per name).</summary>
        public bool IsInvoked(string name) => _invoked.GetOrAdd(name, n => FindInvocations(n, requireTimeout: false));

        /// <summary>Every call of a method named <paramref name="name"/> in the compilation, found syntactically.</summary>
        public System.Collections.Generic.IEnumerable<InvocationExpressionSyntax> Invocations(string name)
        {
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (!SourceTextSearch.MayMention(tree, name))
                {
                    continue;
                }

                foreach (var token in tree.GetRoot().DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name && InvocationOf(token) is { } invocation)
                    {
                        yield return invocation;
                    }
                }
            }
        }

        private bool FindConfiguredDefaults() => FindInvocations("ConfigureHttpClientDefaults", requireTimeout: true);

        // A syntactic search: the semantic model of other files is not ours to ask for here (RS1030).
        private bool FindInvocations(string name, bool requireTimeout)
        {
            foreach (var invocation in Invocations(name))
            {
                if (!requireTimeout || ArgumentsSetTimeout(invocation))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ArgumentsSetTimeout(InvocationExpressionSyntax invocation)
        {
            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                if (argument.Expression is not LambdaExpressionSyntax)
                {
                    // A method group: its body is elsewhere; give it the benefit of the doubt.
                    return true;
                }

                foreach (var token in argument.Expression.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && NamesTimeout(token.ValueText))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
