using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Operability.Analyzers
{
    /// <summary>
    /// A first look at code's text before its tokens or operations are walked: a search for a method's name
    /// (client defaults, Aspire's <c>AddServiceDefaults</c>, a client registration) skips every file or member
    /// whose text cannot spell it, so a large code base costs a text search rather than a walk of all it holds.
    /// </summary>
    /// <remarks>
    /// A Unicode escape (<c>\u0041ddHttpClient</c>) spells an identifier the text does not contain: text with one
    /// is always walked.
    /// </remarks>
    internal static class SourceTextSearch
    {
        /// <summary>Whether <paramref name="tree"/> may hold an identifier spelled <paramref name="identifier"/>.</summary>
        public static bool MayMention(SyntaxTree tree, string identifier, CancellationToken cancellationToken = default)
        {
            // For most files the text is one string already and ToString returns it without a copy.
            var text = tree.GetText(cancellationToken).ToString();
            return text.IndexOf(identifier, StringComparison.Ordinal) >= 0 || HasEscape(text, 0, text.Length);
        }

        private static bool HasEscape(string text, int start, int length) =>
            text.IndexOf("\\u", start, length, StringComparison.Ordinal) >= 0
            || text.IndexOf("\\U", start, length, StringComparison.Ordinal) >= 0;

        /// <summary>
        /// The files' texts of one compilation as strings, each made once (a large file's text is in chunks, and
        /// its string would otherwise be built again for each of its members).
        /// </summary>
        internal sealed class Cache
        {
            private readonly ConcurrentDictionary<SyntaxTree, string> _texts = new ConcurrentDictionary<SyntaxTree, string>();

            /// <summary>Whether the text of <paramref name="node"/> may hold an identifier spelled as one of <paramref name="identifiers"/>.</summary>
            public bool MayMentionAny(SyntaxNode node, string[] identifiers, CancellationToken cancellationToken)
            {
                var tree = node.SyntaxTree;
                if (!_texts.TryGetValue(tree, out var text))
                {
                    text = _texts.GetOrAdd(tree, tree.GetText(cancellationToken).ToString());
                }

                var span = node.Span;
                if (span.End > text.Length)
                {
                    return true;
                }

                foreach (var identifier in identifiers)
                {
                    if (text.IndexOf(identifier, span.Start, span.Length, StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }

                return HasEscape(text, span.Start, span.Length);
            }
        }
    }
}
