using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS102: a known timeout — a property such as <c>HttpClient.Timeout</c> or <c>DbCommand.CommandTimeout</c>,
    /// or a timeout parameter of a BCL or Polly method — is given a value that means "wait forever"
    /// (<c>Timeout.InfiniteTimeSpan</c>, <c>TimeSpan.MaxValue</c>, <c>-1</c> for milliseconds, <c>0</c> where 0 means no limit).
    /// </summary>
    /// <remarks>
    /// Values are recognised by symbol (<c>Timeout.InfiniteTimeSpan</c>, <c>TimeSpan.MaxValue</c>, <c>TimeSpan.Zero</c>,
    /// <c>TimeSpan.FromMilliseconds(-1)</c>) or by compile-time constant (literals, <c>Timeout.Infinite</c>, user consts);
    /// never by following non-constant variables, so values read from configuration are left alone.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class InfiniteTimeoutAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property naming the unit the flagged value is in; read by the code fix.</summary>
        internal const string UnitProperty = "Unit";

        internal const string UnitTimeSpan = "TimeSpan";
        internal const string UnitSeconds = "Seconds";
        internal const string UnitMilliseconds = "Milliseconds";

        private static readonly SymbolDisplayFormat TypeNameFormat = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

        private static readonly ImmutableDictionary<string, string?> TimeSpanProperties = UnitProperties(UnitTimeSpan);
        private static readonly ImmutableDictionary<string, string?> SecondsProperties = UnitProperties(UnitSeconds);
        private static readonly ImmutableDictionary<string, string?> MillisecondsProperties = UnitProperties(UnitMilliseconds);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(RuleDescriptors.InfiniteTimeout);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var known = KnownTimeouts.Resolve(context.Compilation);
            if (known is null)
            {
                return;
            }

            // Test projects are skipped unless the option says otherwise, globally or for the file.
            var scope = TimeoutRuleScope.For(context.Options, context.Compilation);
            var analysis = new Analysis(known, scope);
            context.RegisterOperationAction(analysis.AnalyzeAssignment, OperationKind.SimpleAssignment);
            context.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
            context.RegisterOperationAction(analysis.AnalyzeObjectCreation, OperationKind.ObjectCreation);
        }

        private static ImmutableDictionary<string, string?> UnitProperties(string unit) =>
            ImmutableDictionary<string, string?>.Empty.Add(UnitProperty, unit);

        /// <summary>Which written values mean "no timeout" for a given target.</summary>
        [Flags]
        private enum NoLimitValues
        {
            None = 0,

            /// <summary><c>Timeout.InfiniteTimeSpan</c>, <c>TimeSpan.MaxValue</c>, <c>TimeSpan.FromMilliseconds(-1)</c>.</summary>
            InfiniteTimeSpan = 1,

            /// <summary><c>TimeSpan.Zero</c>, <c>TimeSpan.FromSeconds(0)</c> and friends.</summary>
            ZeroTimeSpan = 2,

            /// <summary>The constant <c>-1</c> (<c>Timeout.Infinite</c>).</summary>
            MinusOne = 4,

            /// <summary>The constant <c>0</c>.</summary>
            Zero = 8,
        }

        private enum TimeUnit
        {
            TimeSpan,
            Seconds,
            Milliseconds,
        }

        /// <summary>A timeout property or parameter, what means "no limit" for it, and its unit.</summary>
        private readonly struct Target
        {
            public Target(NoLimitValues values, TimeUnit unit, int parameterOrdinal = 0)
            {
                Values = values;
                Unit = unit;
                ParameterOrdinal = parameterOrdinal;
            }

            public NoLimitValues Values { get; }

            public TimeUnit Unit { get; }

            /// <summary>For methods: which parameter is the timeout.</summary>
            public int ParameterOrdinal { get; }
        }

        /// <summary>The well-known symbols of one compilation, resolved once.</summary>
        private sealed class KnownTimeouts
        {
            private static readonly Target InfiniteTimeSpanTarget = new Target(NoLimitValues.InfiniteTimeSpan, TimeUnit.TimeSpan);
            private static readonly Target InfiniteMillisecondsTarget = new Target(NoLimitValues.MinusOne, TimeUnit.Milliseconds);
            private static readonly Target ZeroOrInfiniteMillisecondsTarget = new Target(NoLimitValues.MinusOne | NoLimitValues.Zero, TimeUnit.Milliseconds);
            private static readonly Target ZeroSecondsTarget = new Target(NoLimitValues.Zero, TimeUnit.Seconds);

            /// <summary>Timeout properties, by declaring type; overrides (SqlCommand, NetworkStream, ...) are found through them.</summary>
            private static readonly (string Type, string Property, Target Target)[] PropertyTable =
            {
                // HTTP: a client or handler that never gives up.
                ("System.Net.Http.HttpClient", "Timeout", InfiniteTimeSpanTarget),
                ("System.Net.Http.SocketsHttpHandler", "ConnectTimeout", InfiniteTimeSpanTarget),
                ("System.Net.Http.SocketsHttpHandler", "ResponseDrainTimeout", InfiniteTimeSpanTarget),
                ("System.Net.HttpWebRequest", "ReadWriteTimeout", InfiniteMillisecondsTarget),
                ("System.Net.WebRequest", "Timeout", InfiniteMillisecondsTarget),

                // Sockets: 0 and -1 both mean infinite. Streams (NetworkStream, SslStream, ...): only -1 does; 0 is rejected.
                ("System.Net.Sockets.Socket", "ReceiveTimeout", ZeroOrInfiniteMillisecondsTarget),
                ("System.Net.Sockets.Socket", "SendTimeout", ZeroOrInfiniteMillisecondsTarget),
                ("System.Net.Sockets.TcpClient", "ReceiveTimeout", ZeroOrInfiniteMillisecondsTarget),
                ("System.Net.Sockets.TcpClient", "SendTimeout", ZeroOrInfiniteMillisecondsTarget),
                ("System.IO.Stream", "ReadTimeout", InfiniteMillisecondsTarget),
                ("System.IO.Stream", "WriteTimeout", InfiniteMillisecondsTarget),

                // ADO.NET: a timeout of 0 seconds means no limit (SqlClient, Npgsql, Sqlite: every DbCommand).
                ("System.Data.Common.DbCommand", "CommandTimeout", ZeroSecondsTarget),
                ("System.Data.IDbCommand", "CommandTimeout", ZeroSecondsTarget),
                ("Microsoft.Data.SqlClient.SqlBulkCopy", "BulkCopyTimeout", ZeroSecondsTarget),
                ("Microsoft.Data.SqlClient.SqlConnectionStringBuilder", "ConnectTimeout", ZeroSecondsTarget),
                ("Microsoft.Data.SqlClient.SqlConnectionStringBuilder", "CommandTimeout", ZeroSecondsTarget),
                ("System.Data.SqlClient.SqlBulkCopy", "BulkCopyTimeout", ZeroSecondsTarget),
                ("System.Data.SqlClient.SqlConnectionStringBuilder", "ConnectTimeout", ZeroSecondsTarget),
                ("Npgsql.NpgsqlConnectionStringBuilder", "CommandTimeout", ZeroSecondsTarget),

                // Polly v8: the timeout strategy's options (HttpTimeoutStrategyOptions derives from them).
                ("Polly.Timeout.TimeoutStrategyOptions", "Timeout", InfiniteTimeSpanTarget),
            };

            private KnownTimeouts(INamedTypeSymbol timeSpan)
            {
                TimeSpan = timeSpan;
            }

            public INamedTypeSymbol TimeSpan { get; }

            public IFieldSymbol? InfiniteTimeSpan { get; private set; }

            public IFieldSymbol? MaxValue { get; private set; }

            public IFieldSymbol? Zero { get; private set; }

            public INamedTypeSymbol? CancellationToken { get; private set; }

            public INamedTypeSymbol? Thread { get; private set; }

            public IPropertySymbol? IDbCommandTimeout { get; private set; }

            /// <summary>Names of every known timeout property: a cheap first filter for assignments.</summary>
            public HashSet<string> PropertyNames { get; } = new HashSet<string>(StringComparer.Ordinal);

            public Dictionary<IPropertySymbol, Target> Properties { get; } = new Dictionary<IPropertySymbol, Target>(SymbolEqualityComparer.Default);

            public Dictionary<IMethodSymbol, Target> Methods { get; } = new Dictionary<IMethodSymbol, Target>(SymbolEqualityComparer.Default);

            public static KnownTimeouts? Resolve(Compilation compilation)
            {
                var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
                if (timeSpan is null || timeSpan.TypeKind == TypeKind.Error)
                {
                    return null;
                }

                var known = new KnownTimeouts(timeSpan)
                {
                    InfiniteTimeSpan = Field(compilation.GetTypeByMetadataName("System.Threading.Timeout"), "InfiniteTimeSpan"),
                    MaxValue = Field(timeSpan, "MaxValue"),
                    Zero = Field(timeSpan, "Zero"),
                    CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken"),
                    Thread = compilation.GetTypeByMetadataName("System.Threading.Thread"),
                };

                foreach (var (typeName, propertyName, target) in PropertyTable)
                {
                    known.AddProperty(compilation, typeName, propertyName, target);
                }

                known.IDbCommandTimeout = Property(compilation.GetTypeByMetadataName("System.Data.IDbCommand"), "CommandTimeout");

                // Cancellation: a deadline that never comes.
                var cts = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
                if (cts is not null)
                {
                    foreach (var member in cts.GetMembers("CancelAfter"))
                    {
                        known.AddSingleParameterMethod(member as IMethodSymbol);
                    }

                    foreach (var constructor in cts.InstanceConstructors)
                    {
                        known.AddSingleParameterMethod(constructor);
                    }
                }

                // Process.WaitForExit(int milliseconds): the one BCL wait whose parameter is not named *Timeout.
                foreach (var member in compilation.GetTypeByMetadataName("System.Diagnostics.Process")?.GetMembers("WaitForExit") ?? ImmutableArray<ISymbol>.Empty)
                {
                    known.AddSingleParameterMethod(member as IMethodSymbol);
                }

                // EF Core: sql => sql.CommandTimeout(0), and Database.SetCommandTimeout(0 or TimeSpan.Zero); both end up as DbCommand.CommandTimeout = 0.
                foreach (var member in compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.Infrastructure.RelationalDbContextOptionsBuilder`2")?.GetMembers("CommandTimeout") ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IMethodSymbol { Parameters.Length: 1 } method)
                    {
                        known.Methods[method] = ZeroSecondsTarget;
                    }
                }

                foreach (var member in compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions")?.GetMembers("SetCommandTimeout") ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IMethodSymbol { Parameters.Length: 2 } method)
                    {
                        known.Methods[method] = IsTimeSpan(method.Parameters[1].Type, timeSpan)
                            ? new Target(NoLimitValues.ZeroTimeSpan, TimeUnit.TimeSpan, parameterOrdinal: 1)
                            : new Target(NoLimitValues.Zero, TimeUnit.Seconds, parameterOrdinal: 1);
                    }
                }

                return known;
            }

            private void AddProperty(Compilation compilation, string typeName, string propertyName, Target target)
            {
                var property = Property(compilation.GetTypeByMetadataName(typeName), propertyName);
                if (property is not null)
                {
                    Properties[property] = target;
                    PropertyNames.Add(propertyName);
                }
            }

            // CancelAfter(int millisecondsDelay), CancelAfter(TimeSpan delay), new CancellationTokenSource(...), WaitForExit(int).
            private void AddSingleParameterMethod(IMethodSymbol? method)
            {
                if (method is null || method.Parameters.Length != 1)
                {
                    return;
                }

                var type = method.Parameters[0].Type;
                if (IsTimeSpan(type, TimeSpan))
                {
                    Methods[method] = InfiniteTimeSpanTarget;
                }
                else if (type.SpecialType == SpecialType.System_Int32 || type.SpecialType == SpecialType.System_Int64)
                {
                    Methods[method] = InfiniteMillisecondsTarget;
                }
            }

            private static IFieldSymbol? Field(INamedTypeSymbol? type, string name)
            {
                foreach (var member in type?.GetMembers(name) ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IFieldSymbol field)
                    {
                        return field;
                    }
                }

                return null;
            }

            private static IPropertySymbol? Property(INamedTypeSymbol? type, string name)
            {
                foreach (var member in type?.GetMembers(name) ?? ImmutableArray<ISymbol>.Empty)
                {
                    if (member is IPropertySymbol { IsIndexer: false } property)
                    {
                        return property;
                    }
                }

                return null;
            }
        }

        private sealed class Analysis
        {
            private readonly KnownTimeouts _known;
            private readonly TimeoutRuleScope _scope;

            public Analysis(KnownTimeouts known, TimeoutRuleScope scope)
            {
                _known = known;
                _scope = scope;
            }

            public void AnalyzeAssignment(OperationAnalysisContext context)
            {
                if (context.Operation is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation reference } assignment
                    || !_known.PropertyNames.Contains(reference.Property.Name)
                    || !TryFindProperty(reference.Property, out var target))
                {
                    return;
                }

                var receiver = DisplayType(reference.Instance?.Type) ?? DisplayType(reference.Property.ContainingType);
                Check(context, assignment.Value, target, receiver + "." + reference.Property.Name);
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                // The arguments (one per parameter) are already built; the method's Parameters would be a new array per call.
                if (invocation.Arguments.IsEmpty)
                {
                    return;
                }

                var method = invocation.TargetMethod;

                if (_known.Methods.TryGetValue(method.OriginalDefinition, out var target))
                {
                    var argument = ArgumentFor(invocation.Arguments, target.ParameterOrdinal);
                    if (argument is not null)
                    {
                        Check(context, argument.Value, target, DisplayReceiver(invocation) + "." + method.Name);
                    }

                    return;
                }

                AnalyzeTimeoutParameters(context, invocation);
            }

            public void AnalyzeObjectCreation(OperationAnalysisContext context)
            {
                var creation = (IObjectCreationOperation)context.Operation;
                if (creation.Constructor is { } constructor
                    && _known.Methods.TryGetValue(constructor.OriginalDefinition, out var target)
                    && ArgumentFor(creation.Arguments, target.ParameterOrdinal) is { } argument)
                {
                    Check(context, argument.Value, target, "new " + DisplayType(constructor.ContainingType));
                }
            }

            // Task.Wait(Timeout.Infinite), SemaphoreSlim.Wait(Timeout.InfiniteTimeSpan), WaitOne(-1), Policy.TimeoutAsync(...),
            // builder.AddTimeout(...): any parameter named *timeout of a BCL (System.*) or Polly method.
            private void AnalyzeTimeoutParameters(OperationAnalysisContext context, IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                IArgumentOperation? found = null;
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is { } parameter && parameter.Name.EndsWith("timeout", StringComparison.OrdinalIgnoreCase))
                    {
                        found = argument;
                        break;
                    }
                }

                if (found?.Parameter is not { } timeoutParameter || !IsTimeoutLibrary(method) || PassesCancellationToken(invocation))
                {
                    return;
                }

                Target target;
                if (IsTimeSpan(timeoutParameter.Type, _known.TimeSpan))
                {
                    target = new Target(NoLimitValues.InfiniteTimeSpan, TimeUnit.TimeSpan);
                }
                else if (timeoutParameter.Type.SpecialType == SpecialType.System_Int32 || timeoutParameter.Type.SpecialType == SpecialType.System_Int64)
                {
                    target = new Target(NoLimitValues.MinusOne, TimeUnit.Milliseconds);
                }
                else
                {
                    return;
                }

                Check(context, found.Value, target, DisplayReceiver(invocation) + "." + method.Name);
            }

            private bool IsTimeoutLibrary(IMethodSymbol method)
            {
                var type = method.ContainingType;
                if (type is null)
                {
                    return false;
                }

                // Thread.Sleep(Timeout.Infinite) parks a thread on purpose; it is not a timeout.
                if (SymbolEqualityComparer.Default.Equals(type, _known.Thread) && method.Name == "Sleep")
                {
                    return false;
                }

                var ns = type.ContainingNamespace;
                if (ns is null || ns.IsGlobalNamespace)
                {
                    return false;
                }

                // A regex match timeout bounds CPU, not a wait on another party.
                if (ns.Name == "RegularExpressions" && ns.ContainingNamespace?.Name == "Text")
                {
                    return false;
                }

                while (ns.ContainingNamespace is { IsGlobalNamespace: false } parent)
                {
                    ns = parent;
                }

                return ns.Name == "System" || ns.Name == "Polly";
            }

            // WaitAsync(Timeout.Infinite, stoppingToken): the token is the chosen bound, so the explicit infinity is not the problem.
            private bool PassesCancellationToken(IInvocationOperation invocation)
            {
                if (_known.CancellationToken is null)
                {
                    return false;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind != ArgumentKind.DefaultValue
                        && argument.Parameter is { } parameter
                        && SymbolEqualityComparer.Default.Equals(parameter.Type, _known.CancellationToken)
                        && !IsNoneToken(argument.Value.WithoutImplicitConversions()))
                    {
                        return true;
                    }
                }

                return false;
            }

            private bool IsNoneToken(IOperation value) =>
                value is IDefaultValueOperation
                || (value is IPropertyReferenceOperation { Property.Name: "None" } none
                    && SymbolEqualityComparer.Default.Equals(none.Property.ContainingType, _known.CancellationToken));

            private bool TryFindProperty(IPropertySymbol property, out Target target)
            {
                for (var current = property; current is not null; current = current.OverriddenProperty)
                {
                    if (_known.Properties.TryGetValue(current.OriginalDefinition, out target))
                    {
                        return true;
                    }

                    foreach (var implemented in current.ExplicitInterfaceImplementations)
                    {
                        if (_known.Properties.TryGetValue(implemented.OriginalDefinition, out target))
                        {
                            return true;
                        }
                    }
                }

                // A hand-written IDbCommand that implements CommandTimeout implicitly.
                if (_known.IDbCommandTimeout is { } interfaceProperty
                    && property.Name == interfaceProperty.Name
                    && property.ContainingType is { } type
                    && Implements(type, interfaceProperty.ContainingType)
                    && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceProperty), property))
                {
                    return _known.Properties.TryGetValue(interfaceProperty, out target);
                }

                target = default;
                return false;
            }

            private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol @interface)
            {
                foreach (var candidate in type.AllInterfaces)
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate, @interface))
                    {
                        return true;
                    }
                }

                return false;
            }

            private void Check(OperationAnalysisContext context, IOperation value, Target target, string targetDisplay)
            {
                var written = value.WithoutImplicitConversions();
                var values = target.Unit == TimeUnit.TimeSpan ? ClassifyTimeSpan(written) : ClassifyInteger(written);
                if ((values & target.Values) == NoLimitValues.None || written.Syntax is null)
                {
                    return;
                }

                var tree = written.Syntax.SyntaxTree;
                if (!_scope.AppliesTo(tree))
                {
                    return;
                }

                var properties = target.Unit switch
                {
                    TimeUnit.TimeSpan => TimeSpanProperties,
                    TimeUnit.Seconds => SecondsProperties,
                    _ => MillisecondsProperties,
                };

                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                    RuleDescriptors.InfiniteTimeout,
                    written.Syntax.GetLocation(),
                    properties,
                    targetDisplay,
                    written.Syntax.ToString()), context.Options));
            }

            private NoLimitValues ClassifyTimeSpan(IOperation value)
            {
                switch (value)
                {
                    case IFieldReferenceOperation reference:
                        var field = reference.Field;
                        if (SymbolEqualityComparer.Default.Equals(field, _known.InfiniteTimeSpan) || SymbolEqualityComparer.Default.Equals(field, _known.MaxValue))
                        {
                            return NoLimitValues.InfiniteTimeSpan;
                        }

                        return SymbolEqualityComparer.Default.Equals(field, _known.Zero) ? NoLimitValues.ZeroTimeSpan : NoLimitValues.None;

                    // TimeSpan.FromMilliseconds(-1), TimeSpan.FromSeconds(0), ...
                    case IInvocationOperation { TargetMethod: { IsStatic: true } factory } invocation
                        when factory.Name.StartsWith("From", StringComparison.Ordinal)
                            && SymbolEqualityComparer.Default.Equals(factory.ContainingType, _known.TimeSpan)
                            && invocation.Arguments.Length > 0:
                        if (!TryGetInteger(invocation.Arguments[0].Value, out var first))
                        {
                            return NoLimitValues.None;
                        }

                        for (var i = 1; i < invocation.Arguments.Length; i++)
                        {
                            if (!TryGetInteger(invocation.Arguments[i].Value, out var rest) || rest != 0)
                            {
                                return NoLimitValues.None;
                            }
                        }

                        if (first == 0)
                        {
                            return NoLimitValues.ZeroTimeSpan;
                        }

                        return first == -1 && factory.Name == "FromMilliseconds" ? NoLimitValues.InfiniteTimeSpan : NoLimitValues.None;

                    default:
                        return NoLimitValues.None;
                }
            }

            private static NoLimitValues ClassifyInteger(IOperation value)
            {
                if (!TryGetInteger(value, out var number))
                {
                    return NoLimitValues.None;
                }

                return number switch
                {
                    0 => NoLimitValues.Zero,
                    -1 => NoLimitValues.MinusOne,
                    _ => NoLimitValues.None,
                };
            }

            private static bool TryGetInteger(IOperation value, out long number)
            {
                number = 0;
                var constant = value.WithoutImplicitConversions().ConstantValue;
                if (!constant.HasValue)
                {
                    return false;
                }

                switch (constant.Value)
                {
                    case int i: number = i; return true;
                    case long l: number = l; return true;
                    case short s: number = s; return true;
                    case sbyte b: number = b; return true;
                    case byte b: number = b; return true;
                    case ushort u: number = u; return true;
                    case uint u: number = u; return true;
                    case double d when d == Math.Floor(d) && d >= long.MinValue && d < long.MaxValue: number = (long)d; return true;
                    case float f when f == Math.Floor(f) && f >= long.MinValue && f < long.MaxValue: number = (long)f; return true;
                    default: return false;
                }
            }

            private static IArgumentOperation? ArgumentFor(ImmutableArray<IArgumentOperation> arguments, int ordinal)
            {
                foreach (var argument in arguments)
                {
                    if (argument.Parameter?.Ordinal == ordinal)
                    {
                        return argument.ArgumentKind == ArgumentKind.DefaultValue ? null : argument;
                    }
                }

                return null;
            }

            // The type the call is made on as the user wrote it: cmd's SqlCommand, sql's SqlServerDbContextOptionsBuilder,
            // Database's DatabaseFacade for an extension method; the declaring type for a static call.
            private static string DisplayReceiver(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                ITypeSymbol? receiver = invocation.Instance?.Type;
                if (receiver is null && method.IsExtensionMethod)
                {
                    receiver = ArgumentFor(invocation.Arguments, 0) is { } self ? self.Value.WithoutImplicitConversions().Type : null;
                }

                return DisplayType(receiver) ?? DisplayType(method.ContainingType) ?? method.Name;
            }
        }

        private static string? DisplayType(ITypeSymbol? type) =>
            type is null || type.TypeKind == TypeKind.Error ? null : type.ToDisplayString(TypeNameFormat);

        private static bool IsTimeSpan(ITypeSymbol type, INamedTypeSymbol timeSpan)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && nullable.TypeArguments.Length == 1)
            {
                type = nullable.TypeArguments[0];
            }

            return SymbolEqualityComparer.Default.Equals(type, timeSpan);
        }
    }
}
