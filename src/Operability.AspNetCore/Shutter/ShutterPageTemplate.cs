using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Operability.AspNetCore.Shutter;

/// <summary>
/// A Razor-free page template: <c>{{Name}}</c> is replaced by the HTML-encoded value; <c>{{#Name}}…{{/Name}}</c> is
/// kept only when the value is known. Names: ServiceName, Message, ExpectedBack, ExpectedBackIso, HelpUrl,
/// RetryAfterSeconds, Language. An unknown name or an unclosed section is an error at start, not a blank on the page.
/// </summary>
internal sealed partial class ShutterPageTemplate
{
    internal static readonly IReadOnlyList<string> Names = Array.AsReadOnly(new[] { "ServiceName", "Message", "ExpectedBack", "ExpectedBackIso", "HelpUrl", "RetryAfterSeconds", "Language" });

    private readonly List<Part> _parts;

    private ShutterPageTemplate(List<Part> parts, string source)
    {
        _parts = parts;
        Source = source;
    }

    /// <summary>Where the template came from: "built-in" or the file's path.</summary>
    public string Source { get; }

    public static ShutterPageTemplate BuiltIn()
    {
        using Stream stream = typeof(ShutterPageTemplate).Assembly.GetManifestResourceStream("Operability.AspNetCore.Shutter.shutter.html")
            ?? throw new InvalidOperationException("The built-in shutter page is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), "built-in", out IReadOnlyList<string> problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    /// <summary>Parses a template; null with problems (each naming <paramref name="source"/>) when it is malformed.</summary>
    public static ShutterPageTemplate? Parse(string text, string source, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var parts = new List<Part>();
        string? openSection = null;
        int last = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            parts.Add(Part.Literal(text.Substring(last, match.Index - last)));
            last = match.Index + match.Length;
            string marker = match.Groups["marker"].Value;
            string name = match.Groups["name"].Value;
            string? known = Known(name);
            if (known is null)
            {
                found.Add(source + ": unknown placeholder '" + match.Value + "' at offset " + match.Index + "; known: " + string.Join(", ", Names) + ".");
                continue;
            }

            switch (marker)
            {
                case "#":
                    if (openSection is not null)
                    {
                        found.Add(source + ": section '{{#" + known + "}}' opens inside '{{#" + openSection + "}}'; sections cannot nest.");
                    }

                    openSection = known;
                    parts.Add(Part.SectionStart(known));
                    break;
                case "/":
                    if (!string.Equals(openSection, known, StringComparison.Ordinal))
                    {
                        found.Add(source + ": '{{/" + known + "}}' closes no open '{{#" + known + "}}'.");
                    }

                    openSection = null;
                    parts.Add(Part.SectionEnd(known));
                    break;
                default:
                    parts.Add(Part.Value(known));
                    break;
            }
        }

        parts.Add(Part.Literal(text.Substring(last)));
        if (openSection is not null)
        {
            found.Add(source + ": section '{{#" + openSection + "}}' is never closed with '{{/" + openSection + "}}'.");
        }

        problems = found;
        return found.Count == 0 ? new ShutterPageTemplate(parts, source) : null;
    }

    /// <summary>Renders with every value HTML-encoded; a section whose value is null or empty is left out.</summary>
    public string Render(IReadOnlyDictionary<string, string?> values)
    {
        var html = new StringBuilder(4096);
        string? skipping = null;
        foreach (Part part in _parts)
        {
            if (skipping is not null)
            {
                if (part.Kind == PartKind.SectionEnd && part.Text == skipping)
                {
                    skipping = null;
                }

                continue;
            }

            switch (part.Kind)
            {
                case PartKind.Literal:
                    html.Append(part.Text);
                    break;
                case PartKind.Value:
                    values.TryGetValue(part.Text, out string? value);
                    html.Append(HtmlEncoder.Default.Encode(value ?? string.Empty));
                    break;
                case PartKind.SectionStart:
                    if (!values.TryGetValue(part.Text, out string? condition) || string.IsNullOrEmpty(condition))
                    {
                        skipping = part.Text;
                    }

                    break;
            }
        }

        return html.ToString();
    }

    private static string? Known(string name)
    {
        foreach (string known in Names)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\{\{\s*(?<marker>[#/]?)\s*(?<name>[A-Za-z][A-Za-z0-9]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private enum PartKind
    {
        Literal,
        Value,
        SectionStart,
        SectionEnd,
    }

    private readonly record struct Part(PartKind Kind, string Text)
    {
        public static Part Literal(string text) => new(PartKind.Literal, text);

        public static Part Value(string name) => new(PartKind.Value, name);

        public static Part SectionStart(string name) => new(PartKind.SectionStart, name);

        public static Part SectionEnd(string name) => new(PartKind.SectionEnd, name);
    }
}
