using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>
    /// The organisation policy one compilation sees: none (the playbook's values apply), a usable policy, or a
    /// broken one — malformed, contradictory, or named by <c>OperabilityOrganisationPolicy</c> but missing. A broken
    /// policy is never replaced by the playbook's values: the rules that read the policy stay silent instead.
    /// </summary>
    internal sealed class OrganisationPolicyInput
    {
        /// <summary>The compiler-visible property the targets set when the policy named by the build does not exist.</summary>
        public const string NotFoundProperty = "build_property.OperabilityOrganisationPolicyNotFound";

        // Parsed once per distinct text: the host keeps the value for as long as it keeps the SourceText, so every
        // compilation (and every project) that sees the same policy text shares one parse. Immutable, not state.
        public static readonly SourceTextValueProvider<OrganisationPolicyParseResult> Parser =
            new SourceTextValueProvider<OrganisationPolicyParseResult>(text => OrganisationPolicyParser.Parse(text.ToString()));

        private OrganisationPolicyInput(AdditionalText? file, SourceText? text, OrganisationPolicyParseResult? result, string? notFoundPath, DateTimeOffset now)
        {
            File = file;
            Text = text;
            Result = result;
            NotFoundPath = notFoundPath;
            Now = now;
        }

        /// <summary>The policy file handed to the analyzers; null when there is none.</summary>
        public AdditionalText? File { get; }

        /// <summary>The policy file's text; null when there is no file or it cannot be read.</summary>
        public SourceText? Text { get; }

        /// <summary>The parse of <see cref="Text"/>; null when there is no text.</summary>
        public OrganisationPolicyParseResult? Result { get; }

        /// <summary>The path the build named for the policy, when no file is there.</summary>
        public string? NotFoundPath { get; }

        /// <summary>The instant the compilation started, read once so that every rule of the compilation agrees.</summary>
        public DateTimeOffset Now { get; }

        /// <summary>True when a policy was named or found but cannot be used.</summary>
        public bool IsBroken => NotFoundPath is not null || (Result is not null && !Result.IsValid) || (File is not null && Text is null);

        /// <summary>The organisation's policy; null with no policy (the playbook's values) and with a broken one.</summary>
        public OrganisationPolicy? Policy => IsBroken ? null : Result?.Policy;

        /// <summary>The policy the manifest is read against: the organisation's, or the playbook's when there is none.</summary>
        public OrganisationPolicy Effective => Policy ?? OrganisationPolicy.Playbook;

        /// <summary>
        /// Reads the policy the build handed over. <paramref name="parse"/> is the compilation's cached
        /// <see cref="Parser"/> (<c>context.TryGetValue</c>), so the policy is parsed once per text.
        /// </summary>
        public static OrganisationPolicyInput Read(AnalyzerOptions options, OperabilityFiles files, Func<SourceText, OrganisationPolicyParseResult> parse, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var file = files.Policy;
            if (file is null)
            {
                options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(NotFoundProperty, out var notFound);
                return new OrganisationPolicyInput(null, null, null, string.IsNullOrWhiteSpace(notFound) ? null : notFound!.Trim(), now);
            }

            var text = file.GetText(cancellationToken);
            if (text is null)
            {
                return new OrganisationPolicyInput(file, null, null, null, now);
            }

            return new OrganisationPolicyInput(file, text, parse(text), null, now);
        }
    }
}
