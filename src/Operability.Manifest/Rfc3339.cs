using System;
using System.Globalization;

namespace Operability.Manifest
{
    /// <summary>
    /// RFC 3339 dates and times with their offset (<c>Z</c> or <c>±hh:mm</c>), e.g. <c>2026-11-27T09:30:00Z</c>: the
    /// one form every file and setting the product reads accepts. No culture-dependent forms, and no offset-less local
    /// times, whose instant would depend on the machine reading them.
    /// </summary>
    public static class Rfc3339
    {
        private static readonly string[] Formats =
        {
            "yyyy-MM-dd'T'HH:mm:ss'Z'",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
            "yyyy-MM-dd'T'HH:mm:sszzz",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        };

        /// <summary>Parses <paramref name="text"/>; false for null, any other form, or an out-of-range date.</summary>
        public static bool TryParse(string? text, out DateTimeOffset instant) =>
            DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);

        /// <summary>Formats with the instant's own offset (<c>Z</c> for UTC) and no trailing zeros in the fraction.</summary>
        public static string Format(DateTimeOffset instant) => instant.Offset == TimeSpan.Zero
            ? instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
    }
}
