using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Operability.Analyzers
{
    /// <summary>
    /// The gRPC clients whose <c>AddGrpcClient&lt;TClient&gt;(...)</c> registration may set a deadline or timeout
    /// for every call: a chain with <c>ConfigureChannel</c>, an interceptor known to set a deadline
    /// (<see cref="GrpcDeadlineInterceptors"/>), a resilience handler, context
    /// propagation, an Operability registration, anything named *Timeout/*Deadline, a call this class does not know,
    /// or a builder that escapes into a variable. Found by a syntactic scan of the compilation (no semantic model of
    /// other files, RS1030), done lazily once, by client type name.
    /// </summary>
    internal sealed class GrpcClientRegistrations
    {
        // Chain calls known to set no deadline; any other call might (the project's own extensions, for one).
        private static readonly HashSet<string> CallsWithoutDeadline = new HashSet<string>(StringComparer.Ordinal)
        {
            "AddGrpcClient",
            "ConfigurePrimaryHttpMessageHandler",
            "ConfigureAdditionalHttpMessageHandlers",
            "SetHandlerLifetime",
            "AddHttpMessageHandler",
            "AddCallCredentials",
            "ConfigureHttpClient",
            "AddServiceDiscovery",
            "AddTypedClient",
            "RedactLoggedHeaders",
            "AddAsKeyed",
        };

        private readonly Compilation _compilation;
        private readonly GrpcDeadlineInterceptors _interceptors;
        private readonly Lazy<HashSet<string>> _covered;

        public GrpcClientRegistrations(Compilation compilation, GrpcDeadlineInterceptors interceptors)
        {
            _compilation = compilation;
            _interceptors = interceptors;
            _covered = new Lazy<HashSet<string>>(Scan, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>Whether <paramref name="type"/> is a gRPC client: it derives from <c>Grpc.Core.ClientBase&lt;T&gt;</c> (<paramref name="clientBase"/>).</summary>
        public static bool IsClient(INamedTypeSymbol type, INamedTypeSymbol clientBase)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, clientBase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether a registration of a client type named <paramref name="clientTypeName"/> sets (or may set) a deadline.</summary>
        public bool SetsDeadline(string clientTypeName) => _covered.Value.Contains(clientTypeName);

        private HashSet<string> Scan()
        {
            var covered = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (!SourceTextSearch.MayMention(tree, "AddGrpcClient"))
                {
                    continue;
                }

                foreach (var token in tree.GetRoot().DescendantTokens())
                {
                    if (!token.IsKind(SyntaxKind.IdentifierToken)
                        || token.ValueText != "AddGrpcClient"
                        || token.Parent is not GenericNameSyntax generic
                        || generic.TypeArgumentList.Arguments.Count == 0
                        || HttpClientDefaults.InvocationOf(token) is not { } registration)
                    {
                        continue;
                    }

                    var clientName = RightmostName(generic.TypeArgumentList.Arguments[0]);
                    if (clientName is not null && !covered.Contains(clientName) && SetsDeadline(registration))
                    {
                        covered.Add(clientName);
                    }
                }
            }

            return covered;
        }

        private bool SetsDeadline(InvocationExpressionSyntax registration)
        {
            // The registration's own configure delegates: options.CallOptionsActions, options.Interceptors, ...
            if (ArgumentsMayConfigureCalls(registration))
            {
                return true;
            }

            ExpressionSyntax current = registration;
            while (true)
            {
                var parent = current.Parent;
                while (parent is ParenthesizedExpressionSyntax)
                {
                    current = (ExpressionSyntax)parent;
                    parent = parent.Parent;
                }

                if (parent is MemberAccessExpressionSyntax member
                    && member.Expression == current
                    && member.Parent is InvocationExpressionSyntax next
                    && next.Expression == member)
                {
                    var name = member.Name.Identifier.ValueText;
                    if (name == "AddInterceptor")
                    {
                        if (_interceptors.NamesDeadlineInterceptor(next))
                        {
                            return true;
                        }

                        current = next;
                        continue;
                    }

                    if (!CallsWithoutDeadline.Contains(name))
                    {
                        return true;
                    }

                    if (name == "ConfigureHttpClient" && ArgumentsMayConfigureCalls(next))
                    {
                        return true;
                    }

                    current = next;
                    continue;
                }

                // Stored, returned or passed on: more may be added to the builder elsewhere.
                return parent is not ExpressionStatementSyntax;
            }
        }

        private bool ArgumentsMayConfigureCalls(InvocationExpressionSyntax invocation)
        {
            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                var expression = argument.Expression;
                if (expression is LiteralExpressionSyntax)
                {
                    continue;
                }

                if (expression is not LambdaExpressionSyntax)
                {
                    // A method group or a delegate from elsewhere: its body is not visible here.
                    return true;
                }

                foreach (var token in expression.DescendantTokens())
                {
                    if (!token.IsKind(SyntaxKind.IdentifierToken))
                    {
                        continue;
                    }

                    var text = token.ValueText;
                    if (HttpClientDefaults.NamesTimeout(text)
                        || text.IndexOf("Deadline", StringComparison.Ordinal) >= 0
                        || text == "CallOptionsActions"
                        || _interceptors.SetsDeadline(text))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string? RightmostName(TypeSyntax type) => type switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };
    }
}
