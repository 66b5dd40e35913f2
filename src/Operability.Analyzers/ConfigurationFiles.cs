using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Operability.Manifest;
using Operability.Manifest.Json;

namespace Operability.Analyzers
{
    /// <summary>A configuration value (in <c>appsettings*.json</c>) that parses as a connection string naming a database.</summary>
    internal sealed class ConfigurationDatabase
    {
        public ConfigurationDatabase(AdditionalText file, string key, string databaseKey, string database, SourcePosition position)
        {
            File = file;
            Key = key;
            DatabaseKey = databaseKey;
            Database = database;
            Position = position;
        }

        public AdditionalText File { get; }

        /// <summary>The configuration key, sections joined by <c>:</c> as <c>IConfiguration</c> does: <c>ConnectionStrings:Orders</c>.</summary>
        public string Key { get; }

        /// <summary>The connection-string key that names the database: <c>Database</c> or <c>Initial Catalog</c>.</summary>
        public string DatabaseKey { get; }

        public string Database { get; }

        /// <summary>Where the value's string starts in the file.</summary>
        public SourcePosition Position { get; }

        /// <summary>The name under <c>ConnectionStrings</c> (what <c>GetConnectionString</c> takes), or null for any other key.</summary>
        public string? ConnectionName
        {
            get
            {
                const string Prefix = "ConnectionStrings:";
                return Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && Key.IndexOf(':', Prefix.Length) < 0
                    ? Key.Substring(Prefix.Length)
                    : null;
            }
        }
    }

    /// <summary>
    /// The databases the project's configuration files name, read once per compilation from the AdditionalFiles the
    /// package tagged <c>OperabilityRole=Configuration</c>. A file that is not valid JSON (comments and trailing commas
    /// are, as in appsettings) is skipped without a word: it is the configuration system's to report, not ours.
    /// </summary>
    internal sealed class ConfigurationFiles
    {
        private readonly Dictionary<string, ImmutableArray<ConfigurationDatabase>> _byFile;
        private readonly HashSet<string> _keys;

        private ConfigurationFiles(Dictionary<string, ImmutableArray<ConfigurationDatabase>> byFile, HashSet<string> keys)
        {
            _byFile = byFile;
            _keys = keys;
        }

        public static ConfigurationFiles Read(ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
        {
            var byFile = new Dictionary<string, ImmutableArray<ConfigurationDatabase>>(StringComparer.OrdinalIgnoreCase);
            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                var text = file.GetText(cancellationToken);
                var root = text is null ? null : JsonReader.Read(text.ToString()).Root;
                var found = ImmutableArray.CreateBuilder<ConfigurationDatabase>();
                if (root is not null)
                {
                    Collect(file, root, string.Empty, found);
                }

                foreach (var database in found)
                {
                    keys.Add(database.Key);
                }

                byFile[OperabilityFiles.Normalize(file.Path)] = found.ToImmutable();
            }

            return new ConfigurationFiles(byFile, keys);
        }

        /// <summary>The database-naming values of one configuration file (empty for any other file).</summary>
        public ImmutableArray<ConfigurationDatabase> In(AdditionalText file) =>
            _byFile.TryGetValue(OperabilityFiles.Normalize(file.Path), out var found) ? found : ImmutableArray<ConfigurationDatabase>.Empty;

        /// <summary>Whether some configuration file gives <paramref name="key"/> a value that names a database.</summary>
        public bool NamesDatabase(string key) => _keys.Contains(key);

        // Depth is bounded by the reader (JsonReader.MaxDepth), so the recursion is too.
        private static void Collect(AdditionalText file, JsonNode node, string key, ImmutableArray<ConfigurationDatabase>.Builder found)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var property in obj.Properties)
                    {
                        Collect(file, property.Value, key.Length == 0 ? property.Name : key + ":" + property.Name, found);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Items.Count; i++)
                    {
                        Collect(file, array.Items[i], key + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), found);
                    }

                    break;
                case JsonString text when text.Value.IndexOf('=') > 0 && ConnectionStringReader.Read(text.Value) is { } pairs:
                    var databaseKey = pairs.ContainsKey("Database") ? "Database" : pairs.ContainsKey("Initial Catalog") ? "Initial Catalog" : null;
                    if (databaseKey is not null && ConnectionStringReader.Find(pairs, databaseKey) is { } database && database.Trim().Length > 0)
                    {
                        found.Add(new ConfigurationDatabase(file, key, databaseKey, database.Trim(), text.Position));
                    }

                    break;
            }
        }
    }
}
