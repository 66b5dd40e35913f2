using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Operability.Analyzers.FailureDesign
{
    /// <summary>
    /// OPS404: a retrying resilience handler (the standard handler, or <c>AddResilienceHandler</c> with
    /// <c>AddRetry</c>, in the chain or from the client defaults) on a typed or Refit client whose code sends
    /// POST or PATCH, with no <c>DisableForUnsafeHttpMethods()</c>/<c>DisableFor(...)</c> on the retry options, or
    /// whose own <c>ShouldHandle</c> ignores the request's method (<see cref="RetryPredicate"/>; reported at it).
    /// </summary>
    /// <remarks>
    /// Only clients whose code is in the compilation are judged: a typed client's class (its calls of
    /// <c>PostAsync</c>, <c>PatchAsync</c>, <c>PostAsJsonAsync</c>, <c>PatchAsJsonAsync</c>, or any use of
    /// <c>HttpMethod.Post</c>/<c>HttpMethod.Patch</c>, read syntactically; a method that names an idempotency key
    /// header sends safely) or a Refit interface (its <c>[Post]</c>/<c>[Patch]</c> methods). A named client, a client from another assembly, a retry whose
    /// <c>ShouldHandle</c> cannot be read, options configured through a method group or configuration,
    /// and the project's own extension methods on the builder all leave the rule silent.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnsafeRetryAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property set when the code fix can add <c>DisableForUnsafeHttpMethods()</c> to the handler's call.</summary>
        public const string FixableProperty = "StandardHandler";

        private static readonly ImmutableDictionary<string, string?> Fixable = ImmutableDictionary<string, string?>.Empty.Add(FixableProperty, "true");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(RuleDescriptors.RetriesUnsafeMethods);

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
            if (builderType is null || compilation.GetTypeByMetadataName("Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions") is null)
            {
                return;
            }

            var pipeline = new Lazy<ClientDefaultsPipeline>(
                () => ClientDefaultsPipeline.Read(compilation, new HttpClientDefaults(compilation)),
                System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            ClientChain.Register(context, builderType, (blockContext, chain) => Analyze(blockContext, chain, pipeline));
        }

        private static void Analyze(OperationBlockAnalysisContext context, ClientChain chain, Lazy<ClientDefaultsPipeline> pipeline)
        {
            if (chain.IsOperabilityClient)
            {
                return;
            }

            IInvocationOperation? retrying = null;
            var fromDefaults = true;
            foreach (var call in chain.Calls)
            {
                var name = call.TargetMethod.Name;
                if (name == "RemoveAllResilienceHandlers")
                {
                    retrying = null;
                    fromDefaults = false;
                    continue;
                }

                if (ClientChain.IsOwnHelper(call))
                {
                    return;
                }

                switch (Retry(call))
                {
                    case RetryVerdict.Unsafe:
                        retrying = call;
                        fromDefaults = false;
                        break;
                    case RetryVerdict.Safe:
                        retrying = null;
                        fromDefaults = false;
                        break;
                    case RetryVerdict.Unknown:
                        return;
                }
            }

            if (retrying is null && !(fromDefaults && !chain.Escapes && pipeline.Value.RetriesUnsafeMethods && pipeline.Value.HandlerSource is not null))
            {
                return;
            }

            if (UnsafeSender(chain.Registration.TargetMethod) is not { } sender)
            {
                return;
            }

            var source = retrying?.TargetMethod.Name ?? pipeline.Value.HandlerSource!;
            var predicate = retrying is null ? null : IgnoringPredicate(retrying);
            // The fix edits the standard handler's own call: no options, or one lambda to add a statement to.
            var fixable = predicate is null && retrying is { TargetMethod.Name: "AddStandardResilienceHandler" }
                && (retrying.Arguments.Length == 1
                    || (retrying.Arguments.Length == 2 && retrying.Syntax is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } && arguments[0].Expression is LambdaExpressionSyntax));
            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                RuleDescriptors.RetriesUnsafeMethods,
                predicate ?? HttpClientRegistrationAnalyzer.RegistrationLocation(retrying ?? chain.Registration),
                fixable ? Fixable : null,
                source,
                chain.Name,
                sender,
                Advice(retrying is null ? "AddStandardResilienceHandler" : source, predicate is not null)), context.Options));
        }

        /// <summary>
        /// What to change, for the kind of retry found: the standard handler's options (also for client defaults, which
        /// add it in the ServiceDefaults shape), a retry's own options, or its predicate.
        /// </summary>
        internal static string Advice(string source, bool ownPredicate) => ownPredicate
            ? "make that ShouldHandle return false for POST and PATCH (args.Context.GetRequestMessage()?.Method), or call DisableForUnsafeHttpMethods() after setting it"
            : source == "AddStandardResilienceHandler"
                ? "call options.Retry.DisableForUnsafeHttpMethods()"
                : "call DisableForUnsafeHttpMethods() on its HttpRetryStrategyOptions";

        // What one call in the chain does to retries. A 'Configure' on the standard handler's builder is read with it.
        private static RetryVerdict Retry(IInvocationOperation call)
        {
            var name = call.TargetMethod.Name;
            if (name == "Configure" && call.Instance is null && call.Arguments.Length > 0
                && call.Arguments[0].Value.Type?.Name == "IHttpStandardResiliencePipelineBuilder")
            {
                return LambdaVerdict(call, onNothing: RetryVerdict.None);
            }

            switch (name)
            {
                case "AddStandardResilienceHandler":
                    return LambdaVerdict(call, onNothing: RetryVerdict.Unsafe);
                case "AddResilienceHandler":
                    return LambdaVerdict(call, onNothing: RetryVerdict.None);
                default:
                    return RetryVerdict.None;
            }
        }

        // Reads the lambdas passed: DisableFor* or a ShouldHandle that looks at the method make retries safe, one
        // that cannot be read makes them unknowable, one that ignores the method leaves them unsafe;
        // AddRetry makes a custom pipeline retry. A method group or a configuration section cannot be read.
        private static RetryVerdict LambdaVerdict(IInvocationOperation call, RetryVerdict onNothing)
        {
            var retries = onNothing == RetryVerdict.Unsafe;
            foreach (var value in ClientChain.PassedValues(call))
            {
                if (value.ConstantValue.HasValue)
                {
                    continue;
                }

                if (value is not IAnonymousFunctionOperation lambda)
                {
                    return RetryVerdict.Unknown;
                }

                foreach (var operation in lambda.Body.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IInvocationOperation { TargetMethod.Name: "DisableForUnsafeHttpMethods" or "DisableFor" }:
                            return RetryVerdict.Safe;
                        case IPropertyReferenceOperation { Property.Name: "ShouldHandle" } shouldHandle:
                            switch (RetryPredicate.Judge(shouldHandle))
                            {
                                case RetryPredicate.Verdict.IgnoresMethod:
                                    retries = true;
                                    break;
                                case RetryPredicate.Verdict.ChecksMethod:
                                    return RetryVerdict.Safe;
                                case RetryPredicate.Verdict.NotARetry:
                                    break;
                                default:
                                    return RetryVerdict.Unknown;
                            }

                            break;
                        case IInvocationOperation { TargetMethod.Name: "AddRetry" }:
                            retries = true;
                            break;
                        case IInvocationOperation other when HttpClientRegistrationAnalyzer.IsInSource(other.TargetMethod):
                            return RetryVerdict.Unknown;
                    }
                }
            }

            return retries ? RetryVerdict.Unsafe : onNothing;
        }

        // A retry predicate of the project's that ignores the method is what retries the POST: report at it.
        private static Location? IgnoringPredicate(IInvocationOperation retrying)
        {
            foreach (var value in ClientChain.PassedValues(retrying))
            {
                foreach (var operation in value.DescendantsAndSelf())
                {
                    if (operation is IPropertyReferenceOperation { Property.Name: "ShouldHandle" } shouldHandle
                        && RetryPredicate.Judge(shouldHandle) == RetryPredicate.Verdict.IgnoresMethod)
                    {
                        return RetryPredicate.Location(shouldHandle);
                    }
                }
            }

            return null;
        }

        // 'POST (CatalogClient.PlaceOrderAsync)', when the client's code is here and sends POST or PATCH.
        private static string? UnsafeSender(IMethodSymbol registration)
        {
            if (registration.TypeArguments.Length == 0)
            {
                return null;
            }

            var client = registration.TypeArguments[registration.TypeArguments.Length - 1];
            if (client.TypeKind == TypeKind.Interface)
            {
                return RefitSender(client);
            }

            foreach (var reference in client.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                foreach (var node in declaration.DescendantNodes())
                {
                    var verb = node switch
                    {
                        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => SenderVerb(member.Name.Identifier.ValueText),
                        MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "HttpMethod" } } member => MethodVerb(member.Name.Identifier.ValueText),
                        _ => null,
                    };
                    if (verb is not null)
                    {
                        var method = node.FirstAncestorOrSelf<MethodDeclarationSyntax>();
                        if (method is not null && NamesIdempotencyKey(method))
                        {
                            continue;
                        }

                        return method is null ? verb : verb + " (" + client.Name + "." + method.Identifier.ValueText + ")";
                    }
                }
            }

            return null;
        }

        // A method that sends its POST with an idempotency key ('Idempotency-Key', or eShop's 'x-requestid', which its
        // ordering API deduplicates requests by) can be retried: the server sees the same key twice and acts once.
        private static bool NamesIdempotencyKey(MethodDeclarationSyntax method)
        {
            foreach (var node in method.DescendantNodes())
            {
                if (node is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
                {
                    var text = literal.Token.ValueText;
                    if (text.IndexOf("idempotency", StringComparison.OrdinalIgnoreCase) >= 0
                        || string.Equals(text, "x-requestid", StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string? RefitSender(ITypeSymbol api)
        {
            foreach (var member in api.GetMembers())
            {
                foreach (var attribute in member.GetAttributes())
                {
                    var verb = attribute.AttributeClass?.ContainingNamespace?.Name == "Refit" ? RefitVerb(attribute.AttributeClass.Name) : null;
                    if (verb is not null)
                    {
                        return verb + " (" + api.Name + "." + member.Name + ")";
                    }
                }
            }

            return null;
        }

        private static string? SenderVerb(string name) => name switch
        {
            "PostAsync" or "PostAsJsonAsync" => "POST",
            "PatchAsync" or "PatchAsJsonAsync" => "PATCH",
            _ => null,
        };

        private static string? MethodVerb(string name) => name switch
        {
            "Post" => "POST",
            "Patch" => "PATCH",
            _ => null,
        };

        private static string? RefitVerb(string attribute) => attribute switch
        {
            "PostAttribute" => "POST",
            "PatchAttribute" => "PATCH",
            _ => null,
        };

        private enum RetryVerdict
        {
            None,
            Unsafe,
            Safe,
            Unknown,
        }
    }
}
