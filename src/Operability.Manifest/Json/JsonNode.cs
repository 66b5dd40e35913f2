using System.Collections.Generic;

namespace Operability.Manifest.Json
{
    /// <summary>The kind of a JSON value.</summary>
    internal enum JsonKind
    {
        Object,
        Array,
        String,
        Number,
        True,
        False,
        Null,
    }

    /// <summary>A JSON value with the position of its first character.</summary>
    internal abstract class JsonNode
    {
        protected JsonNode(SourcePosition position) => Position = position;

        public SourcePosition Position { get; }

        public abstract JsonKind Kind { get; }

        /// <summary>"an object", "a string"…: for messages that say what was found.</summary>
        public string KindDescription => Kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.True => "a boolean (true)",
            JsonKind.False => "a boolean (false)",
            _ => "null",
        };
    }

    internal sealed class JsonObject : JsonNode
    {
        private readonly List<JsonProperty> _properties = new List<JsonProperty>();

        public JsonObject(SourcePosition position)
            : base(position)
        {
        }

        public override JsonKind Kind => JsonKind.Object;

        /// <summary>Every property in document order, duplicates included.</summary>
        public IReadOnlyList<JsonProperty> Properties => _properties;

        internal void Add(JsonProperty property) => _properties.Add(property);

        /// <summary>The first property with this exact name, or null.</summary>
        public JsonProperty? Find(string name)
        {
            foreach (JsonProperty property in _properties)
            {
                if (property.Name == name)
                {
                    return property;
                }
            }

            return null;
        }
    }

    internal sealed class JsonProperty
    {
        public JsonProperty(string name, SourcePosition namePosition, JsonNode value)
        {
            Name = name;
            NamePosition = namePosition;
            Value = value;
        }

        public string Name { get; }

        public SourcePosition NamePosition { get; }

        public JsonNode Value { get; }
    }

    internal sealed class JsonArray : JsonNode
    {
        private readonly List<JsonNode> _items = new List<JsonNode>();

        public JsonArray(SourcePosition position)
            : base(position)
        {
        }

        public override JsonKind Kind => JsonKind.Array;

        public IReadOnlyList<JsonNode> Items => _items;

        internal void Add(JsonNode item) => _items.Add(item);
    }

    internal sealed class JsonString : JsonNode
    {
        public JsonString(SourcePosition position, string value)
            : base(position) => Value = value;

        public override JsonKind Kind => JsonKind.String;

        public string Value { get; }
    }

    internal sealed class JsonNumber : JsonNode
    {
        public JsonNumber(SourcePosition position, string rawText, decimal? decimalValue, double doubleValue)
            : base(position)
        {
            RawText = rawText;
            DecimalValue = decimalValue;
            DoubleValue = doubleValue;
        }

        public override JsonKind Kind => JsonKind.Number;

        /// <summary>The number exactly as written.</summary>
        public string RawText { get; }

        /// <summary>The value as a decimal, or null when it does not fit one (e.g. 1e300).</summary>
        public decimal? DecimalValue { get; }

        /// <summary>The value as a double (may be infinite when the text overflows a double).</summary>
        public double DoubleValue { get; }
    }

    /// <summary>true, false or null.</summary>
    internal sealed class JsonLiteral : JsonNode
    {
        private readonly JsonKind _kind;

        public JsonLiteral(SourcePosition position, JsonKind kind)
            : base(position) => _kind = kind;

        public override JsonKind Kind => _kind;
    }

    /// <summary>A syntax error: the reader stops at the first one.</summary>
    internal sealed class JsonSyntaxError
    {
        public JsonSyntaxError(string message, SourcePosition position)
        {
            Message = message;
            Position = position;
        }

        public string Message { get; }

        public SourcePosition Position { get; }
    }

    /// <summary>A property name that appears a second time in one object. Not fatal: the first value is kept.</summary>
    internal sealed class JsonDuplicateProperty
    {
        public JsonDuplicateProperty(string path, string name, SourcePosition position, SourcePosition firstPosition)
        {
            Path = path;
            Name = name;
            Position = position;
            FirstPosition = firstPosition;
        }

        /// <summary>Path of the duplicated property, e.g. <c>availability.target</c>.</summary>
        public string Path { get; }

        public string Name { get; }

        /// <summary>Where the second occurrence's name starts.</summary>
        public SourcePosition Position { get; }

        public SourcePosition FirstPosition { get; }
    }

    internal sealed class JsonReadResult
    {
        public JsonReadResult(JsonNode? root, JsonSyntaxError? error, IReadOnlyList<JsonDuplicateProperty> duplicates)
        {
            Root = root;
            Error = error;
            Duplicates = duplicates;
        }

        /// <summary>The document's value; null exactly when <see cref="Error"/> is set.</summary>
        public JsonNode? Root { get; }

        public JsonSyntaxError? Error { get; }

        public IReadOnlyList<JsonDuplicateProperty> Duplicates { get; }
    }

    /// <summary>
    /// Where a value sits in the document, as a parent pointer and one segment (a property name or an array index).
    /// The reader hands one to every value it descends into and materialises the text only when a diagnostic needs
    /// it: building each child's path string from its parent's cost names × elements (a long property name over a
    /// large array allocated hundreds of megabytes).
    /// </summary>
    internal sealed class JsonPathSegment
    {
        private readonly JsonPathSegment? _parent;
        private readonly string? _name;
        private readonly int _index;

        private JsonPathSegment(JsonPathSegment? parent, string? name, int index)
        {
            _parent = parent;
            _name = name;
            _index = index;
        }

        /// <summary>The document's root value: the empty path.</summary>
        public static JsonPathSegment Root { get; } = new JsonPathSegment(null, null, -1);

        public JsonPathSegment Property(string name) => new JsonPathSegment(this, name, -1);

        public JsonPathSegment Element(int index) => new JsonPathSegment(this, null, index);

        /// <summary>The path as diagnostics show it: <c>databases[1].name</c>.</summary>
        public override string ToString()
        {
            if (_parent == null)
            {
                return string.Empty;
            }

            var segments = new List<JsonPathSegment>();
            for (JsonPathSegment? segment = this; segment!._parent != null; segment = segment._parent)
            {
                segments.Add(segment);
            }

            var builder = new System.Text.StringBuilder();
            for (int i = segments.Count - 1; i >= 0; i--)
            {
                JsonPathSegment segment = segments[i];
                if (segment._name != null)
                {
                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append(segment._name);
                }
                else
                {
                    builder.Append('[').Append(segment._index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                }
            }

            return builder.ToString();
        }
    }

    /// <summary>Builds the element paths the manifest builder uses in diagnostics, under short fixed names: <c>databases[1]</c>.</summary>
    internal static class JsonPath
    {
        public static string Element(string parent, int index) =>
            parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
    }
}
