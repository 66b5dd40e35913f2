using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Manifest;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS107: a constant timeout on an outbound client — <c>HttpClient.Timeout</c>, a Polly timeout strategy
    /// (<c>AddTimeout</c>, <c>TimeoutStrategyOptions.Timeout</c>, the standard resilience handler's total and attempt
    /// timeouts) or a gRPC deadline — that is longer than the budget: the timeout that operability.json declares for the
    /// dependency the client is registered for, else <c>operability.OPS107.budget_seconds</c>.
    /// </summary>
    /// <remarks>
    /// Only compile-time constant values are compared (<c>TimeSpan.FromSeconds(30)</c>, <c>new TimeSpan(0, 0, 30)</c>,
    /// <c>DateTime.UtcNow.AddSeconds(30)</c>); values from configuration are left alone, and infinite ones are OPS102's.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TimeoutBudgetAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Option: the longest timeout, in seconds, any outbound call may have.</summary>
        public const string BudgetOption = "operability.OPS107.budget_seconds";

        // Climbing out of nested lambdas to the registration is bounded: registrations are shallow.
        private const int MaxAncestors = 64;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.TimeoutExceedsBudget);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var compilation = context.Compilation;
            var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
            var dateTime = compilation.GetTypeByMetadataName("System.DateTime");
            if (timeSpan is null || dateTime is null)
            {
                return;
            }

            var httpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
            var timeoutOptions = compilation.GetTypeByMetadataName("Polly.Timeout.TimeoutStrategyOptions");
            var clientBase = compilation.GetTypeByMetadataName("Grpc.Core.ClientBase`1");
            if (httpClient is null && timeoutOptions is null && clientBase is null)
            {
                return;
            }

            var globalOptions = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
            var project = ProjectFacts.From(globalOptions, compilation);
            var files = OperabilityFiles.Find(context.Options.AdditionalFiles, context.Options.AnalyzerConfigOptionsProvider, project.ProjectDirectory);
            var analysis = new Analysis(
                new KnownTypes(timeSpan, dateTime, httpClient, timeoutOptions, clientBase, compilation.GetTypeByMetadataName("Grpc.Core.CallOptions"), compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder")),
                TimeoutRuleScope.For(context.Options, compilation),
                new DependencyBudgets(files.Manifest));

            if (httpClient is not null || timeoutOptions is not null)
            {
                context.RegisterOperationAction(analysis.AnalyzeAssignment, OperationKind.SimpleAssignment);
            }

            context.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
        }

        private sealed class KnownTypes
        {
            public KnownTypes(INamedTypeSymbol timeSpan, INamedTypeSymbol dateTime, INamedTypeSymbol? httpClient, INamedTypeSymbol? timeoutOptions, INamedTypeSymbol? clientBase, INamedTypeSymbol? callOptions, INamedTypeSymbol? httpClientBuilder)
            {
                TimeSpan = timeSpan;
                DateTime = dateTime;
                HttpClient = httpClient;
                TimeoutOptions = timeoutOptions;
                ClientBase = clientBase;
                CallOptions = callOptions;
                HttpClientBuilder = httpClientBuilder;
            }

            public INamedTypeSymbol TimeSpan { get; }

            public INamedTypeSymbol DateTime { get; }

            public INamedTypeSymbol? HttpClient { get; }

            public INamedTypeSymbol? TimeoutOptions { get; }

            public INamedTypeSymbol? ClientBase { get; }

            public INamedTypeSymbol? CallOptions { get; }

            public INamedTypeSymbol? HttpClientBuilder { get; }
        }

        private sealed class Analysis
        {
            private readonly KnownTypes _known;
            private readonly TimeoutRuleScope _scope;
            private readonly DependencyBudgets _budgets;

            public Analysis(KnownTypes known, TimeoutRuleScope scope, DependencyBudgets budgets)
            {
                _known = known;
                _scope = scope;
                _budgets = budgets;
            }

            // client.Timeout = ..., new HttpClient { Timeout = ... }, o.TotalRequestTimeout.Timeout = ..., new TimeoutStrategyOptions { Timeout = ... }.
            public void AnalyzeAssignment(OperationAnalysisContext context)
            {
                var assignment = (ISimpleAssignmentOperation)context.Operation;
                if (assignment.Target is not IPropertyReferenceOperation target || target.Property.Name != "Timeout")
                {
                    return;
                }

                string display;
                var owner = target.Property.ContainingType;
                if (_known.HttpClient is not null && SymbolEqualityComparer.Default.Equals(owner, _known.HttpClient))
                {
                    display = "HttpClient.Timeout";
                }
                else if (_known.TimeoutOptions is not null && DerivesFrom(owner, _known.TimeoutOptions))
                {
                    display = target.Instance is IPropertyReferenceOperation options
                        ? options.Property.ContainingType.Name + "." + options.Property.Name + ".Timeout"
                        : (target.Instance?.Type?.Name is { Length: > 0 } typeName ? typeName : owner.Name) + ".Timeout";
                }
                else
                {
                    return;
                }

                if (TimeSpanSeconds(assignment.Value) is { } seconds)
                {
                    Check(context, assignment.Value, display, seconds, RegistrationOf(assignment));
                }
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                if (method.Name == "AddTimeout" && method.IsStatic && IsPollyTimeoutExtension(method.ContainingType))
                {
                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Parameter is { } parameter
                            && SymbolEqualityComparer.Default.Equals(parameter.Type, _known.TimeSpan)
                            && TimeSpanSeconds(argument.Value) is { } seconds)
                        {
                            Check(context, argument.Value, "AddTimeout", seconds, RegistrationOf(invocation));
                        }
                    }

                    return;
                }

                if (_known.ClientBase is { } clientBase && !method.IsStatic && method.ContainingType is { } client && GrpcClientRegistrations.IsClient(client, clientBase))
                {
                    AnalyzeGrpcCall(context, invocation, client);
                }
            }

            private void AnalyzeGrpcCall(OperationAnalysisContext context, IInvocationOperation invocation, INamedTypeSymbol client)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter)
                    {
                        continue;
                    }

                    IOperation? deadline = null;
                    if (parameter.Name == "deadline")
                    {
                        deadline = argument.Value;
                    }
                    else if (_known.CallOptions is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, _known.CallOptions))
                    {
                        deadline = DeadlineOfOptions(argument.Value.WithoutImplicitConversions());
                    }

                    if (deadline is not null && DeadlineSeconds(deadline) is { } seconds)
                    {
                        var display = client.Name + "." + invocation.TargetMethod.Name;
                        Check(context, deadline, display, seconds, new ClientNames(null, client));
                    }
                }
            }

            // new CallOptions(deadline: x) or ....WithDeadline(x), written at the call.
            private IOperation? DeadlineOfOptions(IOperation options)
            {
                while (options is IInvocationOperation { Instance: { } receiver } call
                    && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _known.CallOptions))
                {
                    if (call.TargetMethod.Name == "WithDeadline" && call.Arguments.Length == 1)
                    {
                        return call.Arguments[0].Value;
                    }

                    options = receiver.WithoutImplicitConversions();
                }

                if (options is IObjectCreationOperation creation && SymbolEqualityComparer.Default.Equals(creation.Type, _known.CallOptions))
                {
                    foreach (var argument in creation.Arguments)
                    {
                        if (argument.Parameter?.Name == "deadline" && argument.ArgumentKind != ArgumentKind.DefaultValue)
                        {
                            return argument.Value;
                        }
                    }
                }

                return null;
            }

            private void Check(OperationAnalysisContext context, IOperation value, string display, double seconds, ClientNames client)
            {
                var syntax = value.Syntax;
                if (syntax is null || !_scope.AppliesTo(syntax.SyntaxTree))
                {
                    return;
                }

                double budget;
                string source;
                var dependency = client.IsKnown ? _budgets.Find(client) : null;
                if (dependency is not null)
                {
                    budget = dependency.Timeout!.Value.TotalSeconds;
                    source = " for dependency '" + dependency.Name + "' (operability.json)";
                }
                else if (GlobalBudget(context.Options.AnalyzerConfigOptionsProvider.GetOptions(syntax.SyntaxTree)) is { } global)
                {
                    budget = global;
                    source = " (" + BudgetOption + ")";
                }
                else
                {
                    return;
                }

                // Millisecond precision: a budget of 1.5 s and a timeout of 1500 ms are equal.
                if (Math.Round(seconds * 1000) <= Math.Round(budget * 1000))
                {
                    return;
                }

                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                    RuleDescriptors.TimeoutExceedsBudget,
                    syntax.GetLocation(),
                    display,
                    FormatSeconds(seconds),
                    FormatSeconds(budget),
                    source), context.Options));
            }

            // The AddHttpClient/AddGrpcClient registration whose chain (or configure delegate) the operation is in.
            private ClientNames RegistrationOf(IOperation operation)
            {
                var current = operation.Parent;
                for (var depth = 0; current is not null && depth < MaxAncestors; depth++, current = current.Parent)
                {
                    if (current is IInvocationOperation call && Registration(call) is { } registration)
                    {
                        return Names(registration);
                    }
                }

                return default;
            }

            // Follows the receivers of a builder chain down to its registration call, if that is where it starts.
            private IInvocationOperation? Registration(IInvocationOperation call)
            {
                for (var depth = 0; depth < MaxAncestors; depth++)
                {
                    var method = call.TargetMethod;
                    if ((method.Name == "AddHttpClient" || method.Name == "AddGrpcClient")
                        && _known.HttpClientBuilder is not null
                        && SymbolEqualityComparer.Default.Equals(method.ReturnType, _known.HttpClientBuilder))
                    {
                        return call;
                    }

                    var receiver = call.Instance ?? (method.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
                    if (receiver is null || receiver.WithoutImplicitConversions() is not IInvocationOperation next)
                    {
                        return null;
                    }

                    call = next;
                }

                return null;
            }

            private static ClientNames Names(IInvocationOperation registration)
            {
                string? name = null;
                foreach (var argument in registration.Arguments)
                {
                    if (argument.Parameter?.Name == "name" && argument.Value.ConstantValue is { HasValue: true, Value: string text })
                    {
                        name = text;
                    }
                }

                var method = registration.TargetMethod;
                var type = method.TypeArguments.Length > 0 ? method.TypeArguments[0] : null;
                return new ClientNames(name, type);
            }

            private static bool IsPollyTimeoutExtension(INamedTypeSymbol? type) =>
                type is not null
                && type.Name == "TimeoutResiliencePipelineBuilderExtensions"
                && type.ContainingNamespace is { Name: "Polly" } ns
                && ns.ContainingNamespace is { IsGlobalNamespace: true };

            private double? TimeSpanSeconds(IOperation value) => TimeSpanConstant.Seconds(value, _known.TimeSpan);

            // DateTime.UtcNow.AddSeconds(30), .AddMilliseconds(..), .Add(TimeSpan...), DateTime.UtcNow + TimeSpan...
            private double? DeadlineSeconds(IOperation value)
            {
                value = value.WithoutConversions();
                switch (value)
                {
                    case IInvocationOperation { Instance: { } instance } call
                        when SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _known.DateTime) && IsUtcNow(instance) && call.Arguments.Length == 1:
                        var name = call.TargetMethod.Name;
                        if (name == "Add")
                        {
                            return TimeSpanSeconds(call.Arguments[0].Value);
                        }

                        if (name.StartsWith("Add", StringComparison.Ordinal)
                            && TimeSpanConstant.SecondsPer(name.Substring("Add".Length)) is { } unit
                            && TimeSpanConstant.TryGetNumber(call.Arguments[0].Value, out var number)
                            && number > 0)
                        {
                            return number * unit;
                        }

                        return null;
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when IsUtcNow(add.LeftOperand):
                        return TimeSpanSeconds(add.RightOperand);
                    default:
                        return null;
                }
            }

            private bool IsUtcNow(IOperation operation) =>
                operation.WithoutConversions() is IPropertyReferenceOperation { Property: { IsStatic: true, Name: "UtcNow" } property }
                && SymbolEqualityComparer.Default.Equals(property.ContainingType, _known.DateTime);

            private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, baseType))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        private static double? GlobalBudget(AnalyzerConfigOptions options)
        {
            if (options.TryGetValue(BudgetOption, out var text)
                && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0
                && !double.IsInfinity(seconds))
            {
                return seconds;
            }

            return null;
        }

        private static string FormatSeconds(double seconds) =>
            seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        /// <summary>What a client is called: a named client's name and/or a typed (or gRPC) client's type.</summary>
        private readonly struct ClientNames
        {
            public ClientNames(string? name, ITypeSymbol? type)
            {
                Name = name;
                Type = type;
            }

            public string? Name { get; }

            public ITypeSymbol? Type { get; }

            public bool IsKnown => Name is not null || Type is not null;
        }

        /// <summary>The dependencies operability.json declares with a timeout; the manifest is read once, when first needed.</summary>
        private sealed class DependencyBudgets
        {
            private static readonly string[] Suffixes = { "Client", "Service", "Api" };

            private readonly Lazy<IReadOnlyList<ServiceDependency>> _dependencies;

            public DependencyBudgets(AdditionalText? manifest)
            {
                _dependencies = new Lazy<IReadOnlyList<ServiceDependency>>(() => Read(manifest), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            }

            public ServiceDependency? Find(ClientNames client)
            {
                var dependencies = _dependencies.Value;
                if (dependencies.Count == 0)
                {
                    return null;
                }

                string? typeName = null;
                string? shortTypeName = null;
                if (client.Type is { TypeKind: not TypeKind.Error } type)
                {
                    typeName = type.Name;
                    if (type.TypeKind == TypeKind.Interface && typeName.Length > 1 && typeName[0] == 'I' && char.IsUpper(typeName[1]))
                    {
                        typeName = typeName.Substring(1);
                    }

                    shortTypeName = WithoutSuffix(typeName);
                }

                foreach (var dependency in dependencies)
                {
                    var key = NameKey.Of(dependency.Name);
                    if (key.Length > 0
                        && (key == NameKey.Of(client.Name) || key == NameKey.Of(typeName) || key == NameKey.Of(shortTypeName)))
                    {
                        return dependency;
                    }
                }

                return null;
            }

            private static IReadOnlyList<ServiceDependency> Read(AdditionalText? manifest)
            {
                try
                {
                    var text = manifest?.GetText()?.ToString();
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        return Array.Empty<ServiceDependency>();
                    }

                    var parsed = ManifestParser.Parse(text!).Manifest;
                    if (parsed is null)
                    {
                        return Array.Empty<ServiceDependency>();
                    }

                    var withTimeout = new List<ServiceDependency>();
                    foreach (var dependency in parsed.Dependencies)
                    {
                        if (dependency.Timeout is { } timeout && timeout > TimeSpan.Zero && !string.IsNullOrWhiteSpace(dependency.Name))
                        {
                            withTimeout.Add(dependency);
                        }
                    }

                    return withTimeout;
                }
                catch (Exception)
                {
                    // A manifest this rule cannot read is OPS303's business, never a crash here.
                    return Array.Empty<ServiceDependency>();
                }
            }

            private static string? WithoutSuffix(string name)
            {
                foreach (var suffix in Suffixes)
                {
                    if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        return name.Substring(0, name.Length - suffix.Length);
                    }
                }

                return null;
            }
        }
    }
}
