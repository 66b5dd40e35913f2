using System.Text;

namespace Operability.Manifest
{
    /// <summary>
    /// The form in which the analyzers compare a name written in a manifest with one written in code or in another
    /// manifest: letters and digits only, lower-cased, so case, dashes, dots, underscores and spaces do not count
    /// (<c>order-reports</c>, <c>Order_Reports</c> and <c>OrderReports</c> are one name).
    /// </summary>
    /// <remarks>
    /// The runtime (<c>OperabilityManifest.FindDependency</c>) still matches a dependency name exactly, ignoring only
    /// case: the name there is the one the code passes at run time, and a looser match would change which declared
    /// dependency a call is counted against.
    /// </remarks>
    internal static class NameKey
    {
        /// <summary>The comparison key of <paramref name="name"/>; empty for null or a name with no letter or digit.</summary>
        public static string Of(string? name)
        {
            if (name is null)
            {
                return string.Empty;
            }

            var builder = new StringBuilder(name.Length);
            foreach (var c in name)
            {
                if (char.IsLetterOrDigit(c))
                {
                    builder.Append(char.ToLowerInvariant(c));
                }
            }

            return builder.ToString();
        }
    }
}
