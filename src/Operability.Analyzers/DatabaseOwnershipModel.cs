using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>Who owns a database of the estate.</summary>
    internal sealed class EstateOwner
    {
        public EstateOwner(string service, string team, string database)
        {
            Service = service;
            Team = team;
            Database = database;
        }

        public string Service { get; }

        public string Team { get; }

        public string Database { get; }
    }

    /// <summary>A database claimed by this service's manifest and by another manifest of the estate.</summary>
    internal sealed class DatabaseClaim
    {
        public DatabaseClaim(string database, SourcePosition position, string otherService, string otherSource)
        {
            Database = database;
            Position = position;
            OtherService = otherService;
            OtherSource = otherSource;
        }

        public string Database { get; }

        public SourcePosition Position { get; }

        public string OtherService { get; }

        public string OtherSource { get; }
    }

    /// <summary>
    /// The lookup tables the database ownership rules need, built once per compilation from this project's
    /// manifest and the estate files the build handed over.
    /// </summary>
    internal sealed class DatabaseOwnershipModel
    {
        private readonly HashSet<string> _allowedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _allowedDatabases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, EstateOwner?> _ownerByConnectionName = new Dictionary<string, EstateOwner?>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, EstateOwner?> _ownerByDatabase = new Dictionary<string, EstateOwner?>(StringComparer.OrdinalIgnoreCase);

        private DatabaseOwnershipModel(ServiceManifest manifest)
        {
            Manifest = manifest;
        }

        public ServiceManifest Manifest { get; }

        public List<DatabaseClaim> ClaimedTwice { get; } = new List<DatabaseClaim>();

        /// <summary>Null when the manifest cannot be read (OPS303 reports it): nothing is checked then.</summary>
        public static DatabaseOwnershipModel? Build(AdditionalText manifestFile, IEnumerable<AdditionalText> estateFiles, CancellationToken cancellationToken)
        {
            var text = manifestFile.GetText(cancellationToken);
            if (text is null)
            {
                return null;
            }

            var manifest = ManifestParser.Parse(text.ToString()).Manifest;
            if (manifest is null)
            {
                return null;
            }

            var model = new DatabaseOwnershipModel(manifest);
            foreach (var database in manifest.Databases)
            {
                model._allowedDatabases.Add(database.Name);
                model._allowedNames.Add(database.Name);
                foreach (var name in database.ConnectionStrings)
                {
                    model._allowedNames.Add(name);
                }
            }

            foreach (var dataset in manifest.Reads)
            {
                model._allowedDatabases.Add(dataset.Name);
                model._allowedNames.Add(dataset.Name);
                foreach (var name in dataset.ConnectionStrings)
                {
                    model._allowedNames.Add(name);
                }
            }

            var thisEntry = new EstateEntry(manifestFile.Path, manifest);
            var entries = new List<EstateEntry> { thisEntry };
            foreach (var file in estateFiles)
            {
                var estateText = file.GetText(cancellationToken);
                if (estateText is null)
                {
                    continue;
                }

                var source = RelativePath(manifestFile.Path, file.Path);
                foreach (var other in EstateCatalogue.Parse(estateText.ToString()).Manifests)
                {
                    // A catalogue exported from the whole estate lists this service too.
                    if (other.Service is null || SameName(other.Service, manifest.Service))
                    {
                        continue;
                    }

                    entries.Add(new EstateEntry(source, other));
                    model.AddOwner(other);
                }
            }

            foreach (var conflict in EstateValidator.FindDatabaseClaimedTwice(entries))
            {
                if (!ReferenceEquals(conflict.First, thisEntry))
                {
                    continue;
                }

                var position = default(SourcePosition);
                var name = conflict.Database;
                foreach (var database in manifest.Databases)
                {
                    if (string.Equals(database.Name, conflict.Database, StringComparison.OrdinalIgnoreCase))
                    {
                        position = database.Position;
                        name = database.Name;
                        break;
                    }
                }

                model.ClaimedTwice.Add(new DatabaseClaim(name, position, conflict.Second.Manifest.Service ?? "(unnamed)", conflict.Second.Source));
            }

            return model;
        }

        /// <summary>True when this service owns, or is allowed to read, what <paramref name="name"/> (a connection or database name) reaches.</summary>
        public bool AllowsName(string name) => _allowedNames.Contains(name);

        /// <summary>True when this service owns, or is allowed to read, the database <paramref name="database"/>.</summary>
        public bool AllowsDatabase(string database) => _allowedDatabases.Contains(database);

        /// <summary>
        /// The other service that owns what the connection name reaches: a connection-string name declared by
        /// exactly one other service, or a database name (Aspire resources are usually named as the database).
        /// </summary>
        public EstateOwner? OwnerOfConnectionName(string name)
        {
            if (_ownerByConnectionName.TryGetValue(name, out var owner))
            {
                return owner;
            }

            return OwnerOfDatabase(name);
        }

        /// <summary>The one other service that owns <paramref name="database"/>, or null (unknown, or claimed by several).</summary>
        public EstateOwner? OwnerOfDatabase(string database) =>
            _ownerByDatabase.TryGetValue(database, out var owner) ? owner : null;

        /// <summary>Service names compared without case, dashes, dots or underscores: "order-reports" is "OrderReports".</summary>
        public static bool SameName(string? a, string? b) =>
            a is not null && b is not null && NameKey.Of(a).Length > 0 && string.Equals(NameKey.Of(a), NameKey.Of(b), StringComparison.Ordinal);

        private void AddOwner(ServiceManifest other)
        {
            var service = other.Service ?? "(unnamed)";
            var team = other.Owner ?? "(no owner)";
            foreach (var database in other.Databases)
            {
                var owner = new EstateOwner(service, team, database.Name);
                Add(_ownerByDatabase, database.Name, owner);
                foreach (var name in database.ConnectionStrings)
                {
                    Add(_ownerByConnectionName, name, owner);
                }
            }
        }

        // A name two services use (e.g. "Database") proves nothing: it maps to no owner.
        private static void Add(Dictionary<string, EstateOwner?> map, string key, EstateOwner owner)
        {
            if (!map.TryGetValue(key, out var existing))
            {
                map.Add(key, owner);
            }
            else if (existing is not null && !SameName(existing.Service, owner.Service))
            {
                map[key] = null;
            }
        }

        private static string RelativePath(string fromFile, string toFile)
        {
            var from = OperabilityFiles.Normalize(OperabilityFiles.SafeDirectoryName(fromFile)).Split('/');
            var to = OperabilityFiles.Normalize(toFile).Split('/');
            var common = 0;
            while (common < from.Length && common < to.Length - 1 && string.Equals(from[common], to[common], StringComparison.OrdinalIgnoreCase))
            {
                common++;
            }

            if (common == 0 || (common == 1 && from[0].Length == 0))
            {
                return toFile;
            }

            var parts = new List<string>();
            for (var i = common; i < from.Length; i++)
            {
                if (from[i].Length > 0)
                {
                    parts.Add("..");
                }
            }

            for (var i = common; i < to.Length; i++)
            {
                parts.Add(to[i]);
            }

            return string.Join("/", parts);
        }
    }
}
