using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS106: a call on a gRPC generated client (a class deriving from <c>Grpc.Core.ClientBase&lt;T&gt;</c>) with no
    /// deadline — neither a <c>deadline:</c> argument nor <c>CallOptions</c> that carry one — when the client's
    /// <c>AddGrpcClient</c> registration and the service's client defaults set no deadline or timeout either.
    /// </summary>
    /// <remarks>
    /// Only what the call site shows is judged: <c>CallOptions</c> that come from a variable, parameter, field or method
    /// are trusted, as are <c>CallOptions</c> with a propagation token (the incoming call's deadline travels with it).
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class GrpcDeadlineAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Option: whether streaming calls are flagged too (default true).</summary>
        public const string IncludeStreamingOption = "operability.OPS106.include_streaming";

        /// <summary>The name of the deadline parameter of generated client methods (read by the code fix).</summary>
        internal const string DeadlineParameterName = "deadline";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.GrpcCallWithoutDeadline);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var compilation = context.Compilation;
            var clientBase = compilation.GetTypeByMetadataName("Grpc.Core.ClientBase`1");
            var callOptions = compilation.GetTypeByMetadataName("Grpc.Core.CallOptions");
            if (clientBase is null || callOptions is null)
            {
                return;
            }

            var analysis = new Analysis(
                clientBase,
                callOptions,
                TimeoutRuleScope.For(context.Options, compilation),
                new GrpcClientRegistrations(compilation, new GrpcDeadlineInterceptors(compilation, context.Options.AnalyzerConfigOptionsProvider.GlobalOptions)),
                new HttpClientDefaults(compilation));
            context.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
        }

        private sealed class Analysis
        {
            private readonly INamedTypeSymbol _clientBase;
            private readonly INamedTypeSymbol _callOptions;
            private readonly TimeoutRuleScope _scope;
            private readonly GrpcClientRegistrations _registrations;
            private readonly HttpClientDefaults _defaults;

            public Analysis(INamedTypeSymbol clientBase, INamedTypeSymbol callOptions, TimeoutRuleScope scope, GrpcClientRegistrations registrations, HttpClientDefaults defaults)
            {
                _clientBase = clientBase;
                _callOptions = callOptions;
                _scope = scope;
                _registrations = registrations;
                _defaults = defaults;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                if (method.IsStatic || method.MethodKind != MethodKind.Ordinary || method.ContainingType is not { } client)
                {
                    return;
                }

                var shape = CallShape(method);
                if (shape == Shape.None || !GrpcClientRegistrations.IsClient(client, _clientBase))
                {
                    return;
                }

                // The client's own overloads forward to each other.
                if (SymbolEqualityComparer.Default.Equals(context.ContainingSymbol?.ContainingType, client))
                {
                    return;
                }

                var tree = invocation.Syntax.SyntaxTree;
                if (!_scope.AppliesTo(tree))
                {
                    return;
                }

                var hasDeadline = shape == Shape.DeadlineParameter ? PassesDeadline(invocation) : CallOptionsCarryDeadline(invocation);
                if (hasDeadline)
                {
                    return;
                }

                var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree);
                if (IsStreaming(method) && !IncludeStreaming(options))
                {
                    return;
                }

                if (_registrations.SetsDeadline(client.Name) || _defaults.SetTimeouts(options))
                {
                    return;
                }

                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                    RuleDescriptors.GrpcCallWithoutDeadline,
                    CallLocation(invocation),
                    client.Name + "." + method.Name), context.Options));
            }

            // Generated methods come in two overloads: (request, headers, deadline, cancellationToken) and (request, options).
            private Shape CallShape(IMethodSymbol method)
            {
                foreach (var parameter in method.Parameters)
                {
                    if (SymbolEqualityComparer.Default.Equals(parameter.Type, _callOptions))
                    {
                        return Shape.CallOptionsParameter;
                    }

                    if (parameter.Name == DeadlineParameterName
                        && parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
                        && nullable.TypeArguments.Length == 1
                        && nullable.TypeArguments[0].SpecialType == SpecialType.System_DateTime)
                    {
                        return Shape.DeadlineParameter;
                    }
                }

                return Shape.None;
            }

            private static bool PassesDeadline(IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Name == DeadlineParameterName)
                    {
                        return argument.ArgumentKind != ArgumentKind.DefaultValue && !IsNull(argument.Value);
                    }
                }

                // Half-typed code: no argument for the parameter at all.
                return true;
            }

            private bool CallOptionsCarryDeadline(IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is { } parameter && SymbolEqualityComparer.Default.Equals(parameter.Type, _callOptions))
                    {
                        return argument.ArgumentKind == ArgumentKind.DefaultValue
                            ? false
                            : OptionsCarryDeadline(argument.Value.WithoutImplicitConversions());
                    }
                }

                return true;
            }

            // Only options built right here are judged: new CallOptions(...), default, and their With* chains.
            private bool OptionsCarryDeadline(IOperation value)
            {
                while (value is IInvocationOperation { Instance: { } receiver } call
                    && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _callOptions))
                {
                    var name = call.TargetMethod.Name;
                    if (name == "WithDeadline" || name == "WithPropagationToken" || !name.StartsWith("With", StringComparison.Ordinal))
                    {
                        return true;
                    }

                    value = receiver.WithoutImplicitConversions();
                }

                switch (value)
                {
                    case IDefaultValueOperation:
                        return false;
                    case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, _callOptions):
                        if (creation.Initializer is not null)
                        {
                            return true;
                        }

                        foreach (var argument in creation.Arguments)
                        {
                            var name = argument.Parameter?.Name;
                            if ((name == DeadlineParameterName || name == "propagationToken")
                                && argument.ArgumentKind != ArgumentKind.DefaultValue
                                && !IsNull(argument.Value))
                            {
                                return true;
                            }
                        }

                        return false;
                    default:
                        return true;
                }
            }

            private static bool IsStreaming(IMethodSymbol method)
            {
                var name = method.ReturnType.Name;
                return name == "AsyncServerStreamingCall" || name == "AsyncClientStreamingCall" || name == "AsyncDuplexStreamingCall";
            }

            private static bool IncludeStreaming(AnalyzerConfigOptions options) =>
                !(options.TryGetValue(IncludeStreamingOption, out var value) && bool.TryParse(value.Trim(), out var include) && !include);

            private static bool IsNull(IOperation value)
            {
                var unwrapped = value.WithoutConversions();

                return unwrapped is IDefaultValueOperation
                    || (unwrapped.ConstantValue.HasValue && unwrapped.ConstantValue.Value is null);
            }

            // From the method name through the argument list: 'SayHelloAsync(request)'.
            private static Location CallLocation(IInvocationOperation invocation)
            {
                if (invocation.Syntax is InvocationExpressionSyntax syntax)
                {
                    SimpleNameSyntax? name = syntax.Expression switch
                    {
                        MemberAccessExpressionSyntax member => member.Name,
                        MemberBindingExpressionSyntax binding => binding.Name,
                        SimpleNameSyntax simple => simple,
                        _ => null,
                    };

                    if (name is not null)
                    {
                        return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(name.SpanStart, syntax.Span.End));
                    }
                }

                return invocation.Syntax.GetLocation();
            }
        }

        private enum Shape
        {
            None,
            DeadlineParameter,
            CallOptionsParameter,
        }
    }
}
