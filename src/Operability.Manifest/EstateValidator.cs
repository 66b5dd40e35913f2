using System;
using System.Collections.Generic;

namespace Operability.Manifest
{
    /// <summary>A manifest of an estate and where it came from (a path, or a catalogue entry).</summary>
    public sealed class EstateEntry
    {
        /// <summary>Creates an entry.</summary>
        /// <param name="source">Where the manifest came from, e.g. its path; used in messages.</param>
        /// <param name="manifest">The parsed manifest.</param>
        public EstateEntry(string source, ServiceManifest manifest)
        {
            Source = source ?? throw new ArgumentNullException(nameof(source));
            Manifest = manifest ?? throw new ArgumentNullException(nameof(manifest));
        }

        /// <summary>Where the manifest came from.</summary>
        public string Source { get; }

        /// <summary>The manifest.</summary>
        public ServiceManifest Manifest { get; }
    }

    /// <summary>A database claimed by two manifests of an estate.</summary>
    public sealed class EstateConflict
    {
        internal EstateConflict(string database, EstateEntry first, EstateEntry second, SourcePosition secondPosition, string message)
        {
            Database = database;
            First = first;
            Second = second;
            SecondPosition = secondPosition;
            Message = message;
        }

        /// <summary>The database's name as the second manifest spells it.</summary>
        public string Database { get; }

        /// <summary>The manifest that claimed the database first.</summary>
        public EstateEntry First { get; }

        /// <summary>The manifest that claimed it again.</summary>
        public EstateEntry Second { get; }

        /// <summary>Where the second manifest names the database.</summary>
        public SourcePosition SecondPosition { get; }

        /// <summary>What is wrong, naming both services and sources.</summary>
        public string Message { get; }
    }

    /// <summary>Checks across the manifests of an estate (single service ownership for databases).</summary>
    public static class EstateValidator
    {
        /// <summary>
        /// Finds every database (compared case-insensitively) claimed by two manifests from different sources:
        /// two services, or the same service declared twice. Each later claim is reported against the first.
        /// </summary>
        public static IReadOnlyList<EstateConflict> FindDatabaseClaimedTwice(IEnumerable<EstateEntry> manifests)
        {
            if (manifests is null)
            {
                throw new ArgumentNullException(nameof(manifests));
            }

            var firstClaim = new Dictionary<string, EstateEntry>(StringComparer.OrdinalIgnoreCase);
            var conflicts = new List<EstateConflict>();
            foreach (EstateEntry entry in manifests)
            {
                foreach (OwnedDatabase database in entry.Manifest.Databases)
                {
                    if (!firstClaim.TryGetValue(database.Name, out EstateEntry? first))
                    {
                        firstClaim.Add(database.Name, entry);
                    }
                    else if (!string.Equals(first.Source, entry.Source, StringComparison.Ordinal))
                    {
                        conflicts.Add(new EstateConflict(database.Name, first, entry, database.Position, Describe(database.Name, first, entry)));
                    }
                }
            }

            return conflicts.AsReadOnly();
        }

        private static string Describe(string database, EstateEntry first, EstateEntry second)
        {
            string firstService = first.Manifest.Service ?? "(unnamed)";
            string secondService = second.Manifest.Service ?? "(unnamed)";
            if (string.Equals(firstService, secondService, StringComparison.OrdinalIgnoreCase))
            {
                return "Service '" + secondService + "' is declared twice, in " + first.Source + " and in " + second.Source
                    + ", and both claim database '" + database + "'; keep one manifest per service";
            }

            return "Database '" + database + "' is claimed by service '" + secondService + "' (" + second.Source + ") and by service '"
                + firstService + "' (" + first.Source + "); a database has exactly one owning service";
        }
    }
}
