using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Operability.Cli.Tests
{
    /// <summary>
    /// Reads exported YAML back as a YAML reader would (YamlDotNet; plain scalars typed as the YAML 1.2 core schema and
    /// YAML 1.1's booleans type them, so an unquoted 99.9 or yes is a number or boolean, not a string) and validates
    /// Backstage entities against Backstage's published schemas (Schemas/Backstage, vendored) and name rules.
    /// </summary>
    internal static partial class CatalogDocuments
    {
        private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Kinds = new(LoadSchemas);

        private static readonly Lazy<JsonSchema> OpenSloRequirements = new(() => JsonSchema.FromText(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "OpenSlo", "openslo-v1.required.schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

        /// <summary>Backstage's metadata.name rule (catalog-model KubernetesValidatorFunctions.isValidObjectName).</summary>
        [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
        private static partial Regex BackstageName();

        /// <summary>An RFC 1123 label, as OpenSLO asks of metadata.name.</summary>
        [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
        private static partial Regex Rfc1123Label();

        public static bool IsBackstageName(string name) => name.Length <= 63 && BackstageName().IsMatch(name);

        public static bool IsOpenSloName(string name) => name.Length <= 63 && Rfc1123Label().IsMatch(name);

        /// <summary>Every document of the YAML text, as JSON.</summary>
        public static IReadOnlyList<JsonNode?> Parse(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
        }

        public static IReadOnlyList<JsonNode?> ParseFile(string path) => Parse(File.ReadAllText(path));

        public static JsonNode? ToJson(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    var obj = new JsonObject();
                    foreach (var (key, value) in mapping.Children)
                    {
                        obj.Add(((YamlScalarNode)key).Value!, ToJson(value));
                    }

                    return obj;
                case YamlSequenceNode sequence:
                    return new JsonArray(sequence.Children.Select(ToJson).ToArray());
                case YamlScalarNode scalar:
                    return Scalar(scalar);
                default:
                    throw new InvalidOperationException("Unexpected YAML node " + node.NodeType);
            }
        }

        private static JsonNode? Scalar(YamlScalarNode scalar)
        {
            string value = scalar.Value ?? string.Empty;
            if (scalar.Style != ScalarStyle.Plain)
            {
                return JsonValue.Create(value);
            }

            if (value is "" or "~" || value.Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            string lower = value.ToLowerInvariant();
            if (lower is "true" or "yes" or "on" or "y")
            {
                return JsonValue.Create(true);
            }

            if (lower is "false" or "no" or "off" or "n")
            {
                return JsonValue.Create(false);
            }

            if (Regex.IsMatch(value, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$") && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number))
            {
                return JsonValue.Create(number);
            }

            if (Regex.IsMatch(value, @"^(0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"))
            {
                // A float (or integer) in YAML: which one does not matter here, only that it is not a string.
                return JsonValue.Create(0m);
            }

            return JsonValue.Create(value);
        }

        /// <summary>What an OpenSLO document breaks of the v1 specification's requirements (Schemas/OpenSlo), empty when nothing.</summary>
        public static IReadOnlyList<string> OpenSloErrors(JsonNode? document) => Errors(OpenSloRequirements.Value, document!);

        private static List<string> Errors(JsonSchema schema, JsonNode instance)
        {
            using JsonDocument document = JsonDocument.Parse(instance.ToJsonString());
            EvaluationResults results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
            var errors = new List<string>();
            if (!results.IsValid)
            {
                foreach (EvaluationResults detail in results.Details ?? (IReadOnlyList<EvaluationResults>)Array.Empty<EvaluationResults>())
                {
                    foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
                    {
                        errors.Add(detail.InstanceLocation + ": " + keyword + ": " + message);
                    }
                }

                if (errors.Count == 0)
                {
                    errors.Add("invalid");
                }
            }

            return errors;
        }

        /// <summary>The schema errors of one entity against its kind's schema, empty when it is valid.</summary>
        public static IReadOnlyList<string> BackstageErrors(JsonNode? entity)
        {
            string kind = entity?["kind"]?.GetValue<string>() ?? throw new InvalidOperationException("No kind in " + entity?.ToJsonString());
            if (!Kinds.Value.TryGetValue(kind, out JsonSchema? schema))
            {
                return new[] { "no vendored schema for kind " + kind };
            }

            List<string> errors = Errors(schema, entity!);
            string? name = entity["metadata"]?["name"]?.GetValue<string>();
            if (name is null || !IsBackstageName(name))
            {
                errors.Add("metadata.name '" + name + "' breaks Backstage's name rule");
            }

            return errors;
        }

        private static IReadOnlyDictionary<string, JsonSchema> LoadSchemas()
        {
            string folder = Path.Combine(AppContext.BaseDirectory, "Schemas", "Backstage");
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };

            // One base for all, so the relative ids ("Entity", "common") that Backstage's ajv resolves by name resolve here too.
            var baseUri = new Uri("https://backstage.io/catalog-model/schema/");
            JsonSchema Load(string file) => JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, file)), options, baseUri);
            Load(Path.Combine("shared", "common.schema.json"));
            Load("EntityMeta.schema.json");
            Load("Entity.schema.json");
            return new Dictionary<string, JsonSchema>
            {
                ["Component"] = Load(Path.Combine("kinds", "Component.v1alpha1.schema.json")),
                ["Resource"] = Load(Path.Combine("kinds", "Resource.v1alpha1.schema.json")),
                ["Group"] = Load(Path.Combine("kinds", "Group.v1alpha1.schema.json")),
                ["Domain"] = Load(Path.Combine("kinds", "Domain.v1alpha1.schema.json")),
            };
        }
    }
}
