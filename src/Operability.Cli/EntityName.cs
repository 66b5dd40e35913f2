using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Operability.Cli
{
    /// <summary>
    /// Turns a service, team, database or domain id into a name both Backstage (<c>metadata.name</c>: 1–63 characters,
    /// <c>[A-Za-z0-9]</c> with <c>-</c>, <c>_</c> or <c>.</c> between) and OpenSLO (RFC 1123 label: lower case,
    /// digits and <c>-</c>, at most 63) accept. One rule for both so an SLO and its catalogue entity share a name.
    /// </summary>
    internal static class EntityName
    {
        /// <summary>The longest name either format accepts.</summary>
        public const int MaxLength = 63;

        private const int HashLength = 8;

        /// <summary>
        /// Lower case; accents dropped (<c>Café</c> → <c>cafe</c>); every run of other characters becomes one <c>-</c>;
        /// no <c>-</c> at either end. A result over 63 characters keeps its first 54 and ends in <c>-</c> and 8 hex
        /// digits of the original's SHA-256, so two long ids that share a start stay distinct. Null when nothing
        /// is left (an id of punctuation only, or of letters outside the Latin script).
        /// </summary>
        public static string? Normalise(string id)
        {
            string decomposed;
            try
            {
                decomposed = id.Normalize(NormalizationForm.FormKD);
            }
            catch (ArgumentException)
            {
                // A lone surrogate (JSON's "\ud800" escape allows one) cannot be normalised; it becomes a separator below.
                decomposed = id;
            }

            var name = new StringBuilder(decomposed.Length);
            bool pendingSeparator = false;
            foreach (char c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                char lower = char.ToLowerInvariant(c);
                if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9'))
                {
                    if (pendingSeparator && name.Length > 0)
                    {
                        name.Append('-');
                    }

                    pendingSeparator = false;
                    name.Append(lower);
                }
                else
                {
                    pendingSeparator = true;
                }
            }

            if (name.Length == 0)
            {
                return null;
            }

            if (name.Length <= MaxLength)
            {
                return name.ToString();
            }

            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(id));
            string prefix = name.ToString(0, MaxLength - HashLength - 1).TrimEnd('-');
            return prefix + "-" + Convert.ToHexString(hash).Substring(0, HashLength).ToLowerInvariant();
        }
    }
}
