using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// OPS401: a web service maps no health endpoint. OPS402: a web service maps no shutter.
    /// Reported once per compilation, at the first <c>WebApplicationBuilder.Build()</c> call (in path order),
    /// which every minimal host has exactly once, in top-level statements or <c>Main</c>.
    /// </summary>
    /// <remarks>
    /// Every call in the compilation is seen, so a health endpoint mapped in the project's own helper counts.
    /// A helper from another assembly cannot be read: when the service calls a method of an assembly that
    /// itself references ASP.NET Core's health checks (or Operability's runtime), the endpoint may be mapped
    /// there, and the rule stays silent. Without a visible <c>Build()</c> (a <c>Startup</c> class, a host
    /// built elsewhere) there is nowhere to report and nothing is reported.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HealthEndpointAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Option: extra method names that map health endpoints (OPS401).</summary>
        public const string HealthMethodsOption = "operability.OPS401.health_endpoint_methods";

        /// <summary>Option: extra method names that map a shutter (OPS402).</summary>
        public const string ShutterMethodsOption = "operability.OPS402.shutter_methods";

        private const string HealthChecksAssembly = "Microsoft.AspNetCore.Diagnostics.HealthChecks";
        private const string OperabilityAssembly = "Operability.AspNetCore";

        private static readonly ImmutableArray<string> KnownHealthMethods = ImmutableArray.Create(
            "MapHealthChecks", "UseHealthChecks", "MapDefaultEndpoints", "MapOperability", "MapOperabilityEndpoints");

        private static readonly ImmutableArray<string> KnownShutterMethods = ImmutableArray.Create("MapOperability", "MapOperabilityEndpoints");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.NoHealthEndpoint, RuleDescriptors.NoShutter);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var compilation = context.Compilation;
            var builderType = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.WebApplicationBuilder");
            if (builderType is null || !ProjectFacts.From(context.Options.AnalyzerConfigOptionsProvider.GlobalOptions, compilation).IsWebService)
            {
                return;
            }

            var state = new State(builderType, compilation.Assembly);
            context.RegisterOperationAction(state.OnInvocation, OperationKind.Invocation);
            context.RegisterCompilationEndAction(state.OnCompilationEnd);
        }

        private sealed class State
        {
            private readonly INamedTypeSymbol _builderType;
            private readonly IAssemblySymbol _service;
            private readonly ConcurrentBag<Location> _builds = new ConcurrentBag<Location>();
            private readonly ConcurrentDictionary<string, byte> _invoked = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            private readonly ConcurrentDictionary<IAssemblySymbol, AssemblyReach> _reach = new ConcurrentDictionary<IAssemblySymbol, AssemblyReach>(SymbolEqualityComparer.Default);
            private int _helperMayMapHealth;
            private int _helperMayMapShutter;

            public State(INamedTypeSymbol builderType, IAssemblySymbol service)
            {
                _builderType = builderType;
                _service = service;
            }

            public void OnInvocation(OperationAnalysisContext context)
            {
                var method = ((IInvocationOperation)context.Operation).TargetMethod;
                _invoked.TryAdd(method.Name, 0);
                if (method.Name == "Build" && method.Parameters.Length == 0 && SymbolEqualityComparer.Default.Equals(method.ContainingType, _builderType))
                {
                    _builds.Add(context.Operation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } syntax
                        ? Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(member.Name.SpanStart, syntax.Span.End))
                        : context.Operation.Syntax.GetLocation());
                }

                if (method.ContainingAssembly is { } assembly && !SymbolEqualityComparer.Default.Equals(assembly, _service) && !IsFramework(assembly.Name))
                {
                    var reach = _reach.GetOrAdd(assembly, Reach);
                    if (reach.HealthChecks)
                    {
                        System.Threading.Interlocked.Exchange(ref _helperMayMapHealth, 1);
                    }

                    if (reach.Operability)
                    {
                        System.Threading.Interlocked.Exchange(ref _helperMayMapShutter, 1);
                    }
                }
            }

            public void OnCompilationEnd(CompilationAnalysisContext context)
            {
                var anchor = _builds
                    .OrderBy(l => l.SourceTree?.FilePath, StringComparer.Ordinal)
                    .ThenBy(l => l.SourceSpan.Start)
                    .FirstOrDefault();
                if (anchor is null)
                {
                    return;
                }

                var provider = context.Options.AnalyzerConfigOptionsProvider;
                var options = anchor.SourceTree is { } tree ? provider.GetOptions(tree) : provider.GlobalOptions;
                var service = context.Compilation.AssemblyName ?? "this service";
                if (_helperMayMapHealth == 0 && !AnyInvoked(KnownHealthMethods, options, provider.GlobalOptions, HealthMethodsOption))
                {
                    context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(RuleDescriptors.NoHealthEndpoint, anchor, service), context.Options));
                }

                if (_helperMayMapShutter == 0 && !AnyInvoked(KnownShutterMethods, options, provider.GlobalOptions, ShutterMethodsOption))
                {
                    context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(RuleDescriptors.NoShutter, anchor, service), context.Options));
                }
            }

            private bool AnyInvoked(ImmutableArray<string> known, AnalyzerConfigOptions options, AnalyzerConfigOptions global, string key)
            {
                if (known.Any(_invoked.ContainsKey))
                {
                    return true;
                }

                if (options.TryGetValue(key, out var value) || global.TryGetValue(key, out value))
                {
                    foreach (var name in value.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (_invoked.ContainsKey(name.Trim()))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            // An assembly compiled against the health checks (or Operability's runtime) may map them for the service.
            private static AssemblyReach Reach(IAssemblySymbol assembly)
            {
                var health = false;
                var operability = false;
                foreach (var module in assembly.Modules)
                {
                    foreach (var reference in module.ReferencedAssemblies)
                    {
                        health |= reference.Name == HealthChecksAssembly || reference.Name == OperabilityAssembly;
                        operability |= reference.Name == OperabilityAssembly;
                    }
                }

                return new AssemblyReach(health, operability);
            }

            // The platform's own assemblies map nothing by themselves; Operability's runtime is known by name.
            private static bool IsFramework(string name) =>
                name.StartsWith("System", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.", StringComparison.Ordinal)
                || name == "mscorlib"
                || name == "netstandard"
                || name == OperabilityAssembly;
        }

        private readonly struct AssemblyReach
        {
            public AssemblyReach(bool healthChecks, bool operability)
            {
                HealthChecks = healthChecks;
                Operability = operability;
            }

            public bool HealthChecks { get; }

            public bool Operability { get; }
        }
    }
}
