using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Operability.Manifest;
using Operability.Manifest.Json;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS307–OPS312: the organisation policy's own problems (in the policy file), and a manifest checked against the
    /// policy — owner a listed team, a product domain for a domain schedule, declared on-call levels against the
    /// target, the low-targets warning sign. Called by <see cref="ServiceManifestAnalyzer"/>, which parses both files.
    /// </summary>
    internal static class OrganisationPolicyRules
    {
        /// <summary>On OPS310: the on-call word the target calls for (what a fix would write).</summary>
        public const string ExpectedOnCallProperty = "ExpectedOnCall";

        private const int ListedIds = 5;

        /// <summary>OPS307 for each problem of the policy (at its line and column), then OPS312 when its review date has passed.</summary>
        public static void AnalyzePolicyFile(AdditionalFileAnalysisContext context, OrganisationPolicyInput input)
        {
            if (input.Result is null || input.Text is null)
            {
                return;
            }

            var locations = new ManifestLocations(context.AdditionalFile, input.Text);
            foreach (var diagnostic in input.Result.Diagnostics)
            {
                // A rota under three people is the organisation's concern, not this service's: the policy stays usable.
                if (diagnostic.Kind == ManifestDiagnosticKind.PolicyWarning)
                {
                    continue;
                }

                Report(context, RuleDescriptors.MalformedPolicy, locations.At(diagnostic.Position), diagnostic.Message);
            }

            var policy = input.Policy;
            if (policy?.BandsReviewDate is { } review && policy.IsReviewOverdue(input.Now))
            {
                var root = JsonReader.Read(input.Text.ToString()).Root as JsonObject;
                var at = root?.Find("bandsReviewDate")?.Value.Position ?? new SourcePosition(1, 1);
                Report(context, RuleDescriptors.PolicyReviewOverdue, locations.At(at), review.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        /// <summary>OPS307 for a policy the build named that does not exist; OPS308–OPS311 for the manifest against a usable policy.</summary>
        public static void AnalyzeManifest(AdditionalFileAnalysisContext context, OrganisationPolicyInput input, ServiceManifest manifest, ManifestLocations locations, string manifestText)
        {
            if (input.NotFoundPath is not null)
            {
                Report(context, RuleDescriptors.MalformedPolicy, Location.None, "the file '" + input.NotFoundPath + "' named by OperabilityOrganisationPolicy does not exist");
                return;
            }

            if (input.File is not null && input.Text is null)
            {
                Report(context, RuleDescriptors.MalformedPolicy, Location.None, "the file '" + input.File.Path + "' could not be read");
                return;
            }

            if (input.IsBroken)
            {
                return;
            }

            var organisation = input.Policy;
            var policy = input.Effective;
            var root = JsonReader.Read(manifestText).Root as JsonObject;
            if (organisation is not null)
            {
                CheckOwner(context, organisation, manifest, locations);
                CheckProductDomain(context, organisation, manifest, locations, root);
            }

            if (manifest.AvailabilityTarget is not decimal target)
            {
                return;
            }

            var onCall = root?.Find("onCall")?.Value as JsonObject;
            var (workingHours, outOfHours) = policy.OnCallFor(target);
            var table = organisation is null ? "default" : "organisation's";
            CheckOnCall(context, onCall, "workingHours", manifest.WorkingHoursOnCall, workingHours, target, table, locations);
            CheckOnCall(context, onCall, "outOfHours", manifest.OutOfHoursOnCall, outOfHours, target, table, locations);

            if (manifest.DeploymentFrequency is { } deployment && deployment.PerWeek > 0m)
            {
                var decision = OperatingModelSelector.Select(deployment, target, manifest.Foundational);
                if (decision.WarningSignReason is { } reason)
                {
                    Report(context, RuleDescriptors.LowTargetsWarningSign, locations.At(manifest.AvailabilityTargetPosition),
                        "Availability target " + Number(target) + " with deployments " + deployment + ": " + reason);
                }
            }
        }

        private static void CheckOwner(AdditionalFileAnalysisContext context, OrganisationPolicy policy, ServiceManifest manifest, ManifestLocations locations)
        {
            if (policy.Teams.Count == 0 || manifest.Owner is null || policy.FindTeam(manifest.Owner) is not null)
            {
                return;
            }

            var ids = new List<string>();
            foreach (var team in policy.Teams)
            {
                ids.Add(team.Id);
            }

            Report(context, RuleDescriptors.OwnerNotAPolicyTeam, locations.At(manifest.OwnerPosition), manifest.Owner, List(ids));
        }

        private static void CheckProductDomain(AdditionalFileAnalysisContext context, OrganisationPolicy policy, ServiceManifest manifest, ManifestLocations locations, JsonObject? root)
        {
            if (manifest.OutOfHoursOnCall != OnCallLevel.Domain)
            {
                return;
            }

            var ids = new List<string>();
            foreach (var domain in policy.ProductDomains)
            {
                ids.Add(domain.Id);
            }

            var known = ids.Count == 0 ? "the policy lists none yet" : "the policy lists " + List(ids);
            var declared = root?.Find("productDomain")?.Value;
            if (string.IsNullOrWhiteSpace(manifest.ProductDomain))
            {
                // At the declared out-of-hours level when there is one, else at the target that calls for it.
                var onCall = root?.Find("onCall")?.Value as JsonObject;
                var at = onCall?.Find("outOfHours")?.Value.Position ?? manifest.AvailabilityTargetPosition;
                if (at.Line == 0)
                {
                    at = root?.Position ?? new SourcePosition(1, 1);
                }

                Report(context, RuleDescriptors.ProductDomainMissingOrUnknown, locations.At(at),
                    "Out-of-hours on-call is \"domain\", a schedule shared by the teams of one product domain, but the manifest names no 'productDomain'; name the domain (" + known + ")");
                return;
            }

            if (ids.Count > 0 && policy.FindProductDomain(manifest.ProductDomain!) is null && declared is not null)
            {
                Report(context, RuleDescriptors.ProductDomainMissingOrUnknown, locations.At(declared.Position),
                    "Product domain '" + manifest.ProductDomain + "' is not one the organisation policy lists, so no domain schedule covers this service out of hours; name a listed domain (" + List(ids) + ") or add it to the policy");
            }
        }

        private static void CheckOnCall(AdditionalFileAnalysisContext context, JsonObject? onCall, string period, OnCallLevel? declared, OnCallLevel expected, decimal target, string table, ManifestLocations locations)
        {
            var value = onCall?.Find(period)?.Value;
            if (value is null || declared is not OnCallLevel level || level == expected)
            {
                return;
            }

            var word = Word(expected);
            var message = "Property 'onCall." + period + "' is \"" + Word(level) + "\" but a " + Number(target) + "% target calls for \"" + word + "\" with the " + table + " on-call table: "
                + (level > expected
                    ? "more cover than the target needs is a cost (standby for a schedule the target does not call for); declare \"" + word + "\", or raise the target if the cover is needed"
                    : "less cover than the target needs is a risk (callouts wait while the error budget burns); declare \"" + word + "\", or lower the target if the exposure allows it");
            var properties = ImmutableDictionary<string, string?>.Empty.Add(ExpectedOnCallProperty, word);
            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(RuleDescriptors.OnCallDiffersFromTarget, locations.At(value.Position), properties, message), context.Options));
        }

        private static void Report(AdditionalFileAnalysisContext context, DiagnosticDescriptor descriptor, Location location, params object[] arguments) =>
            context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(descriptor, location, arguments), context.Options));

        private static string Word(OnCallLevel level) => ManifestBuilder.OnCallWords[(int)level];

        private static string Number(decimal value) => ManifestBuilder.Number(value);

        // The first few ids, so a policy of two hundred teams does not make a two-hundred-name message.
        private static string List(List<string> ids) =>
            ids.Count <= ListedIds ? string.Join(", ", ids) : string.Join(", ", ids.GetRange(0, ListedIds)) + ", and " + (ids.Count - ListedIds).ToString(CultureInfo.InvariantCulture) + " more";
    }
}
