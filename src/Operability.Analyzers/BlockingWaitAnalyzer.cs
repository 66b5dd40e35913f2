using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS105: a blocking wait (<c>Task.Wait()</c>, <c>WaitHandle.WaitOne()</c>, <c>SemaphoreSlim.Wait()</c>,
    /// <c>Thread.Join()</c>, <c>Process.WaitForExit()</c>, …) is called through an overload with no timeout
    /// although the type offers one that takes a <see cref="TimeSpan"/> or milliseconds. A token alone does
    /// not bound the wait: nobody may ever cancel it.
    /// </summary>
    /// <remarks>
    /// The overloads to flag are worked out once per compilation from the real symbols (an overload with no
    /// TimeSpan/int parameter whose type has a same-named overload with one), so the per-invocation work is a
    /// name check and a set lookup. <c>.Result</c> and <c>GetAwaiter().GetResult()</c> are left to VSTHRD002 and
    /// MA0045; infinite values passed to the timeout overloads are OPS102's.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BlockingWaitAnalyzer : DiagnosticAnalyzer
    {
        // The blocking waits, by type, that this rule knows; every one of them has a timeout overload.
        private static readonly (string Type, string[] Methods)[] BlockingWaits =
        {
            ("System.Threading.Tasks.Task", new[] { "Wait", "WaitAll", "WaitAny" }),
            ("System.Threading.WaitHandle", new[] { "WaitOne", "WaitAll", "WaitAny", "SignalAndWait" }),
            ("System.Threading.SemaphoreSlim", new[] { "Wait" }),
            ("System.Threading.ManualResetEventSlim", new[] { "Wait" }),
            ("System.Threading.CountdownEvent", new[] { "Wait" }),
            ("System.Threading.Barrier", new[] { "SignalAndWait" }),
            ("System.Threading.Thread", new[] { "Join" }),
            ("System.Diagnostics.Process", new[] { "WaitForExit" }),
        };

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.BlockingWaitWithoutTimeout);

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
            if (timeSpan is null)
            {
                return;
            }

            var flagged = FindWaitsWithoutTimeout(compilation, timeSpan);
            if (flagged.Count == 0)
            {
                return;
            }

            // Test projects are skipped unless the option says otherwise, globally or for the file.
            var scope = TimeoutRuleScope.For(context.Options, compilation);

            context.RegisterOperationAction(
                operationContext =>
                {
                    var invocation = (IInvocationOperation)operationContext.Operation;
                    if (!IsCandidateName(invocation.TargetMethod.Name))
                    {
                        return;
                    }

                    var method = Definition(invocation.TargetMethod);
                    if (!flagged.Contains(method) || WaitsForNothing(invocation))
                    {
                        return;
                    }

                    if (!scope.AppliesTo(operationContext.Operation.Syntax.SyntaxTree))
                    {
                        return;
                    }

                    var location = DiagnosticLocation(invocation.Syntax);
                    operationContext.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                        RuleDescriptors.BlockingWaitWithoutTimeout,
                        location,
                        DisplayName(invocation, method)), operationContext.Options));
                },
                OperationKind.Invocation);
        }

        /// <summary>
        /// The overloads (original definitions) that wait without a timeout while a sibling overload of the
        /// same name takes one.
        /// </summary>
        private static HashSet<IMethodSymbol> FindWaitsWithoutTimeout(Compilation compilation, INamedTypeSymbol timeSpan)
        {
            var result = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            foreach (var (typeName, methods) in BlockingWaits)
            {
                var type = compilation.GetTypeByMetadataName(typeName);
                if (type is null)
                {
                    continue;
                }

                foreach (var name in methods)
                {
                    var overloads = type.GetMembers(name);
                    foreach (var member in overloads)
                    {
                        if (member is IMethodSymbol method && !HasTimeoutParameter(method, timeSpan) && HasTimeoutSibling(method, overloads, timeSpan))
                        {
                            result.Add(method.OriginalDefinition);
                        }
                    }
                }
            }

            return result;
        }

        private static bool HasTimeoutSibling(IMethodSymbol method, ImmutableArray<ISymbol> overloads, INamedTypeSymbol timeSpan)
        {
            foreach (var member in overloads)
            {
                if (member is IMethodSymbol sibling && sibling.IsStatic == method.IsStatic && HasTimeoutParameter(sibling, timeSpan))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A <see cref="TimeSpan"/> or an <c>int</c> (every int a wait method takes is a timeout in milliseconds).</summary>
        internal static bool HasTimeoutParameter(IMethodSymbol method, INamedTypeSymbol timeSpan)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.SpecialType == SpecialType.System_Int32
                    || SymbolEqualityComparer.Default.Equals(parameter.Type, timeSpan))
                {
                    return true;
                }
            }

            return false;
        }

        // 'Task.WaitAll()' with an empty params list returns at once.
        private static bool WaitsForNothing(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray
                    && argument.Value is IArrayCreationOperation { Initializer: { ElementValues: { Length: 0 } } })
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsCandidateName(string name)
        {
            switch (name)
            {
                case "Wait":
                case "WaitAll":
                case "WaitAny":
                case "WaitOne":
                case "SignalAndWait":
                case "Join":
                case "WaitForExit":
                    return true;
                default:
                    return false;
            }
        }

        // An override of a flagged virtual (a WaitHandle subclass overriding WaitOne()) still waits the same way.
        private static IMethodSymbol Definition(IMethodSymbol method)
        {
            var current = method.OriginalDefinition;
            for (var depth = 0; depth < 8 && current.IsOverride && current.OverriddenMethod is { } overridden; depth++)
            {
                current = overridden.OriginalDefinition;
            }

            return current;
        }

        /// <summary>The member name through the argument list: <c>Wait()</c> in <c>task.Wait()</c>.</summary>
        internal static Location DiagnosticLocation(SyntaxNode syntax)
        {
            if (syntax is InvocationExpressionSyntax invocation)
            {
                SyntaxNode? name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
                    MemberBindingExpressionSyntax memberBinding => memberBinding.Name,
                    SimpleNameSyntax simpleName => simpleName,
                    _ => null,
                };

                if (name is not null)
                {
                    // Half-typed 'x.Join(' : stop at what has been typed, not at the next line.
                    var arguments = invocation.ArgumentList;
                    var end = arguments.CloseParenToken.IsMissing ? arguments.OpenParenToken.Span.End : arguments.Span.End;
                    return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(name.SpanStart, end));
                }
            }

            return syntax.GetLocation();
        }

        /// <summary>The receiver's type (or the declaring type for static calls) and the method: <c>SemaphoreSlim.Wait()</c>.</summary>
        private static string DisplayName(IInvocationOperation invocation, IMethodSymbol method)
        {
            var typeName = method.ContainingType.Name;
            if (invocation.Instance?.Type is INamedTypeSymbol receiver
                && receiver.TypeKind == TypeKind.Class
                && !string.IsNullOrEmpty(receiver.Name))
            {
                typeName = receiver.Name;
            }

            return typeName + "." + method.Name + "()";
        }
    }
}
