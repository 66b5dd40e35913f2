using System;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS103: a typed or named client registered with IHttpClientFactory (<c>AddHttpClient</c>,
    /// <c>AddGrpcClient</c>, <c>AddRefitClient</c>) whose registration chain sets no timeout, in a
    /// service whose client defaults set none either.
    /// </summary>
    /// <remarks>
    /// The analysis is deliberately conservative: whenever the chain calls the project's own
    /// extension methods, passes a method group, or lets the builder escape into a variable, the
    /// timeout may be set where this analyzer cannot see it, and nothing is reported.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HttpClientRegistrationAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Option: extra method names that set timeouts for every client (like Aspire's AddServiceDefaults).</summary>
        public const string DefaultsMethodsOption = HttpClientDefaults.MethodsOption;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.HttpClientRegistrationWithoutTimeout);

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

            var scope = TimeoutRuleScope.For(context.Options, compilation);
            var defaults = new HttpClientDefaults(compilation);
            var interceptors = new GrpcDeadlineInterceptors(compilation, context.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
            context.RegisterOperationAction(
                operationContext => AnalyzeInvocation(operationContext, builderType, defaults, interceptors, scope),
                OperationKind.Invocation);
        }

        private static void AnalyzeInvocation(
            OperationAnalysisContext context,
            INamedTypeSymbol builderType,
            HttpClientDefaults defaults,
            GrpcDeadlineInterceptors interceptors,
            TimeoutRuleScope scope)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (!IsRegistration(method, builderType))
            {
                return;
            }

            if (!scope.AppliesTo(invocation.Syntax.SyntaxTree))
            {
                return;
            }

            var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
            var verdict = RegistrationArgumentsVerdict(invocation);
            if (verdict == Verdict.NotCovered && method.Name == "AddGrpcClient" && InterceptorVerdict(invocation, interceptors) == Verdict.Covered)
            {
                // o => o.Interceptors.Add(new DeadlineInterceptor())
                verdict = Verdict.Covered;
            }

            var end = (IOperation)invocation;
            while (verdict == Verdict.NotCovered && NextInChain(end, builderType) is { } next)
            {
                verdict = next.TargetMethod.Name == "AddInterceptor" ? InterceptorVerdict(next, interceptors) : ChainMethodVerdict(next);
                end = next;
            }

            if (verdict != Verdict.NotCovered || BuilderEscapes(end))
            {
                return;
            }

            if (defaults.SetTimeouts(options))
            {
                return;
            }

            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                RuleDescriptors.HttpClientRegistrationWithoutTimeout,
                RegistrationLocation(invocation),
                Describe(invocation)), context.Options));
        }

        internal static bool IsRegistration(IMethodSymbol method, INamedTypeSymbol builderType)
        {
            switch (method.Name)
            {
                case "AddHttpClient":
                case "AddGrpcClient":
                case "AddRefitClient":
                    // Refit 14's AddRefitClient<T>() is a C# 14 extension-block member.
                    return SymbolEqualityComparer.Default.Equals(method.ReturnType, builderType)
                        && ExtensionMembers.IsExtension(method);
                default:
                    return false;
            }
        }

        // The next call made on the builder the current call returned, if any.
        internal static IInvocationOperation? NextInChain(IOperation current, INamedTypeSymbol builderType)
        {
            current = current.WithEnclosingImplicitConversions();
            var parent = current.Parent;

            if (parent is IArgumentOperation argument
                && argument.Parent is IInvocationOperation extensionCall
                && extensionCall.TargetMethod.IsExtensionMethod
                && argument.Parameter?.Ordinal == 0)
            {
                return extensionCall;
            }

            if (parent is IInvocationOperation instanceCall && instanceCall.Instance == current)
            {
                return instanceCall;
            }

            return null;
        }

        // Once the builder is stored, returned or passed on, more may be added to it elsewhere.
        internal static bool BuilderEscapes(IOperation end)
        {
            var parent = end.WithEnclosingImplicitConversions().Parent;

            return parent is not IExpressionStatementOperation;
        }

        private static Verdict RegistrationArgumentsVerdict(IInvocationOperation registration)
        {
            var verdict = Verdict.NotCovered;
            foreach (var argument in registration.Arguments)
            {
                if (argument.Value is IDelegateCreationOperation || argument.Value.Type?.TypeKind == TypeKind.Delegate)
                {
                    verdict = Combine(verdict, DelegateVerdict(argument.Value));
                }
            }

            return verdict;
        }

        private static Verdict ChainMethodVerdict(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            var name = method.Name;
            if (name == "AddStandardResilienceHandler"
                || name == "AddStandardHedgingHandler"
                || name.StartsWith("AddOperability", StringComparison.Ordinal)
                || name.IndexOf("Timeout", StringComparison.Ordinal) >= 0)
            {
                return Verdict.Covered;
            }

            // The project's own extension methods on the builder may well add a timeout.
            if (ExtensionMembers.IsExtension(method) && IsInSource(method))
            {
                return Verdict.Unknown;
            }

            switch (name)
            {
                case "AddResilienceHandler":
                case "ConfigureHttpClient":
                case "AddTransientHttpErrorPolicy":
                case "AddPolicyHandler":
                    return ArgumentsVerdict(call);
                case "AddPolicyHandlerFromRegistry":
                case "ConfigureChannel":
                    return Verdict.Unknown;
                case "AddHttpMessageHandler":
                    return TypeArgumentsMentionTimeout(method) ? Verdict.Covered : Verdict.NotCovered;
                default:
                    return Verdict.NotCovered;
            }
        }

        // The judgement OPS106 makes too: only an interceptor known to set a deadline counts.
        private static Verdict InterceptorVerdict(IInvocationOperation call, GrpcDeadlineInterceptors interceptors) =>
            call.Syntax is InvocationExpressionSyntax syntax && interceptors.NamesDeadlineInterceptor(syntax) ? Verdict.Covered : Verdict.NotCovered;

        private static Verdict ArgumentsVerdict(IInvocationOperation call)
        {
            var verdict = Verdict.NotCovered;
            for (var i = 0; i < call.Arguments.Length; i++)
            {
                var argument = call.Arguments[i];
                if (argument.Parameter?.Ordinal == 0 && call.TargetMethod.IsExtensionMethod)
                {
                    continue;
                }

                var value = argument.Value;
                if (value is IDelegateCreationOperation || value.Type?.TypeKind == TypeKind.Delegate)
                {
                    verdict = Combine(verdict, DelegateVerdict(value));
                }
                else if (value.ConstantValue.HasValue)
                {
                    continue;
                }
                else
                {
                    verdict = Combine(verdict, ExpressionVerdict(value));
                }
            }

            return verdict;
        }

        // A lambda is read; a method group or a delegate from elsewhere could do anything.
        private static Verdict DelegateVerdict(IOperation value)
        {
            var operation = value.WithoutConversions();

            if (operation is IDelegateCreationOperation creation)
            {
                operation = creation.Target;
            }

            return operation is IAnonymousFunctionOperation lambda ? ExpressionVerdict(lambda.Body) : Verdict.Unknown;
        }

        // Reads an expression or lambda body: a Timeout assigned, or a call that adds a timeout, covers it;
        // a call into the project's own code may, so it is unknown.
        private static Verdict ExpressionVerdict(IOperation root)
        {
            var verdict = Verdict.NotCovered;
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } when property.Property.Name.IndexOf("Timeout", StringComparison.Ordinal) >= 0:
                        return Verdict.Covered;
                    case IInvocationOperation call:
                        var name = call.TargetMethod.Name;
                        if (name.IndexOf("Timeout", StringComparison.Ordinal) >= 0
                            || name == "AddStandardResilienceHandler"
                            || name == "AddStandardHedgingHandler")
                        {
                            return Verdict.Covered;
                        }

                        if (IsInSource(call.TargetMethod))
                        {
                            verdict = Verdict.Unknown;
                        }

                        break;
                    case IMethodReferenceOperation reference when IsInSource(reference.Method):
                        verdict = Verdict.Unknown;
                        break;
                }
            }

            return verdict;
        }

        private static bool TypeArgumentsMentionTimeout(IMethodSymbol method)
        {
            foreach (var typeArgument in method.TypeArguments)
            {
                if (typeArgument.Name.IndexOf("Timeout", StringComparison.Ordinal) >= 0
                    || typeArgument.Name.IndexOf("Deadline", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        internal static bool IsInSource(IMethodSymbol method)
        {
            var definition = method.ReducedFrom ?? method.OriginalDefinition;
            foreach (var location in definition.Locations)
            {
                if (location.IsInSource)
                {
                    return true;
                }
            }

            return false;
        }

        private static Verdict Combine(Verdict a, Verdict b) => a > b ? a : b;

        // From the method name to the end of the call: 'AddHttpClient<CatalogClient>(...)'.
        internal static Location RegistrationLocation(IInvocationOperation invocation)
        {
            if (invocation.Syntax is InvocationExpressionSyntax syntax && syntax.Expression is MemberAccessExpressionSyntax member)
            {
                return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(member.Name.SpanStart, syntax.Span.End));
            }

            return invocation.Syntax.GetLocation();
        }

        // 'AddHttpClient<CatalogClient>', 'AddHttpClient("github")'.
        internal static string Describe(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var text = new StringBuilder(method.Name);
            if (method.TypeArguments.Length > 0)
            {
                text.Append('<');
                for (var i = 0; i < method.TypeArguments.Length; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ").Append(method.TypeArguments[i].Name);
                }

                text.Append('>');
            }
            else
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value.ConstantValue is { HasValue: true, Value: string name })
                    {
                        text.Append("(\"").Append(name).Append("\")");
                        break;
                    }
                }
            }

            return text.ToString();
        }

        private enum Verdict
        {
            NotCovered = 0,
            Covered = 1,
            Unknown = 2,
        }
    }
}
