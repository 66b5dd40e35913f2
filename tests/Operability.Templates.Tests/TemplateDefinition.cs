using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Operability.Templates.Tests
{
    /// <summary>
    /// The operable-service template's template.json, with an evaluator for its symbols: parameters, computed
    /// symbols and the generators it uses (switch, regexMatch, regex, constant). Enough of the template engine
    /// to check every precomputed table against Operability.Manifest without running 'dotnet new'.
    /// </summary>
    internal sealed class TemplateDefinition
    {
        private TemplateDefinition(string directory, JsonElement root)
        {
            ContentDirectory = directory;
            Root = root;
            Symbols = root.GetProperty("symbols").EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        }

        /// <summary>The template as the repository has it (copied beside the test assembly).</summary>
        public static TemplateDefinition OperableService { get; } = Load(Path.Combine(AppContext.BaseDirectory, "content", "operable-service"));

        /// <summary>The folder that holds .template.config and the scaffold's files.</summary>
        public string ContentDirectory { get; }

        public JsonElement Root { get; }

        public IReadOnlyDictionary<string, JsonElement> Symbols { get; }

        public static TemplateDefinition Load(string contentDirectory)
        {
            var text = File.ReadAllText(Path.Combine(contentDirectory, ".template.config", "template.json"));
            using var document = JsonDocument.Parse(text);
            return new TemplateDefinition(contentDirectory, document.RootElement.Clone());
        }

        /// <summary>The choices of a choice parameter, in order.</summary>
        public IReadOnlyList<(string Choice, string Description)> Choices(string symbol) =>
            Symbols[symbol].GetProperty("choices").EnumerateArray()
                .Select(c => (c.GetProperty("choice").GetString()!, c.TryGetProperty("description", out var d) ? d.GetString() ?? "" : ""))
                .ToList();

        /// <summary>The (condition, value) cases of a switch generator.</summary>
        public IReadOnlyList<(string Condition, string Value)> SwitchCases(string symbol) =>
            Symbols[symbol].GetProperty("parameters").GetProperty("cases").EnumerateArray()
                .Select(c => (c.GetProperty("condition").GetString()!, c.GetProperty("value").GetString()!))
                .ToList();

        /// <summary>Instantiates the symbols for the given parameters (symbol name → value, as on the command line).</summary>
        public TemplateInstance Instantiate(IReadOnlyDictionary<string, string> parameters) => new(this, parameters);
    }

    /// <summary>The symbol values of one instantiation; each evaluated once, on first use.</summary>
    internal sealed class TemplateInstance
    {
        private readonly TemplateDefinition _definition;
        private readonly IReadOnlyDictionary<string, string> _parameters;
        private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
        private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);

        public TemplateInstance(TemplateDefinition definition, IReadOnlyDictionary<string, string> parameters)
        {
            _definition = definition;
            _parameters = parameters;
            foreach (var (name, value) in parameters)
            {
                if (name != "name" && !definition.Symbols.ContainsKey(name))
                {
                    throw new ArgumentException($"The template has no parameter '{name}'.", nameof(parameters));
                }

                if (definition.Symbols.TryGetValue(name, out var symbol) && Text(symbol, "datatype") == "choice"
                    && !definition.Choices(name).Any(c => c.Choice == value))
                {
                    throw new ArgumentException($"'{value}' is not a valid value for {name}.", nameof(parameters));
                }
            }
        }

        /// <summary>A symbol's value as text ("" when it has none).</summary>
        public string this[string symbol] => Value(symbol) switch
        {
            null => string.Empty,
            bool b => b ? "true" : "false",
            var v => (string)v,
        };

        /// <summary>A boolean symbol's value.</summary>
        public bool Is(string symbol) => Value(symbol) switch
        {
            bool b => b,
            string s when bool.TryParse(s, out var b) => b,
            null => false,
            var v => throw new InvalidOperationException($"Symbol '{symbol}' is '{v}', not a boolean."),
        };

        public object? Value(string symbol)
        {
            if (_values.TryGetValue(symbol, out var known))
            {
                return known;
            }

            if (!_evaluating.Add(symbol))
            {
                throw new InvalidOperationException($"Symbol '{symbol}' depends on itself.");
            }

            var value = Evaluate(symbol);
            _evaluating.Remove(symbol);
            _values[symbol] = value;
            return value;
        }

        private object? Evaluate(string name)
        {
            if (name == "name")
            {
                return _parameters.TryGetValue("name", out var given) ? given : null;
            }

            if (!_definition.Symbols.TryGetValue(name, out var symbol))
            {
                throw new InvalidOperationException($"A condition reads '{name}', which is not a symbol of the template.");
            }

            switch (Text(symbol, "type"))
            {
                case "parameter":
                    if (_parameters.TryGetValue(name, out var value))
                    {
                        return Text(symbol, "datatype") == "bool" ? bool.Parse(value) : value;
                    }

                    var defaultValue = Text(symbol, "defaultValue");
                    return Text(symbol, "datatype") == "bool" ? bool.Parse(defaultValue ?? "false") : defaultValue;

                case "computed":
                    return ConditionExpression.Evaluate(Text(symbol, "value")!, Value);

                case "derived":
                    return null;

                case "generated":
                    return Generate(name, symbol);

                default:
                    throw new NotSupportedException($"Symbol '{name}' has type '{Text(symbol, "type")}'.");
            }
        }

        private object? Generate(string name, JsonElement symbol)
        {
            var parameters = symbol.GetProperty("parameters");
            switch (Text(symbol, "generator"))
            {
                case "switch":
                    foreach (var @case in parameters.GetProperty("cases").EnumerateArray())
                    {
                        if (ConditionExpression.Evaluate(@case.GetProperty("condition").GetString()!, Value))
                        {
                            return @case.GetProperty("value").GetString();
                        }
                    }

                    return null;

                case "regexMatch":
                    var source = Value(parameters.GetProperty("source").GetString()!) as string;
                    return source is not null && Regex.IsMatch(source, parameters.GetProperty("pattern").GetString()!);

                case "regex":
                    var text = Value(parameters.GetProperty("source").GetString()!) as string ?? string.Empty;
                    foreach (var step in parameters.GetProperty("steps").EnumerateArray())
                    {
                        text = Regex.Replace(text, step.GetProperty("regex").GetString()!, step.GetProperty("replacement").GetString()!);
                    }

                    return text;

                case "constant":
                    return parameters.GetProperty("value").GetString();

                default:
                    throw new NotSupportedException($"Symbol '{name}' uses generator '{Text(symbol, "generator")}'.");
            }
        }

        private static string? Text(JsonElement symbol, string property) =>
            symbol.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
    }
}
