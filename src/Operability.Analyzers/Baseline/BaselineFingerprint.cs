using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Operability.Analyzers.Baseline
{
    /// <summary>
    /// What identifies one violation in a baseline without line numbers, so that edits elsewhere in a file do not
    /// break the entry: the rule, the file relative to the project, the containing member as declared, the flagged
    /// text with its whitespace collapsed, and which of the equal findings in that member it is (0 for the first).
    /// </summary>
    /// <remarks>
    /// Compiled into the analyzers (the suppressor computes it from the diagnostic) and into the command-line tool
    /// (the writer computes it from a SARIF result's region over the same file), so both agree by construction.
    /// The member is taken from syntax only, because the writer has no compilation.
    /// </remarks>
    internal sealed class BaselineFingerprint : IEquatable<BaselineFingerprint>
    {
        /// <summary>The member text used for top-level statements.</summary>
        public const string TopLevelStatements = "<top-level statements>";

        public BaselineFingerprint(string rule, string file, string member, string expression, int occurrence)
        {
            Rule = rule;
            File = file;
            Member = member;
            Expression = expression;
            Occurrence = occurrence;
        }

        public string Rule { get; }

        /// <summary>Relative to the project folder with forward slashes; empty for a finding with no location.</summary>
        public string File { get; }

        /// <summary>The containing member, e.g. <c>Shop.Orders.OrderClient.Send(string, CancellationToken)</c>; empty outside C# code.</summary>
        public string Member { get; }

        /// <summary>The flagged text, whitespace runs collapsed to one space.</summary>
        public string Expression { get; }

        public int Occurrence { get; }

        public BaselineFingerprint WithOccurrence(int occurrence) => new BaselineFingerprint(Rule, File, Member, Expression, occurrence);

        public bool Equals(BaselineFingerprint? other) =>
            other is not null
            && string.Equals(Rule, other.Rule, StringComparison.OrdinalIgnoreCase)
            && string.Equals(File, other.File, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Member, other.Member, StringComparison.Ordinal)
            && string.Equals(Expression, other.Expression, StringComparison.Ordinal)
            && Occurrence == other.Occurrence;

        public override bool Equals(object? obj) => Equals(obj as BaselineFingerprint);

        public override int GetHashCode()
        {
            unchecked
            {
                var hash = StringComparer.OrdinalIgnoreCase.GetHashCode(Rule);
                hash = (hash * 397) ^ StringComparer.OrdinalIgnoreCase.GetHashCode(File);
                hash = (hash * 397) ^ StringComparer.Ordinal.GetHashCode(Member);
                hash = (hash * 397) ^ StringComparer.Ordinal.GetHashCode(Expression);
                return (hash * 397) ^ Occurrence;
            }
        }

        public override string ToString() =>
            Rule + " in '" + (File.Length == 0 ? "(no file)" : File) + "'"
            + (Member.Length == 0 ? string.Empty : ", " + Member)
            + (Expression.Length == 0 ? string.Empty : ": '" + Expression + "'")
            + (Occurrence == 0 ? string.Empty : " (occurrence " + Occurrence + ")");

        /// <summary>
        /// Numbers equal findings in the order given (sort them by position first): the first of a rule, file,
        /// member and text is occurrence 0, the next 1, and so on.
        /// </summary>
        public static List<BaselineFingerprint> Number(IEnumerable<BaselineFingerprint> inOrder)
        {
            var seen = new Dictionary<BaselineFingerprint, int>();
            var numbered = new List<BaselineFingerprint>();
            foreach (var fingerprint in inOrder)
            {
                var key = fingerprint.WithOccurrence(0);
                seen.TryGetValue(key, out var count);
                seen[key] = count + 1;
                numbered.Add(fingerprint.WithOccurrence(count));
            }

            return numbered;
        }

        /// <summary>A finding in C# code: the member that contains <paramref name="span"/> and the text there.</summary>
        public static BaselineFingerprint InSource(string rule, string file, SyntaxTree tree, TextSpan span, SourceText text)
        {
            var root = tree.GetRoot();
            var member = span.End <= root.FullSpan.End ? ContainingMember(root.FindNode(span, getInnermostNodeForTie: true)) : string.Empty;
            return new BaselineFingerprint(rule, file, member, TextIn(text, span), 0);
        }

        /// <summary>A finding in another file (operability.json, appsettings.json): the text at <paramref name="span"/>.</summary>
        public static BaselineFingerprint InFile(string rule, string file, SourceText text, LinePositionSpan span)
        {
            return new BaselineFingerprint(rule, file, string.Empty, TextIn(text, ToTextSpan(text, span)), 0);
        }

        /// <summary>A finding with no location (e.g. a service with no manifest at all).</summary>
        public static BaselineFingerprint Unlocated(string rule) => new BaselineFingerprint(rule, string.Empty, string.Empty, string.Empty, 0);

        /// <summary>The span of <paramref name="lines"/> in <paramref name="text"/>, clamped to the text.</summary>
        public static TextSpan ToTextSpan(SourceText text, LinePositionSpan lines)
        {
            var start = Offset(text, lines.Start);
            var end = Math.Max(start, Offset(text, lines.End));
            return TextSpan.FromBounds(start, end);
        }

        /// <summary><paramref name="path"/> relative to <paramref name="projectDirectory"/>, with forward slashes (the full path when outside it).</summary>
        public static string RelativePath(string path, string? projectDirectory)
        {
            // Both sides are full paths from the build (the compiler's and the SARIF log's), so unifying the separators is enough.
            var normalized = path.Replace('\\', '/');
            if (!string.IsNullOrEmpty(projectDirectory))
            {
                var directory = projectDirectory!.Replace('\\', '/').TrimEnd('/') + "/";
                if (normalized.StartsWith(directory, StringComparison.OrdinalIgnoreCase))
                {
                    return normalized.Substring(directory.Length);
                }
            }

            return normalized;
        }

        /// <summary>Whitespace runs (line breaks included) become one space, so re-indenting keeps the entry.</summary>
        public static string Collapse(string text)
        {
            var builder = new StringBuilder(text.Length);
            var inWhitespace = false;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    inWhitespace = true;
                    continue;
                }

                if (inWhitespace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                inWhitespace = false;
                builder.Append(c);
            }

            return builder.ToString();
        }

        private static string TextIn(SourceText text, TextSpan span) =>
            span.End <= text.Length ? Collapse(text.ToString(span)) : string.Empty;

        private static int Offset(SourceText text, LinePosition position)
        {
            if (position.Line >= text.Lines.Count)
            {
                return text.Length;
            }

            var line = text.Lines[Math.Max(0, position.Line)];
            return Math.Min(line.Start + Math.Max(0, position.Character), line.EndIncludingLineBreak);
        }

        private static string ContainingMember(SyntaxNode node)
        {
            for (SyntaxNode? at = node; at is not null; at = at.Parent)
            {
                switch (at)
                {
                    case GlobalStatementSyntax:
                        return TopLevelStatements;
                    case AccessorDeclarationSyntax:
                        continue;
                    case BaseTypeDeclarationSyntax type:
                        // A finding on the type itself (its attributes or base list).
                        return Qualified(type, TypeName(type));
                    case MemberDeclarationSyntax member when MemberName(member) is { } name:
                        return Qualified(member, name);
                }
            }

            return string.Empty;
        }

        private static string? MemberName(MemberDeclarationSyntax member) => member switch
        {
            MethodDeclarationSyntax method => method.Identifier.ValueText + Arity(method.TypeParameterList) + Parameters(method.ParameterList),
            ConstructorDeclarationSyntax constructor => (constructor.Modifiers.Any(SyntaxKind.StaticKeyword) ? ".cctor" : ".ctor") + Parameters(constructor.ParameterList),
            DestructorDeclarationSyntax => "Finalize()",
            OperatorDeclarationSyntax op => "operator " + op.OperatorToken.ValueText + Parameters(op.ParameterList),
            ConversionOperatorDeclarationSyntax conversion => "operator " + conversion.Type + Parameters(conversion.ParameterList),
            IndexerDeclarationSyntax indexer => "this[" + ParameterTypes(indexer.ParameterList.Parameters) + "]",
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            EventDeclarationSyntax e => e.Identifier.ValueText,
            BaseFieldDeclarationSyntax field => string.Join(", ", Names(field.Declaration.Variables)),
            EnumMemberDeclarationSyntax enumMember => enumMember.Identifier.ValueText,
            _ => null,
        };

        private static IEnumerable<string> Names(SeparatedSyntaxList<VariableDeclaratorSyntax> variables)
        {
            foreach (var variable in variables)
            {
                yield return variable.Identifier.ValueText;
            }
        }

        private static string Qualified(SyntaxNode member, string name)
        {
            var parts = new List<string> { name };
            for (var at = member.Parent; at is not null; at = at.Parent)
            {
                switch (at)
                {
                    case BaseTypeDeclarationSyntax type:
                        parts.Add(TypeName(type));
                        break;
                    case BaseNamespaceDeclarationSyntax ns:
                        parts.Add(ns.Name.ToString());
                        break;
                }
            }

            parts.Reverse();
            return string.Join(".", parts);
        }

        private static string TypeName(BaseTypeDeclarationSyntax type)
        {
            // C# 14 extension blocks have no name: the keyword and receiver stand for it.
            var name = type.Identifier.ValueText;
            if (name.Length == 0 && type is TypeDeclarationSyntax declaration)
            {
                name = declaration.Keyword.ValueText + (declaration.ParameterList is { } receiver ? Parameters(receiver) : string.Empty);
            }

            return name + (type is TypeDeclarationSyntax withTypeParameters ? Arity(withTypeParameters.TypeParameterList) : string.Empty);
        }

        private static string Arity(TypeParameterListSyntax? typeParameters) =>
            typeParameters is null || typeParameters.Parameters.Count == 0 ? string.Empty : "`" + typeParameters.Parameters.Count;

        private static string Parameters(BaseParameterListSyntax parameters) => "(" + ParameterTypes(parameters.Parameters) + ")";

        private static string ParameterTypes(SeparatedSyntaxList<ParameterSyntax> parameters)
        {
            var types = new List<string>(parameters.Count);
            foreach (var parameter in parameters)
            {
                var type = parameter.Type is null ? string.Empty : Collapse(parameter.Type.ToString());
                foreach (var modifier in parameter.Modifiers)
                {
                    if (modifier.IsKind(SyntaxKind.RefKeyword) || modifier.IsKind(SyntaxKind.OutKeyword) || modifier.IsKind(SyntaxKind.InKeyword) || modifier.IsKind(SyntaxKind.ParamsKeyword))
                    {
                        type = modifier.ValueText + " " + type;
                    }
                }

                types.Add(type);
            }

            return string.Join(", ", types);
        }
    }
}
