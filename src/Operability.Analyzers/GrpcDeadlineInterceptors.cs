using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Operability.Analyzers
{
    /// <summary>
    /// The one judgement OPS103 and OPS106 share about gRPC interceptors: an interceptor added to a client
    /// registration counts as a deadline only when it is known to set one — its type is listed in
    /// <c>operability.timeouts.deadline_interceptors</c>, or its code in this compilation (or a base class's code)
    /// visibly sets a deadline on the call options (<c>WithDeadline(...)</c>, or a <c>deadline:</c> argument). An
    /// interceptor that logs, maps exceptions or adds headers sets none, and its name proves nothing.
    /// Interceptors are matched by simple type name, from syntax; each name is judged once per compilation.
    /// </summary>
    internal sealed class GrpcDeadlineInterceptors
    {
        /// <summary>Comma-separated interceptor type names (simple or namespace-qualified) known to set a deadline.</summary>
        public const string ListOption = "operability.timeouts.deadline_interceptors";

        private readonly Compilation _compilation;
        private readonly HashSet<string> _listed = new HashSet<string>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _judged = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private readonly INamedTypeSymbol? _interceptor;

        public GrpcDeadlineInterceptors(Compilation compilation, AnalyzerConfigOptions globalOptions)
        {
            _compilation = compilation;
            _interceptor = compilation.GetTypeByMetadataName("Grpc.Core.Interceptors.Interceptor");
            if (globalOptions.TryGetValue(ListOption, out var listed))
            {
                foreach (var entry in listed.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = entry.Trim();
                    var dot = name.LastIndexOf('.');
                    if (dot >= 0)
                    {
                        name = name.Substring(dot + 1);
                    }

                    if (name.Length > 0)
                    {
                        _listed.Add(name);
                    }
                }
            }
        }

        /// <summary>
        /// Whether <paramref name="call"/> — <c>AddInterceptor&lt;T&gt;(...)</c>, or a configure delegate such as
        /// <c>o =&gt; o.Interceptors.Add(new T())</c> — names an interceptor known to set a deadline.
        /// </summary>
        public bool NamesDeadlineInterceptor(InvocationExpressionSyntax call)
        {
            if (call.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic } && MentionsOne(generic.TypeArgumentList))
            {
                return true;
            }

            if (call.Expression is GenericNameSyntax bare && MentionsOne(bare.TypeArgumentList))
            {
                return true;
            }

            return MentionsOne(call.ArgumentList);
        }

        private bool MentionsOne(SyntaxNode node)
        {
            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && SetsDeadline(token.ValueText))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether an interceptor type named <paramref name="name"/> is listed, or its source visibly sets a deadline.</summary>
        public bool SetsDeadline(string name)
        {
            if (_listed.Contains(name))
            {
                return true;
            }

            if (_interceptor is null || name.Length == 0 || !char.IsUpper(name[0]))
            {
                return false;
            }

            return _judged.GetOrAdd(name, Judge);
        }

        private bool Judge(string name)
        {
            foreach (var symbol in _compilation.GetSymbolsWithName(name, SymbolFilter.Type))
            {
                if (symbol is INamedTypeSymbol type && DerivesFromInterceptor(type) && SourceSetsDeadline(type))
                {
                    return true;
                }
            }

            return false;
        }

        private bool DerivesFromInterceptor(INamedTypeSymbol type)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, _interceptor))
                {
                    return true;
                }
            }

            return false;
        }

        // The type's own declarations and those of its base classes declared in source.
        private static bool SourceSetsDeadline(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                foreach (var reference in current.DeclaringSyntaxReferences)
                {
                    if (SetsDeadline(reference.GetSyntax()))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool SetsDeadline(SyntaxNode declaration)
        {
            foreach (var node in declaration.DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } when member.Name.Identifier.ValueText == "WithDeadline":
                        return true;
                    case NameColonSyntax nameColon when nameColon.Name.Identifier.ValueText == "deadline":
                        return true;
                }
            }

            return false;
        }
    }
}
