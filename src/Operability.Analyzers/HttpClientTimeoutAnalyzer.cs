using System;
using System.Collections.Generic;
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
    /// OPS101: <c>new HttpClient(...)</c> whose <c>Timeout</c> is never set, so every call through it
    /// may wait the 100-second default.
    /// </summary>
    /// <remarks>
    /// A creation is judged by where the client goes:
    /// <list type="bullet">
    /// <item>into a local — silent when the same operation block (method, constructor, accessor, top-level
    /// program, with its lambdas and local functions) sets <c>local.Timeout</c>, or lets the local escape
    /// (passed to any method, returned, stored elsewhere);</item>
    /// <item>into a field or property of the same type — silent when the creating block sets its
    /// <c>Timeout</c>, when a constructor does (for creations in initializers and constructors), or when the
    /// member escapes anywhere in the type;</item>
    /// <item>used on the spot (<c>new HttpClient().GetAsync(...)</c>) — reported;</item>
    /// <item>anywhere else (an argument, a return value, another object's member) — silent: whoever receives
    /// the client may well configure it, and a false positive costs more than a miss.</item>
    /// </list>
    /// Only <c>System.Net.Http.HttpClient</c> itself is checked, never handlers or derived clients.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HttpClientTimeoutAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>The <c>.editorconfig</c> key of the timeout the code fix writes, in whole seconds.</summary>
        public const string TimeoutSecondsKey = "operability.OPS101.default_timeout_seconds";

        /// <summary>The diagnostic property that carries the configured timeout to the code fix.</summary>
        public const string TimeoutSecondsProperty = "TimeoutSeconds";

        /// <summary>The timeout the code fix writes when none (or an invalid one) is configured.</summary>
        public const int DefaultTimeoutSeconds = 30;

        /// <summary>The message argument for a client that is not stored anywhere.</summary>
        public const string UnstoredClientName = "new HttpClient()";

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.HttpClientWithoutTimeout);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        /// <summary>Reads <see cref="TimeoutSecondsKey"/>: a whole number of seconds above zero, else the default.</summary>
        public static int ParseTimeoutSeconds(string? value) => TimeoutOptions.ParseSeconds(value, DefaultTimeoutSeconds);

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var known = KnownSymbols.From(context.Compilation);
            if (known is null)
            {
                return;
            }

            var scope = TimeoutRuleScope.For(context.Options, context.Compilation);
            var texts = new SourceTextSearch.Cache();
            var spellings = new Lazy<string[]>(() => Spellings(context.Compilation), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            context.RegisterSymbolStartAction(
                typeContext =>
                {
                    // Only a creation in the type's own code is reported, and creating a client spells its name
                    // (or is a target-typed 'new(...)'): a type whose text does neither needs no actions at all.
                    if (MayCreateClient((INamedTypeSymbol)typeContext.Symbol, texts, spellings.Value, typeContext.CancellationToken))
                    {
                        OnTypeStart(typeContext, known, scope);
                    }
                },
                SymbolKind.NamedType);
        }

        // How code that creates a client spells it: its name (also in 'System.Net.Http.HttpClient'), a target-typed
        // 'new(...)' (a comment between 'new' and '(' starts with '/'), or an alias declared for the type anywhere.
        private static readonly string[] CreationSpellings = { "HttpClient", "new(", "new (", "new\t", "new\r", "new\n", "new/" };

        private static bool MayCreateClient(INamedTypeSymbol type, SourceTextSearch.Cache texts, string[] spellings, System.Threading.CancellationToken cancellationToken)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (texts.MayMentionAny(reference.GetSyntax(cancellationToken), spellings, cancellationToken))
                {
                    return true;
                }
            }

            return false;
        }

        // 'using Http = System.Net.Http.HttpClient;' (or 'global using ...') in any file makes 'Http' a spelling too.
        // Using directives sit at the top of a file or of a namespace: no walk into any type or member.
        private static string[] Spellings(Compilation compilation)
        {
            var spellings = new List<string>(CreationSpellings);
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetRoot() is CompilationUnitSyntax unit)
                {
                    AddAliases(unit.Usings, unit.Members, spellings);
                }
            }

            return spellings.ToArray();
        }

        private static void AddAliases(SyntaxList<UsingDirectiveSyntax> usings, SyntaxList<MemberDeclarationSyntax> members, List<string> spellings)
        {
            foreach (var directive in usings)
            {
                if (directive.Alias is { } alias && directive.Name?.ToString().EndsWith("HttpClient", StringComparison.Ordinal) != false)
                {
                    spellings.Add(alias.Name.Identifier.ValueText);
                }
            }

            foreach (var member in members)
            {
                if (member is BaseNamespaceDeclarationSyntax ns)
                {
                    AddAliases(ns.Usings, ns.Members, spellings);
                }
            }
        }

        private static void OnTypeStart(SymbolStartAnalysisContext context, KnownSymbols known, TimeoutRuleScope scope)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            var members = new MemberClients();

            context.RegisterOperationAction(
                operationContext =>
                {
                    var creation = (IObjectCreationOperation)operationContext.Operation;
                    // Half-typed syntax ("new HttpClient(" while typing) waits until it parses.
                    if (SymbolEqualityComparer.Default.Equals(creation.Type, known.HttpClient)
                        && OwnBlock(operationContext.ContainingSymbol, type)
                        && !creation.Syntax.ContainsDiagnostics
                        && !SetsTimeoutInInitializer(creation, known)
                        && scope.AppliesTo(creation.Syntax.SyntaxTree))
                    {
                        Judge(operationContext, creation, known, type, members);
                    }
                },
                OperationKind.ObjectCreation);

            context.RegisterOperationAction(
                operationContext =>
                {
                    var reference = (IMemberReferenceOperation)operationContext.Operation;
                    if (IsOwnMember(reference, type) && known.CanHoldClient(MemberType(reference.Member)) && IsEscapingUse(reference, known)
                        && OwnBlock(operationContext.ContainingSymbol, type))
                    {
                        members.AddEscape(reference.Member);
                    }
                },
                OperationKind.FieldReference,
                OperationKind.PropertyReference);

            context.RegisterOperationAction(
                operationContext =>
                {
                    if (operationContext.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }
                        && OwnBlock(operationContext.ContainingSymbol, type)
                        && TimeoutSetOn((ISimpleAssignmentOperation)operationContext.Operation, known, type) is { } target
                        && target is not ILocalSymbol)
                    {
                        members.AddConstructorTimeout(target);
                    }
                },
                OperationKind.SimpleAssignment);

            context.RegisterSymbolEndAction(endContext => members.Report(endContext));
        }

        // Blocks of nested types belong to the nested type's own analysis.
        private static bool OwnBlock(ISymbol owner, INamedTypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(owner.ContainingType?.OriginalDefinition, type.OriginalDefinition);

        private static void Judge(
            OperationAnalysisContext context,
            IObjectCreationOperation creation,
            KnownSymbols known,
            INamedTypeSymbol type,
            MemberClients members)
        {
            var owner = context.ContainingSymbol;
            var constructorTimeoutsCount = owner is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor }
                || owner is IFieldSymbol
                || owner is IPropertySymbol;
            var storage = Classify(creation, known, type, out var holder);
            switch (storage)
            {
                case Storage.Unstored:
                    context.ReportDiagnostic(CiSeverity.Apply(CreateDiagnostic(creation, UnstoredClientName, context.Options), context.Options));
                    break;

                case Storage.Local:
                    var localUses = BlockUses.Collect(creation.Root(), known, type);
                    if (!localUses.TimeoutSet(holder!) && !localUses.Escapes(holder!))
                    {
                        context.ReportDiagnostic(CiSeverity.Apply(CreateDiagnostic(creation, holder!.Name, context.Options), context.Options));
                    }

                    break;

                case Storage.Member:
                    if (!BlockUses.Collect(creation.Root(), known, type).TimeoutSet(holder!))
                    {
                        members.AddCreation(new MemberCreation(creation, holder!, constructorTimeoutsCount));
                    }

                    break;
            }
        }

        // The operation block a creation belongs to: the method body, constructor body or initializer at the top.

        internal static Diagnostic CreateDiagnostic(IOperation creation, string name, AnalyzerOptions options)
        {
            var tree = creation.Syntax.SyntaxTree;
            options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(TimeoutSecondsKey, out var configured);
            var properties = ImmutableDictionary<string, string?>.Empty.Add(
                TimeoutSecondsProperty,
                ParseTimeoutSeconds(configured).ToString(CultureInfo.InvariantCulture));
            return Diagnostic.Create(RuleDescriptors.HttpClientWithoutTimeout, creation.Syntax.GetLocation(), properties, name);
        }

        private static bool SetsTimeoutInInitializer(IObjectCreationOperation creation, KnownSymbols known)
        {
            if (creation.Initializer is null)
            {
                return false;
            }

            foreach (var initializer in creation.Initializer.Initializers)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property }
                    && known.IsTimeout(property.Property))
                {
                    return true;
                }
            }

            return false;
        }

        private enum Storage
        {
            /// <summary>Goes somewhere this analysis does not follow: stay silent.</summary>
            Escapes,
            Unstored,
            Local,
            Member,
        }

        private static Storage Classify(IObjectCreationOperation creation, KnownSymbols known, INamedTypeSymbol type, out ISymbol? holder)
        {
            holder = null;
            IOperation current = creation;
            var parent = current.Parent;

            // The value flows on through conversions, ?:, ?? and switch-expression arms.
            while (parent is IConversionOperation
                || (parent is IConditionalOperation conditional && conditional.Condition != current)
                || parent is ICoalesceOperation
                || parent is ISwitchExpressionArmOperation
                || (parent is ISwitchExpressionOperation && current is ISwitchExpressionArmOperation))
            {
                current = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    holder = declarator.Symbol;
                    return Storage.Local;

                case IFieldInitializerOperation field when field.InitializedFields.Length == 1:
                    holder = field.InitializedFields[0].OriginalDefinition;
                    return Storage.Member;

                case IPropertyInitializerOperation property when property.InitializedProperties.Length == 1:
                    holder = property.InitializedProperties[0].OriginalDefinition;
                    return Storage.Member;

                case IAssignmentOperation assignment when assignment.Value == current
                    && (assignment is ISimpleAssignmentOperation || assignment is ICoalesceAssignmentOperation):
                    // "return _client ??= new HttpClient();" hands the client on as well as storing it.
                    return assignment.Parent is not IExpressionStatementOperation && IsEscapingUse(assignment, known)
                        ? Storage.Escapes
                        : StoredIn(assignment.Target, type, out holder);

                case IPropertyReferenceOperation property when property.Instance == current
                    && known.IsTimeout(property.Property)
                    && property.Parent is ISimpleAssignmentOperation timeoutAssignment
                    && timeoutAssignment.Target == property:
                    // (new HttpClient()).Timeout = ...: odd, but the timeout is set.
                    return Storage.Escapes;

                case IInvocationOperation invocation when invocation.Instance == current:
                case IMemberReferenceOperation member when member.Instance == current:
                case IConditionalAccessOperation access when access.Operation == current:
                case IExpressionStatementOperation:
                    return Storage.Unstored;

                case IReturnOperation returned when known.IsContainerFactoryReturn(returned):
                    // The container is the only receiver, and it configures nothing.
                    return Storage.Unstored;

                default:
                    return Storage.Escapes;
            }
        }

        private static Storage StoredIn(IOperation target, INamedTypeSymbol type, out ISymbol? holder)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    holder = local.Local;
                    return Storage.Local;

                case IMemberReferenceOperation member when (member is IFieldReferenceOperation || member is IPropertyReferenceOperation) && IsOwnMember(member, type):
                    holder = member.Member.OriginalDefinition;
                    return Storage.Member;

                default:
                    holder = null;
                    return Storage.Escapes;
            }
        }

        /// <summary>A member of the analysed type reached through <c>this</c> (or statically), not another object's.</summary>
        private static bool IsOwnMember(IMemberReferenceOperation reference, INamedTypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(reference.Member.ContainingType?.OriginalDefinition, type.OriginalDefinition)
            && (reference.Instance is null
                || reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

        private static ITypeSymbol? MemberType(ISymbol member) => member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        /// <summary>The local or own member whose Timeout <paramref name="assignment"/> sets, if it sets one.</summary>
        private static ISymbol? TimeoutSetOn(ISimpleAssignmentOperation assignment, KnownSymbols known, INamedTypeSymbol type)
        {
            if (assignment.Target is not IPropertyReferenceOperation property || !known.IsTimeout(property.Property))
            {
                return null;
            }

            var instance = property.Instance?.WithoutConversions();
            if (instance is IConditionalAccessInstanceOperation)
            {
                // client?.Timeout = ... (C# 14): the receiver is the enclosing conditional access's operand.
                var parent = property.Parent;
                while (parent is not null && parent is not IConditionalAccessOperation)
                {
                    parent = parent.Parent;
                }

                instance = (parent as IConditionalAccessOperation)?.Operation.WithoutConversions();
            }

            return instance switch
            {
                ILocalReferenceOperation local => local.Local,
                IMemberReferenceOperation member when IsOwnMember(member, type) => member.Member.OriginalDefinition,
                _ => null,
            };
        }

        /// <summary>
        /// Whether this use of a variable holding a client may hand the client to code that configures it:
        /// anything but calling its members, assigning the variable, comparing or disposing it.
        /// </summary>
        private static bool IsEscapingUse(IOperation reference, KnownSymbols known)
        {
            var current = reference.WithEnclosingConversions();
            var parent = current.Parent;

            switch (parent)
            {
                case IInvocationOperation invocation when invocation.Instance == current:
                case IMemberReferenceOperation member when member.Instance == current:
                case IConditionalAccessOperation access when access.Operation == current:
                case ISimpleAssignmentOperation assignment when assignment.Target == current:
                case ICoalesceAssignmentOperation coalesce when coalesce.Target == current:
                case IBinaryOperation:
                case IUsingOperation:
                case IExpressionStatementOperation:
                    return false;

                case IArgumentOperation argument:
                    return !known.IsHttpExtensionReceiver(argument);

                case IReturnOperation returned when known.IsContainerFactoryReturn(returned):
                    return false;

                default:
                    return true;
            }
        }

        /// <summary>What one operation block does with the variables its clients are stored in.</summary>
        private sealed class BlockUses
        {
            private readonly HashSet<ISymbol> _timeoutSet = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _escapes = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

            public bool TimeoutSet(ISymbol holder) => _timeoutSet.Contains(holder);

            public bool Escapes(ISymbol holder) => _escapes.Contains(holder);

            // Walks the block of a client creation, and only such blocks.
            public static BlockUses Collect(IOperation block, KnownSymbols known, INamedTypeSymbol type)
            {
                var uses = new BlockUses();
                foreach (var operation in block.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case ISimpleAssignmentOperation assignment when TimeoutSetOn(assignment, known, type) is { } target:
                            uses._timeoutSet.Add(target);
                            break;

                        case ILocalReferenceOperation local when known.CanHoldClient(local.Local.Type) && IsEscapingUse(local, known):
                            uses._escapes.Add(local.Local);
                            break;
                    }
                }

                return uses;
            }
        }

        private sealed class MemberCreation
        {
            public MemberCreation(IObjectCreationOperation creation, ISymbol member, bool constructorTimeoutsCount)
            {
                Creation = creation;
                Member = member;
                ConstructorTimeoutsCount = constructorTimeoutsCount;
            }

            public IObjectCreationOperation Creation { get; }

            public ISymbol Member { get; }

            /// <summary>Created in an initializer or a constructor, so a constructor may set the Timeout.</summary>
            public bool ConstructorTimeoutsCount { get; }
        }

        /// <summary>Clients stored in the fields and properties of one type, judged when the whole type has been seen.</summary>
        private sealed class MemberClients
        {
            private readonly object _gate = new object();
            private readonly List<MemberCreation> _creations = new List<MemberCreation>();
            private readonly HashSet<ISymbol> _setInConstructor = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            private readonly HashSet<ISymbol> _escaped = new HashSet<ISymbol>(SymbolEqualityComparer.Default);

            public void AddCreation(MemberCreation creation)
            {
                lock (_gate)
                {
                    _creations.Add(creation);
                }
            }

            public void AddConstructorTimeout(ISymbol member)
            {
                lock (_gate)
                {
                    _setInConstructor.Add(member);
                }
            }

            public void AddEscape(ISymbol member)
            {
                lock (_gate)
                {
                    _escaped.Add(member.OriginalDefinition);
                }
            }

            public void Report(SymbolAnalysisContext context)
            {
                lock (_gate)
                {
                    foreach (var creation in _creations)
                    {
                        if (_escaped.Contains(creation.Member)
                            || (creation.ConstructorTimeoutsCount && _setInConstructor.Contains(creation.Member)))
                        {
                            continue;
                        }

                        context.ReportDiagnostic(CiSeverity.Apply(CreateDiagnostic(creation.Creation, creation.Member.Name, context.Options), context.Options));
                    }
                }
            }
        }

        private sealed class KnownSymbols
        {
            private readonly IPropertySymbol _timeout;
            private readonly ImmutableArray<ITypeSymbol> _holders;

            private KnownSymbols(INamedTypeSymbol httpClient, IPropertySymbol timeout, ImmutableArray<ITypeSymbol> holders)
            {
                HttpClient = httpClient;
                _timeout = timeout;
                _holders = holders;
            }

            public INamedTypeSymbol HttpClient { get; }

            public static KnownSymbols? From(Compilation compilation)
            {
                var httpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
                if (httpClient is null || httpClient.TypeKind == TypeKind.Error)
                {
                    return null;
                }

                IPropertySymbol? timeout = null;
                foreach (var member in httpClient.GetMembers("Timeout"))
                {
                    if (member is IPropertySymbol { IsStatic: false } property)
                    {
                        timeout = property;
                        break;
                    }
                }

                if (timeout is null)
                {
                    return null;
                }

                // Variables of these types can hold a client: HttpClient, its base types and IDisposable.
                var holders = ImmutableArray.CreateBuilder<ITypeSymbol>();
                for (ITypeSymbol? t = httpClient; t is not null; t = t.BaseType)
                {
                    holders.Add(t);
                }

                if (compilation.GetSpecialType(SpecialType.System_IDisposable) is { TypeKind: not TypeKind.Error } disposable)
                {
                    holders.Add(disposable);
                }

                return new KnownSymbols(httpClient, timeout, holders.ToImmutable());
            }

            public bool IsTimeout(IPropertySymbol property) =>
                SymbolEqualityComparer.Default.Equals(property.OriginalDefinition, _timeout);

            public bool CanHoldClient(ITypeSymbol? type)
            {
                if (type is null)
                {
                    return false;
                }

                foreach (var holder in _holders)
                {
                    if (SymbolEqualityComparer.Default.Equals(type, holder))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// <paramref name="returned"/> returns from a lambda passed straight to one of the container's own
            /// registration methods (<c>AddSingleton</c>, <c>AddScoped</c>, <c>AddTransient</c>, their keyed and
            /// <c>TryAdd…</c> forms): the container only stores what the factory returns, so no other code can
            /// configure the client.
            /// </summary>
            public bool IsContainerFactoryReturn(IReturnOperation returned)
            {
                IOperation? current = returned.Parent;
                while (current is not null && current is not IAnonymousFunctionOperation)
                {
                    if (current is ILocalFunctionOperation)
                    {
                        return false;
                    }

                    current = current.Parent;
                }

                if (current is not IAnonymousFunctionOperation lambda)
                {
                    return false;
                }

                var parent = lambda.WithEnclosingDelegateConversions().Parent;

                if (parent is not IArgumentOperation { Parent: IInvocationOperation invocation })
                {
                    return false;
                }

                var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
                var container = method.ContainingType;
                return container is not null
                    && !(container.ContainingAssembly is ISourceAssemblySymbol)
                    && IsContainerRegistration(method.Name)
                    && (container.ToDisplayString() == "Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions"
                        || container.ToDisplayString() == "Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions");
            }

            private static bool IsContainerRegistration(string name)
            {
                var rest = name.StartsWith("TryAdd", StringComparison.Ordinal) ? name.Substring(6)
                    : name.StartsWith("Add", StringComparison.Ordinal) ? name.Substring(3)
                    : null;
                if (rest is null)
                {
                    return false;
                }

                if (rest.StartsWith("Keyed", StringComparison.Ordinal))
                {
                    rest = rest.Substring(5);
                }

                return rest == "Singleton" || rest == "Scoped" || rest == "Transient";
            }

            /// <summary>
            /// The client is the <c>this</c> argument of an extension method of the framework's own
            /// <c>System.Net.Http*</c> namespaces (<c>GetFromJsonAsync</c>, ...), which only send requests.
            /// </summary>
            public bool IsHttpExtensionReceiver(IArgumentOperation argument)
            {
                if (argument.Parameter is not { Ordinal: 0 }
                    || argument.Parent is not IInvocationOperation { TargetMethod: { IsExtensionMethod: true } method }
                    || method.ContainingAssembly is ISourceAssemblySymbol)
                {
                    return false;
                }

                var ns = method.ContainingNamespace?.ToDisplayString() ?? string.Empty;
                return ns.Equals("System.Net.Http", StringComparison.Ordinal)
                    || ns.StartsWith("System.Net.Http.", StringComparison.Ordinal);
            }
        }
    }
}
