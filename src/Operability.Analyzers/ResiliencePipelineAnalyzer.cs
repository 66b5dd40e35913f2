using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS104: a Polly pipeline or policy that retries or breaks circuits but has no timeout.
    /// <list type="bullet">
    /// <item>Polly v8: a <c>ResiliencePipelineBuilder</c> that gets <c>AddRetry</c>/<c>AddCircuitBreaker</c> and no
    /// <c>AddTimeout</c>, built with <c>Build()</c> (fluent chain, or a local builder within one body), or configured
    /// by the lambda of <c>AddResiliencePipeline</c> or a registry's <c>TryAddBuilder</c>/<c>GetOrAddPipeline</c>.</item>
    /// <item>Polly v7: a retry or circuit-breaker policy (built from <c>Policy.Handle…</c> or another <c>PolicyBuilder</c>)
    /// that is executed (<c>Execute…</c>) directly or through a local, with no timeout policy wrapped around or inside it.</item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// HttpClient registration chains (<c>AddResilienceHandler</c>, <c>AddPolicyHandler</c>,
    /// <c>AddTransientHttpErrorPolicy</c>) belong to OPS103 and are never looked at here. The analysis stays silent
    /// whenever something it cannot see may add a timeout: the builder escapes (passed on, returned, stored, captured
    /// by a lambda), a project or third-party method configures it, or <c>AddPipeline</c>/<c>AddStrategy</c> adds an
    /// opaque strategy.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ResiliencePipelineAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Option: the timeout, in seconds, the code fix writes (default 10).</summary>
        public const string TimeoutSecondsOption = "operability.OPS104.default_timeout_seconds";

        /// <summary>The code fix's default timeout when the option is absent.</summary>
        public const int DefaultTimeoutSeconds = 10;

        /// <summary>Diagnostic property: which shape was found (see the <c>Shape*</c> constants).</summary>
        public const string ShapeProperty = "Shape";

        /// <summary>Diagnostic property: the seconds the code fix writes.</summary>
        public const string TimeoutSecondsProperty = "TimeoutSeconds";

        /// <summary>A fluent v8 chain, or a local builder: the diagnostic covers <c>Build()</c>.</summary>
        public const string ShapeBuild = "Build";

        /// <summary>A v8 builder configured by a lambda: the diagnostic covers the registering call.</summary>
        public const string ShapeLambda = "Lambda";

        /// <summary>A v7 policy executed without a timeout: the diagnostic covers the <c>Execute…</c> call.</summary>
        public const string ShapePolicy = "Policy";

        private const string V8Fix = "AddTimeout(...)";

        // How far a v7 policy is followed through locals and wraps.
        private const int MaxPolicyDepth = 4;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.ResiliencePipelineWithoutTimeout);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var v8 = PollyV8.TryCreate(context.Compilation);
            var v7 = PollyV7.TryCreate(context.Compilation);
            if (v8 is null && v7 is null)
            {
                return;
            }

            var scope = TimeoutRuleScope.For(context.Options, context.Compilation);
            context.RegisterOperationAction(c => AnalyzeInvocation(c, v8, v7, scope), OperationKind.Invocation);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, PollyV8? v8, PollyV7? v7, TimeoutRuleScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            Finding? finding = null;
            if (v8 is not null)
            {
                if (method.Name == "Build" && v8.IsBuilder(method.ContainingType))
                {
                    finding = scope.AppliesTo(invocation.Syntax.SyntaxTree) ? AnalyzeBuild(invocation, v8, new HelperScope(context.Compilation, context.CancellationToken)) : null;
                }
                else if (v8.IsLambdaConfiguration(method))
                {
                    finding = scope.AppliesTo(invocation.Syntax.SyntaxTree) ? AnalyzeLambdaConfiguration(invocation, v8) : null;
                }
            }

            if (finding is null
                && v7 is not null
                && method.Name.StartsWith("Execute", StringComparison.Ordinal)
                && invocation.Instance is not null
                && v7.IsPollyMember(method)
                && scope.AppliesTo(invocation.Syntax.SyntaxTree))
            {
                finding = AnalyzeExecute(invocation, v7, new HelperScope(context.Compilation, context.CancellationToken));
            }

            if (finding is not { } found)
            {
                return;
            }

            var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
            var seconds = TimeoutOptions.Seconds(options, TimeoutSecondsOption, DefaultTimeoutSeconds);
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(ShapeProperty, found.Shape)
                .Add(TimeoutSecondsProperty, seconds.ToString(CultureInfo.InvariantCulture));
            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                RuleDescriptors.ResiliencePipelineWithoutTimeout,
                MethodNameToEnd(invocation),
                properties,
                found.Subject,
                found.Fix), context.Options));
        }

        /// <summary>Parses the seconds a diagnostic carries, falling back to the default.</summary>
        public static int ParseTimeoutSeconds(string? value) => TimeoutOptions.ParseSeconds(value, DefaultTimeoutSeconds);

        // ---- Polly v8 ------------------------------------------------------------------------------------------

        private static Finding? AnalyzeBuild(IInvocationOperation build, PollyV8 v8, HelperScope helpers)
        {
            // A pipeline built to be nested in another one ('outer.AddPipeline(inner.Build())') is bounded by the outer one.
            if (build.WithEnclosingImplicitConversions().Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddPipeline" } })
            {
                return null;
            }

            var strategies = Strategies.None;
            var current = build.Instance;
            while (true)
            {
                current = current?.WithoutConversions();
                switch (current)
                {
                    case IInvocationOperation call:
                        var added = v8.Classify(call.TargetMethod);
                        if (added == Strategies.Unknown && v8.IsBuilder(call.Type as INamedTypeSymbol) && HelperValue(call, helpers) is { } made)
                        {
                            // 'CreateBuilder().Build()': the builder a same-compilation helper makes, one level deep.
                            strategies |= ChainToCreation(made, v8, null);
                            return Report(strategies, "Pipeline built by " + HelperName(call.TargetMethod) + " (" + TypeName(call.Type!) + ")", ShapeBuild);
                        }

                        strategies |= added;
                        if ((strategies & Strategies.Unknown) != 0)
                        {
                            return null;
                        }

                        current = Receiver(call);
                        continue;
                    case IPropertyReferenceOperation property when v8.IsBuilder(property.Type as INamedTypeSymbol) && HelperValue(property, helpers) is { } got:
                        strategies |= ChainToCreation(got, v8, null);
                        return Report(strategies, "Pipeline built by " + property.Property.Name + " (" + TypeName(property.Type!) + ")", ShapeBuild);
                    case IObjectCreationOperation creation when v8.IsBuilder(creation.Type as INamedTypeSymbol):
                        return Report(strategies, "Pipeline built by " + TypeName(creation.Type!), ShapeBuild);
                    case ILocalReferenceOperation local when v8.IsBuilder(local.Local.Type as INamedTypeSymbol):
                        strategies |= LocalBuilderStrategies(local, v8, helpers);
                        return Report(strategies, "Pipeline built by '" + local.Local.Name + "' (" + TypeName(local.Local.Type) + ")", ShapeBuild);
                    default:
                        // A parameter, field, property or method result: the builder was configured elsewhere.
                        return null;
                }
            }
        }

        // Every use of a local builder within its body: declared once from 'new', then only called on.
        private static Strategies LocalBuilderStrategies(ILocalReferenceOperation reference, PollyV8 v8, HelperScope helpers)
        {
            var local = reference.Local;
            var root = reference.Root();
            IVariableDeclaratorOperation? declarator = null;
            foreach (var operation in root.Descendants())
            {
                if (operation is IVariableDeclaratorOperation candidate && SymbolEqualityComparer.Default.Equals(candidate.Symbol, local))
                {
                    declarator = candidate;
                    break;
                }
            }

            if (declarator is null || InitializerValue(declarator) is not { } initializer)
            {
                return Strategies.Unknown;
            }

            var strategies = ChainToCreation(initializer, v8, helpers);
            var home = EnclosingFunction(declarator);
            foreach (var operation in root.Descendants())
            {
                if ((strategies & Strategies.Unknown) != 0)
                {
                    break;
                }

                if (operation is ILocalReferenceOperation use && SymbolEqualityComparer.Default.Equals(use.Local, local))
                {
                    strategies |= EnclosingFunction(use) == home ? ChainFrom(use, v8) : Strategies.Unknown;
                }
            }

            return strategies;
        }

        // The strategies of 'new ResiliencePipelineBuilder().AddX()...': anything not rooted in 'new' (or, while
        // 'helpers' is given, in a same-compilation helper that returns such a chain) is unknown.
        private static Strategies ChainToCreation(IOperation value, PollyV8 v8, HelperScope? helpers)
        {
            var strategies = Strategies.None;
            var current = value.WithoutConversions();
            while (current is IInvocationOperation call)
            {
                var added = v8.Classify(call.TargetMethod);
                if (added == Strategies.Unknown && v8.IsBuilder(call.Type as INamedTypeSymbol) && HelperValue(call, helpers) is { } made)
                {
                    return strategies | ChainToCreation(made, v8, null);
                }

                strategies |= added;
                current = Receiver(call)?.WithoutConversions();
            }

            if (current is IPropertyReferenceOperation property && v8.IsBuilder(property.Type as INamedTypeSymbol) && HelperValue(property, helpers) is { } got)
            {
                return strategies | ChainToCreation(got, v8, null);
            }

            return current is IObjectCreationOperation creation && v8.IsBuilder(creation.Type as INamedTypeSymbol)
                ? strategies
                : Strategies.Unknown;
        }

        // Follows the calls made on a builder reference: 'b.AddRetry(..).AddTimeout(..);', 'b.Build()', 'b.Name = ..'.
        // Anything else lets the builder escape.
        private static Strategies ChainFrom(IOperation reference, PollyV8 v8)
        {
            var strategies = Strategies.None;
            var current = reference;
            while (true)
            {
                current = current.WithEnclosingImplicitConversions();
                var parent = current.Parent;
                IInvocationOperation? next = null;
                if (parent is IArgumentOperation { Parameter.Ordinal: 0 } argument
                    && argument.Parent is IInvocationOperation extension
                    && extension.TargetMethod.IsExtensionMethod)
                {
                    next = extension;
                }
                else if (parent is IInvocationOperation instanceCall && instanceCall.Instance == current)
                {
                    next = instanceCall;
                }
                else if (parent is IPropertyReferenceOperation property && property.Instance == current && current == reference)
                {
                    // 'builder.Name = "orders"', 'builder.TimeProvider = ...'.
                    return strategies;
                }

                if (next is null)
                {
                    // The end of a chain: fine as a statement; otherwise the builder is returned, stored or passed on.
                    return current != reference && parent is IExpressionStatementOperation ? strategies : Strategies.Unknown;
                }

                if (next.TargetMethod.Name == "Build" && v8.IsBuilder(next.TargetMethod.ContainingType))
                {
                    return strategies;
                }

                strategies |= v8.Classify(next.TargetMethod);
                if ((strategies & Strategies.Unknown) != 0)
                {
                    return strategies;
                }

                current = next;
            }
        }

        private static Finding? AnalyzeLambdaConfiguration(IInvocationOperation invocation, PollyV8 v8)
        {
            IAnonymousFunctionOperation? lambda = null;
            IArgumentOperation? key = null;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == "key")
                {
                    key = argument;
                }
                else if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate)
                {
                    lambda = AnonymousFunction(argument.Value);
                    if (lambda is null)
                    {
                        // A method group or a delegate from elsewhere: its body is not ours to read.
                        return null;
                    }
                }
            }

            if (lambda is null || lambda.Symbol.Parameters.Length == 0 || !v8.IsBuilder(lambda.Symbol.Parameters[0].Type as INamedTypeSymbol))
            {
                return null;
            }

            var builder = lambda.Symbol.Parameters[0];
            var strategies = Strategies.None;
            foreach (var operation in lambda.Body.Descendants())
            {
                if (operation is IParameterReferenceOperation use && SymbolEqualityComparer.Default.Equals(use.Parameter, builder))
                {
                    strategies |= EnclosingFunction(use) == lambda ? ChainFrom(use, v8) : Strategies.Unknown;
                    if ((strategies & Strategies.Unknown) != 0)
                    {
                        return null;
                    }
                }
            }

            return Report(strategies, "Pipeline " + DescribeKey(key) + "(" + invocation.TargetMethod.Name + ")", ShapeLambda);
        }

        private static string DescribeKey(IArgumentOperation? key)
        {
            if (key is null)
            {
                return string.Empty;
            }

            var value = key.Value.WithoutConversions();
            if (value.ConstantValue is { HasValue: true, Value: string text })
            {
                return "'" + text + "' ";
            }

            var syntax = value.Syntax.ToString();
            return syntax.Length <= 60 && syntax.IndexOf('\n') < 0 ? "'" + syntax + "' " : string.Empty;
        }

        private static Finding? Report(Strategies strategies, string subject, string shape) =>
            (strategies & (Strategies.Unknown | Strategies.Timeout)) == 0 && (strategies & (Strategies.Retry | Strategies.CircuitBreaker)) != 0
                ? new Finding(subject, V8Fix, shape)
                : null;

        // ---- Polly v7 ------------------------------------------------------------------------------------------

        private static Finding? AnalyzeExecute(IInvocationOperation execute, PollyV7 v7, HelperScope helpers)
        {
            // 'retry.ExecuteAsync(ct => ..., cts.Token)': a token source made for this call usually carries the timeout.
            foreach (var argument in execute.Arguments)
            {
                if (argument.Value.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Token" } token
                    && token.Property.ContainingType?.ToDisplayString() == "System.Threading.CancellationTokenSource")
                {
                    return null;
                }
            }

            var receiver = execute.Instance?.WithoutConversions();
            var policies = ClassifyPolicy(receiver, v7, 0, helpers);
            if ((policies & (Policies.Unknown | Policies.Timeout)) != 0 || (policies & (Policies.Retry | Policies.CircuitBreaker)) == 0)
            {
                return null;
            }

            string kind;
            if ((policies & Policies.Wrap) != 0 || (policies & (Policies.Retry | Policies.CircuitBreaker)) == (Policies.Retry | Policies.CircuitBreaker))
            {
                kind = "Policy wrap";
            }
            else
            {
                kind = (policies & Policies.Retry) != 0 ? "Retry policy" : "Circuit-breaker policy";
            }

            var name = receiver switch
            {
                ILocalReferenceOperation local => local.Local.Name,
                IInvocationOperation call => call.TargetMethod.Name + "(...)",
                IPropertyReferenceOperation property => property.Property.Name,
                _ => null,
            };
            var subject = name is null ? kind : kind + " '" + name + "'";
            var fix = (policies & Policies.Async) != 0 ? "Policy.TimeoutAsync(...) with Policy.WrapAsync" : "Policy.Timeout(...) with Policy.Wrap";
            return new Finding(subject, fix, ShapePolicy);
        }

        // 'helpers' is given while a same-compilation helper may still be followed (one level), null inside one.
        private static Policies ClassifyPolicy(IOperation? value, PollyV7 v7, int depth, HelperScope? helpers)
        {
            value = value?.WithoutConversions();
            if (value is null || depth > MaxPolicyDepth)
            {
                return Policies.Unknown;
            }

            switch (value)
            {
                case IInvocationOperation call:
                    var classified = ClassifyPolicyCall(call, v7, depth, helpers);
                    return classified == Policies.Unknown && HelperValue(call, helpers) is { } made
                        ? ClassifyPolicy(made, v7, depth + 1, null)
                        : classified;
                case IPropertyReferenceOperation property when HelperValue(property, helpers) is { } got:
                    return ClassifyPolicy(got, v7, depth + 1, null);
                case IArrayCreationOperation { Initializer: { } initializer }:
                    var combined = Policies.None;
                    foreach (var element in initializer.ElementValues)
                    {
                        combined |= ClassifyPolicy(element, v7, depth + 1, helpers);
                    }

                    return combined;
                case ILocalReferenceOperation local:
                    return SingleAssignment(local) is { } initializer2 ? ClassifyPolicy(initializer2, v7, depth + 1, helpers) : Policies.Unknown;
                default:
                    return Policies.Unknown;
            }
        }

        private static Policies ClassifyPolicyCall(IInvocationOperation call, PollyV7 v7, int depth, HelperScope? helpers)
        {
            var method = call.TargetMethod;
            var name = method.Name;
            var async = name.EndsWith("Async", StringComparison.Ordinal) ? Policies.Async : Policies.None;
            if (v7.IsPolicyBuilderExtension(method))
            {
                if (name.StartsWith("Retry", StringComparison.Ordinal) || name.StartsWith("WaitAndRetry", StringComparison.Ordinal))
                {
                    return Policies.Retry | async;
                }

                if (name.StartsWith("CircuitBreaker", StringComparison.Ordinal) || name.StartsWith("AdvancedCircuitBreaker", StringComparison.Ordinal))
                {
                    return Policies.CircuitBreaker | async;
                }

                // Fallback: waits as long as the call does, but neither retries nor breaks.
                return async;
            }

            if (!v7.IsPollyMember(method))
            {
                return Policies.Unknown;
            }

            if (name == "Wrap" || name == "WrapAsync")
            {
                var combined = Policies.Wrap | async;
                if (call.Instance is not null)
                {
                    combined |= ClassifyPolicy(call.Instance, v7, depth + 1, helpers);
                }

                foreach (var argument in call.Arguments)
                {
                    combined |= ClassifyPolicy(argument.Value, v7, depth + 1, helpers);
                }

                return combined;
            }

            if (name == "WithPolicyKey")
            {
                return ClassifyPolicy(call.Instance ?? (call.Arguments.Length > 0 ? call.Arguments[0].Value : null), v7, depth + 1, helpers);
            }

            if (method.IsStatic && v7.IsPolicyFactory(method.ContainingType))
            {
                // Policy.Timeout…, or another factory (NoOp, Bulkhead, Cache, RateLimit) that neither retries nor breaks.
                return name.StartsWith("Timeout", StringComparison.Ordinal) ? Policies.Timeout | async : async;
            }

            return Policies.Unknown;
        }

        // The value of a local declared once with an initializer and never written again.
        private static IOperation? SingleAssignment(ILocalReferenceOperation reference)
        {
            var local = reference.Local;
            if (local.IsRef)
            {
                return null;
            }

            IOperation? initializer = null;
            foreach (var operation in reference.Root().Descendants())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                        initializer = InitializerValue(declarator);
                        break;
                    case ILocalReferenceOperation use when SymbolEqualityComparer.Default.Equals(use.Local, local) && IsWritten(use):
                        return null;
                }
            }

            return initializer;
        }

        private static bool IsWritten(ILocalReferenceOperation use)
        {
            var parent = use.Parent;
            return parent switch
            {
                IAssignmentOperation assignment => assignment.Target == use,
                IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                IIncrementOrDecrementOperation => true,
                _ => parent is ITupleOperation || parent is IDeclarationExpressionOperation,
            };
        }

        // ---- Shared --------------------------------------------------------------------------------------------

        // The single value a same-compilation helper method or property returns (see HelperReturns), while helpers are followed.
        private static IOperation? HelperValue(IOperation use, HelperScope? helpers)
        {
            ISymbol? member = use switch
            {
                IInvocationOperation call => call.TargetMethod,
                IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property,
                _ => null,
            };
            return helpers is null || member is null
                ? null
                : HelperReturns.SingleReturnedValue(member, use, helpers.Compilation, helpers.CancellationToken);
        }

        private static string HelperName(IMethodSymbol method) => method.Name + "(...)";

        private static IOperation? Receiver(IInvocationOperation call)
        {
            if (call.TargetMethod.IsExtensionMethod)
            {
                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter?.Ordinal == 0)
                    {
                        return argument.Value;
                    }
                }

                return null;
            }

            return call.Instance;
        }

        private static IOperation? InitializerValue(IVariableDeclaratorOperation declarator) =>
            declarator.Initializer?.Value
            ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;

        private static IAnonymousFunctionOperation? AnonymousFunction(IOperation value)
        {
            var operation = value.WithoutConversions();
            if (operation is IDelegateCreationOperation creation)
            {
                operation = creation.Target;
            }

            return operation as IAnonymousFunctionOperation;
        }

        private static IOperation? EnclosingFunction(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation || current is ILocalFunctionOperation)
                {
                    return current;
                }
            }

            return null;
        }



        private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        // From the method name to the end of the call: 'Build()', 'AddResiliencePipeline("orders", ...)'.
        private static Location MethodNameToEnd(IInvocationOperation invocation)
        {
            if (invocation.Syntax is InvocationExpressionSyntax syntax)
            {
                var name = syntax.Expression switch
                {
                    MemberAccessExpressionSyntax member => member.Name,
                    MemberBindingExpressionSyntax binding => binding.Name,
                    SimpleNameSyntax simple => simple,
                    _ => null,
                };
                if (name is not null)
                {
                    return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(name.SpanStart, syntax.Span.End));
                }
            }

            return invocation.Syntax.GetLocation();
        }

        /// <summary>What following a helper needs: the compilation it must be declared in, and the analysis's token.</summary>
        private sealed class HelperScope
        {
            public HelperScope(Compilation compilation, System.Threading.CancellationToken cancellationToken)
            {
                Compilation = compilation;
                CancellationToken = cancellationToken;
            }

            public Compilation Compilation { get; }

            public System.Threading.CancellationToken CancellationToken { get; }
        }

        private sealed class Finding
        {
            public Finding(string subject, string fix, string shape)
            {
                Subject = subject;
                Fix = fix;
                Shape = shape;
            }

            public string Subject { get; }

            public string Fix { get; }

            public string Shape { get; }
        }

        [Flags]
        private enum Strategies
        {
            None = 0,
            Retry = 1,
            CircuitBreaker = 2,
            Timeout = 4,
            Unknown = 8,
        }

        [Flags]
        private enum Policies
        {
            None = 0,
            Retry = 1,
            CircuitBreaker = 2,
            Timeout = 4,
            Unknown = 8,
            Async = 16,
            Wrap = 32,
        }

        /// <summary>Polly v8 (Polly.Core, Polly.Extensions) symbols, resolved once per compilation.</summary>
        private sealed class PollyV8
        {
            private readonly INamedTypeSymbol _builder;
            private readonly INamedTypeSymbol? _genericBuilder;
            private readonly INamedTypeSymbol? _retryExtensions;
            private readonly INamedTypeSymbol? _circuitBreakerExtensions;
            private readonly INamedTypeSymbol? _timeoutExtensions;
            private readonly INamedTypeSymbol? _serviceCollectionExtensions;
            private readonly INamedTypeSymbol? _pipelinesContext;
            private readonly INamedTypeSymbol? _registry;

            private PollyV8(Compilation compilation, INamedTypeSymbol builder)
            {
                _builder = builder;
                _genericBuilder = compilation.GetTypeByMetadataName("Polly.ResiliencePipelineBuilder`1");
                _retryExtensions = compilation.GetTypeByMetadataName("Polly.RetryResiliencePipelineBuilderExtensions");
                _circuitBreakerExtensions = compilation.GetTypeByMetadataName("Polly.CircuitBreakerResiliencePipelineBuilderExtensions");
                _timeoutExtensions = compilation.GetTypeByMetadataName("Polly.TimeoutResiliencePipelineBuilderExtensions");
                _serviceCollectionExtensions = compilation.GetTypeByMetadataName("Polly.PollyServiceCollectionExtensions");
                _pipelinesContext = compilation.GetTypeByMetadataName("Polly.DependencyInjection.AddResiliencePipelinesContext`1");
                _registry = compilation.GetTypeByMetadataName("Polly.Registry.ResiliencePipelineRegistry`1");
            }

            public static PollyV8? TryCreate(Compilation compilation) =>
                compilation.GetTypeByMetadataName("Polly.ResiliencePipelineBuilderBase") is not null
                && compilation.GetTypeByMetadataName("Polly.ResiliencePipelineBuilder") is { } builder
                    ? new PollyV8(compilation, builder)
                    : null;

            public bool IsBuilder(INamedTypeSymbol? type) =>
                type is not null
                && (SymbolEqualityComparer.Default.Equals(type, _builder)
                    || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _genericBuilder));

            /// <summary>A call whose lambda configures a builder: AddResiliencePipeline, a registry's TryAddBuilder/GetOrAddPipeline.</summary>
            public bool IsLambdaConfiguration(IMethodSymbol method)
            {
                var owner = method.ContainingType?.OriginalDefinition;
                switch (method.Name)
                {
                    case "AddResiliencePipeline":
                        return SymbolEqualityComparer.Default.Equals(owner, _serviceCollectionExtensions)
                            || SymbolEqualityComparer.Default.Equals(owner, _pipelinesContext);
                    case "TryAddBuilder":
                    case "GetOrAddPipeline":
                        return SymbolEqualityComparer.Default.Equals(owner, _registry);
                    default:
                        return false;
                }
            }

            /// <summary>What a call made on a builder adds to it.</summary>
            public Strategies Classify(IMethodSymbol method)
            {
                var owner = method.ContainingType;
                switch (method.Name)
                {
                    case "AddRetry" when SymbolEqualityComparer.Default.Equals(owner, _retryExtensions):
                        return Strategies.Retry;
                    case "AddCircuitBreaker" when SymbolEqualityComparer.Default.Equals(owner, _circuitBreakerExtensions):
                        return Strategies.CircuitBreaker;
                    case "AddTimeout" when SymbolEqualityComparer.Default.Equals(owner, _timeoutExtensions):
                        return Strategies.Timeout;
                    case "AddPipeline":
                    case "AddStrategy":
                        // A whole pipeline or a custom strategy: it may well time out.
                        return Strategies.Unknown;
                }

                // Polly's other strategies and settings (hedging, fallback, rate limiters, chaos, telemetry) neither
                // add nor remove a timeout; anything from elsewhere might.
                var assembly = method.ContainingAssembly?.Name;
                return assembly is not null && (assembly == "Polly.Core" || assembly.StartsWith("Polly.", StringComparison.Ordinal))
                    ? Strategies.None
                    : Strategies.Unknown;
            }
        }

        /// <summary>Polly v7 symbols (Policy, PolicyBuilder), resolved once per compilation.</summary>
        private sealed class PollyV7
        {
            private readonly INamedTypeSymbol _policy;
            private readonly INamedTypeSymbol? _genericPolicy;
            private readonly INamedTypeSymbol _policyBuilder;
            private readonly INamedTypeSymbol? _genericPolicyBuilder;

            private PollyV7(Compilation compilation, INamedTypeSymbol policy, INamedTypeSymbol policyBuilder)
            {
                _policy = policy;
                _policyBuilder = policyBuilder;
                _genericPolicy = compilation.GetTypeByMetadataName("Polly.Policy`1");
                _genericPolicyBuilder = compilation.GetTypeByMetadataName("Polly.PolicyBuilder`1");
            }

            public static PollyV7? TryCreate(Compilation compilation) =>
                compilation.GetTypeByMetadataName("Polly.Policy") is { } policy
                && compilation.GetTypeByMetadataName("Polly.PolicyBuilder") is { } builder
                    ? new PollyV7(compilation, policy, builder)
                    : null;

            /// <summary>Declared in the assembly that declares v7's Policy (Polly.dll).</summary>
            public bool IsPollyMember(IMethodSymbol method) =>
                SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _policy.ContainingAssembly);

            public bool IsPolicyFactory(INamedTypeSymbol? type) =>
                type is not null
                && (SymbolEqualityComparer.Default.Equals(type, _policy)
                    || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _genericPolicy));

            /// <summary>Policy-building syntax (<c>.WaitAndRetry…</c>, <c>.CircuitBreaker…</c>, <c>.Fallback…</c>) on a PolicyBuilder.</summary>
            public bool IsPolicyBuilderExtension(IMethodSymbol method)
            {
                var definition = method.ReducedFrom ?? method;
                if (!definition.IsExtensionMethod || definition.Parameters.Length == 0 || !IsPollyMember(definition))
                {
                    return false;
                }

                var receiver = definition.Parameters[0].Type as INamedTypeSymbol;
                return receiver is not null
                    && (SymbolEqualityComparer.Default.Equals(receiver, _policyBuilder)
                        || SymbolEqualityComparer.Default.Equals(receiver.OriginalDefinition, _genericPolicyBuilder));
            }
        }
    }
}
