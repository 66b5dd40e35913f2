using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;
using Operability.Manifest;

namespace Operability.Analyzers
{
    /// <summary>
    /// OPS201–OPS204: a service reaches only the databases its manifest declares as owned (or as readable
    /// replicas and datasets), never one another service of the estate owns, never through another assembly's
    /// DbContext; and no database is claimed by two manifests. Only projects with a manifest are analysed.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DatabaseOwnershipAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>Diagnostic property: the database name the code fix declares.</summary>
        public const string DatabaseProperty = "Database";

        /// <summary>Diagnostic property: the connection name the code fix declares, when the code names one.</summary>
        public const string ConnectionNameProperty = "ConnectionName";

        public const string ConnectionNameMethodsOption = "operability.OPS201.connection_name_methods";
        public const string IgnoredConnectionNamesOption = "operability.OPS201.ignored_connection_names";
        public const string OwnAssembliesOption = "operability.OPS203.own_assemblies";

        /// <summary>
        /// .NET Aspire client integrations (extension methods on IHostApplicationBuilder) whose first string
        /// argument is the connection name, i.e. the name under ConnectionStrings. Extend with
        /// <see cref="ConnectionNameMethodsOption"/>.
        /// </summary>
        internal static readonly ImmutableHashSet<string> AspireClientMethods = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "AddNpgsqlDataSource", "AddKeyedNpgsqlDataSource", "AddNpgsqlDbContext", "EnrichNpgsqlDbContext",
            "AddSqlServerClient", "AddKeyedSqlServerClient", "AddSqlServerDbContext",
            "AddAzureSqlClient", "AddKeyedAzureSqlClient",
            "AddMySqlDataSource", "AddKeyedMySqlDataSource", "AddMySqlDbContext",
            "AddOracleDatabaseDbContext",
            "AddRedisClient", "AddKeyedRedisClient", "AddRedisDistributedCache", "AddRedisOutputCache",
            "AddRedisClientBuilder", "AddKeyedRedisClientBuilder",
            "AddMongoDBClient", "AddKeyedMongoDBClient",
            "AddAzureCosmosClient", "AddKeyedAzureCosmosClient", "AddCosmosDbContext", "AddAzureCosmosDatabase", "AddKeyedAzureCosmosDatabase",
            "AddMilvusClient", "AddKeyedMilvusClient", "AddQdrantClient", "AddKeyedQdrantClient",
            "AddElasticsearchClient", "AddKeyedElasticsearchClient");

        private static readonly ImmutableHashSet<string> DbContextRegistrations = ImmutableHashSet.Create(
            StringComparer.Ordinal, "AddDbContext", "AddDbContextPool", "AddDbContextFactory", "AddPooledDbContextFactory");

        private static readonly ImmutableHashSet<string> EfProviderMethods = ImmutableHashSet.Create(
            StringComparer.Ordinal, "UseSqlServer", "UseAzureSql", "UseNpgsql", "UseSqlite", "UseMySql", "UseMySQL");

        /// <summary>Words in a connection name that say it is not a database (messaging, storage, telemetry).</summary>
        private static readonly string[] NotDatabaseWords =
        {
            "eventbus", "servicebus", "messagebus", "messaging", "rabbitmq", "kafka", "eventhub", "storage", "blob", "queue",
            "signalr", "keyvault", "appconfig", "insights", "otlp", "smtp", "openai", "ollama",
        };

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            RuleDescriptors.DatabaseNotOwned,
            RuleDescriptors.DatabaseOwnedByAnotherService,
            RuleDescriptors.SharedDbContext,
            RuleDescriptors.DatabaseClaimedTwice);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(OnCompilationStart);
        }

        private static void OnCompilationStart(CompilationStartAnalysisContext context)
        {
            var options = context.Options.AnalyzerConfigOptionsProvider;
            var project = ProjectFacts.From(options.GlobalOptions, context.Compilation);
            if (project.IsTestProject)
            {
                // Tests legitimately reference a service's DbContext and connection strings.
                return;
            }

            var files = OperabilityFiles.Find(context.Options.AdditionalFiles, options, project.ProjectDirectory);
            var manifestFile = files.Manifest;
            if (manifestFile is null)
            {
                // Libraries, migrations and tools are not services: silent. A service without a manifest gets OPS301.
                return;
            }

            var estate = files.Estate;
            var model = new Lazy<DatabaseOwnershipModel?>(
                () => DatabaseOwnershipModel.Build(manifestFile, estate, CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);

            var configurationFiles = files.Configuration;
            var configuration = new Lazy<ConfigurationFiles>(
                () => ConfigurationFiles.Read(configurationFiles, CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);

            context.RegisterAdditionalFileAction(fileContext =>
            {
                if (ReferenceEquals(fileContext.AdditionalFile, manifestFile) || OperabilityFiles.PathsEqual(fileContext.AdditionalFile.Path, manifestFile.Path))
                {
                    ReportClaimedTwice(fileContext, model.Value);
                }
                else if (configurationFiles.Length > 0)
                {
                    ReportConfiguredDatabases(fileContext, model.Value, configuration.Value);
                }
            });

            var symbols = WellKnownSymbols.Resolve(context.Compilation);
            if (symbols is null)
            {
                return;
            }

            var analysis = new Analysis(context.Compilation, symbols, model, options, configuration);
            context.RegisterOperationAction(analysis.AnalyzeInvocation, OperationKind.Invocation);
            context.RegisterOperationAction(analysis.AnalyzeObjectCreation, OperationKind.ObjectCreation);
            context.RegisterOperationAction(analysis.AnalyzePropertyReference, OperationKind.PropertyReference);
        }

        private static void ReportClaimedTwice(AdditionalFileAnalysisContext context, DatabaseOwnershipModel? model)
        {
            if (model is null || model.ClaimedTwice.Count == 0)
            {
                return;
            }

            var text = context.AdditionalFile.GetText(context.CancellationToken);
            if (text is null)
            {
                return;
            }

            var locations = new ManifestLocations(context.AdditionalFile, text);
            foreach (var claim in model.ClaimedTwice)
            {
                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                    RuleDescriptors.DatabaseClaimedTwice,
                    locations.At(claim.Position),
                    claim.Database,
                    claim.OtherService,
                    claim.OtherSource), context.Options));
            }
        }

        // OPS201/OPS202 for the databases a configuration file names, at the value's line and column.
        private static void ReportConfiguredDatabases(AdditionalFileAnalysisContext context, DatabaseOwnershipModel? model, ConfigurationFiles configuration)
        {
            var found = configuration.In(context.AdditionalFile);
            if (model is null || found.Length == 0 || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
            {
                return;
            }

            var locations = new ManifestLocations(context.AdditionalFile, text);
            foreach (var value in found)
            {
                if (model.AllowsDatabase(value.Database))
                {
                    continue;
                }

                var description = "configuration value '" + value.Key + "' (" + value.DatabaseKey + "=" + value.Database + ")";
                if (model.OwnerOfDatabase(value.Database) is { } owner)
                {
                    context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                        RuleDescriptors.DatabaseOwnedByAnotherService, locations.At(value.Position), description, owner.Database, owner.Service, owner.Team), context.Options));
                }
                else if (value.ConnectionName is not { } name || !model.AllowsName(name))
                {
                    // A connection the manifest declares may name its database differently on the server: that is fine.
                    // The code fix declares the database, with the connection name when the value is a connection string.
                    var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                    properties[DatabaseProperty] = value.Database;
                    if (value.ConnectionName is not null)
                    {
                        properties[ConnectionNameProperty] = value.ConnectionName;
                    }

                    context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(
                        RuleDescriptors.DatabaseNotOwned, locations.At(value.Position), properties.ToImmutable(), description, "database '" + value.Database + "'"), context.Options));
                }
            }
        }

        /// <summary>The types and methods the rules recognise, resolved once; null when none is referenced.</summary>
        private sealed class WellKnownSymbols
        {
            public INamedTypeSymbol? ConfigurationExtensions { get; private set; }

            public INamedTypeSymbol? Configuration { get; private set; }

            public INamedTypeSymbol? ConfigurationSection { get; private set; }

            public INamedTypeSymbol? HostApplicationBuilder { get; private set; }

            public INamedTypeSymbol? DbContext { get; private set; }

            public INamedTypeSymbol? DesignTimeDbContextFactory { get; private set; }

            public INamedTypeSymbol? EfServiceCollectionExtensions { get; private set; }

            public INamedTypeSymbol? NpgsqlDataSource { get; private set; }

            /// <summary>ADO.NET connection (and data source builder) types whose constructor takes a connection string.</summary>
            public Dictionary<INamedTypeSymbol, Provider> ConnectionTypes { get; } = new Dictionary<INamedTypeSymbol, Provider>(SymbolEqualityComparer.Default);

            public static WellKnownSymbols? Resolve(Compilation compilation)
            {
                var symbols = new WellKnownSymbols
                {
                    ConfigurationExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.ConfigurationExtensions"),
                    Configuration = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfiguration"),
                    ConfigurationSection = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfigurationSection"),
                    HostApplicationBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.IHostApplicationBuilder"),
                    DbContext = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.DbContext"),
                    DesignTimeDbContextFactory = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory`1"),
                    EfServiceCollectionExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.EntityFrameworkServiceCollectionExtensions"),
                    NpgsqlDataSource = compilation.GetTypeByMetadataName("Npgsql.NpgsqlDataSource"),
                };

                symbols.AddConnectionType(compilation, "Microsoft.Data.SqlClient.SqlConnection", Provider.SqlServer);
                symbols.AddConnectionType(compilation, "System.Data.SqlClient.SqlConnection", Provider.SqlServer);
                symbols.AddConnectionType(compilation, "Npgsql.NpgsqlConnection", Provider.Postgres);
                symbols.AddConnectionType(compilation, "Npgsql.NpgsqlDataSourceBuilder", Provider.Postgres);
                symbols.AddConnectionType(compilation, "Npgsql.NpgsqlSlimDataSourceBuilder", Provider.Postgres);
                symbols.AddConnectionType(compilation, "Microsoft.Data.Sqlite.SqliteConnection", Provider.Sqlite);
                symbols.AddConnectionType(compilation, "MySqlConnector.MySqlConnection", Provider.MySql);
                symbols.AddConnectionType(compilation, "MySqlConnector.MySqlDataSource", Provider.MySql);
                symbols.AddConnectionType(compilation, "MySql.Data.MySqlClient.MySqlConnection", Provider.MySql);

                var anything = symbols.ConfigurationExtensions is not null || symbols.Configuration is not null || symbols.HostApplicationBuilder is not null
                    || symbols.DbContext is not null || symbols.NpgsqlDataSource is not null || symbols.ConnectionTypes.Count > 0;
                return anything ? symbols : null;
            }

            private void AddConnectionType(Compilation compilation, string metadataName, Provider provider)
            {
                if (compilation.GetTypeByMetadataName(metadataName) is { } type)
                {
                    ConnectionTypes[type] = provider;
                }
            }
        }

        private enum Provider
        {
            SqlServer,
            Postgres,
            Sqlite,
            MySql,
        }

        /// <summary>What the code names: a connection name (with how it is named) or a literal connection string's database.</summary>
        private readonly struct DatabaseReference
        {
            public DatabaseReference(string description, string? connectionName, string? database, bool reportNotOwned, Location location)
            {
                Description = description;
                ConnectionName = connectionName;
                Database = database;
                ReportNotOwned = reportNotOwned;
                Location = location;
            }

            public string Description { get; }

            public string? ConnectionName { get; }

            public string? Database { get; }

            /// <summary>False for a SQLite file: only another service's ownership (OPS202) is reported for it.</summary>
            public bool ReportNotOwned { get; }

            public Location Location { get; }

            public bool IsValid => Description is not null;
        }

        private sealed class ProjectOptions
        {
            public ProjectOptions(ImmutableHashSet<string> connectionNameMethods, ImmutableHashSet<string> ignoredNames, ImmutableHashSet<string> ownAssemblies)
            {
                ConnectionNameMethods = connectionNameMethods;
                IgnoredNames = ignoredNames;
                OwnAssemblies = ownAssemblies;
            }

            public ImmutableHashSet<string> ConnectionNameMethods { get; }

            public ImmutableHashSet<string> IgnoredNames { get; }

            public ImmutableHashSet<string> OwnAssemblies { get; }
        }

        private sealed class Analysis
        {
            private readonly Compilation _compilation;
            private readonly WellKnownSymbols _symbols;
            private readonly Lazy<DatabaseOwnershipModel?> _model;
            private readonly AnalyzerConfigOptionsProvider _options;
            private readonly ConcurrentDictionary<SyntaxTree, ProjectOptions> _optionsByTree = new ConcurrentDictionary<SyntaxTree, ProjectOptions>();
            private readonly Lazy<ConfigurationFiles> _configuration;

            public Analysis(Compilation compilation, WellKnownSymbols symbols, Lazy<DatabaseOwnershipModel?> model, AnalyzerConfigOptionsProvider options, Lazy<ConfigurationFiles> configuration)
            {
                _compilation = compilation;
                _symbols = symbols;
                _model = model;
                _options = options;
                _configuration = configuration;
            }

            public void AnalyzeInvocation(OperationAnalysisContext context)
            {
                var invocation = (IInvocationOperation)context.Operation;
                var method = invocation.TargetMethod;
                var name = method.Name;

                if (DbContextRegistrations.Contains(name))
                {
                    if (method.IsGenericMethod && _symbols.EfServiceCollectionExtensions is not null
                        && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.EfServiceCollectionExtensions))
                    {
                        CheckDbContext(context, ContextTypeArgument(method), invocation, NameLocation(invocation));
                    }

                    return;
                }

                var reference = Recognize(invocation, context.CancellationToken);
                if (reference.IsValid)
                {
                    Report(context, reference);
                }

                if (method.IsGenericMethod && AspireClientMethods.Contains(name) && name.EndsWith("DbContext", StringComparison.Ordinal))
                {
                    CheckDbContext(context, ContextTypeArgument(method), invocation, NameLocation(invocation));
                }
            }

            public void AnalyzeObjectCreation(OperationAnalysisContext context)
            {
                var creation = (IObjectCreationOperation)context.Operation;
                if (creation.Type is not INamedTypeSymbol type)
                {
                    return;
                }

                var reference = Recognize(creation, context.CancellationToken);
                if (reference.IsValid)
                {
                    Report(context, reference);
                    return;
                }

                if (_symbols.DbContext is not null && DerivesFrom(type, _symbols.DbContext))
                {
                    var location = creation.Syntax is ObjectCreationExpressionSyntax explicitCreation ? explicitCreation.Type.GetLocation() : creation.Syntax.GetLocation();
                    CheckDbContext(context, type, creation, location);
                }
            }

            public void AnalyzePropertyReference(OperationAnalysisContext context)
            {
                var reference = Recognize((IPropertyReferenceOperation)context.Operation, context.CancellationToken);
                if (reference.IsValid)
                {
                    Report(context, reference);
                }
            }

            /// <summary>The database reference one operation makes, if it makes one.</summary>
            private DatabaseReference Recognize(IOperation operation, CancellationToken cancellationToken) => operation switch
            {
                IInvocationOperation invocation when !IsPresenceCheck(invocation) => RecognizeInvocation(invocation, cancellationToken),
                IObjectCreationOperation creation => RecognizeCreation(creation),
                IPropertyReferenceOperation property when !IsPresenceCheck(property) => RecognizeProperty(property),
                _ => default,
            };

            /// <summary>
            /// A value that is only tested for presence — <c>string.IsNullOrWhiteSpace(config.GetConnectionString("x"))</c>,
            /// <c>config["ConnectionStrings:x"] is null</c>, <c>… != null</c> — reaches nothing: code asks whether a
            /// connection is configured (often an optional AI or messaging endpoint) before choosing what to register.
            /// </summary>
            private static bool IsPresenceCheck(IOperation operation)
            {
                var value = operation.WithEnclosingImplicitConversions();

                switch (value.Parent)
                {
                    case IArgumentOperation { Parent: IInvocationOperation call }:
                        return call.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String
                            && (call.TargetMethod.Name == "IsNullOrEmpty" || call.TargetMethod.Name == "IsNullOrWhiteSpace");
                    case IBinaryOperation binary when binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals:
                        return IsNullConstant(ReferenceEquals(binary.LeftOperand, value) ? binary.RightOperand : binary.LeftOperand);
                    case IIsPatternOperation pattern:
                        return IsNullPattern(pattern.Pattern);
                    default:
                        return false;
                }
            }

            private static bool IsNullPattern(IPatternOperation pattern) => pattern switch
            {
                IConstantPatternOperation constant => IsNullConstant(constant.Value),
                INegatedPatternOperation negated => IsNullPattern(negated.Pattern),
                _ => false,
            };

            private static bool IsNullConstant(IOperation operation)
            {
                operation = operation.WithoutImplicitConversions();

                return operation.ConstantValue.HasValue && operation.ConstantValue.Value is null;
            }

            private DatabaseReference RecognizeInvocation(IInvocationOperation invocation, CancellationToken cancellationToken)
            {
                var method = invocation.TargetMethod;
                var name = method.Name;

                if (name == "GetConnectionString")
                {
                    if (_symbols.ConfigurationExtensions is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.ConfigurationExtensions))
                    {
                        return NamedConnection(invocation, FirstStringArgument(invocation), "connection string '{0}'");
                    }

                    return default;
                }

                if (EfProviderMethods.Contains(name))
                {
                    var ns = method.ContainingNamespace?.ToDisplayString() ?? string.Empty;
                    if (ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
                    {
                        return Literal(ArgumentFor(invocation, "connectionString"), name == "UseSqlite" ? Provider.Sqlite : name == "UseNpgsql" ? Provider.Postgres : name.StartsWith("UseMySql", StringComparison.OrdinalIgnoreCase) ? Provider.MySql : Provider.SqlServer);
                    }

                    return default;
                }

                if (name == "Create" && _symbols.NpgsqlDataSource is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.NpgsqlDataSource))
                {
                    return Literal(ArgumentFor(invocation, "connectionString"), Provider.Postgres);
                }

                if (AspireClientMethods.Contains(name))
                {
                    if (_symbols.HostApplicationBuilder is not null && ExtensionMembers.ExtendedType(method) is { } extended
                        && SymbolEqualityComparer.Default.Equals(extended, _symbols.HostApplicationBuilder))
                    {
                        return NamedConnection(invocation, FirstStringArgument(invocation), "Aspire client '{0}'");
                    }

                    return default;
                }

                var custom = OptionsFor(invocation.Syntax.SyntaxTree).ConnectionNameMethods;
                if (custom.Count > 0 && custom.Contains(name))
                {
                    return NamedConnection(invocation, FirstStringArgument(invocation), name + " connection '{0}'");
                }

                return default;
            }

            private DatabaseReference RecognizeCreation(IObjectCreationOperation creation)
            {
                if (creation.Type is INamedTypeSymbol type && _symbols.ConnectionTypes.TryGetValue(type, out var provider))
                {
                    return Literal(ArgumentFor(creation, "connectionString"), provider);
                }

                return default;
            }

            private DatabaseReference RecognizeProperty(IPropertyReferenceOperation reference)
            {
                var property = reference.Property;
                if (_symbols.Configuration is null || IsAssignmentTarget(reference))
                {
                    return default;
                }

                if (property.IsIndexer)
                {
                    if (reference.Arguments.Length != 1 || !IsConfiguration(property.ContainingType) || !(ConstantString(reference.Arguments[0].Value) is { } key))
                    {
                        return default;
                    }

                    // configuration["ConnectionStrings:X"]
                    if (ConnectionStringKey(key) is { } name)
                    {
                        return Named(name, "connection string '{0}'", reference.Arguments[0].Value.Syntax.GetLocation());
                    }

                    // configuration.GetSection("ConnectionStrings")["X"]
                    if (key.IndexOf(':') < 0 && IsGetSection(reference.Instance, out var section) && string.Equals(section, "ConnectionStrings", StringComparison.OrdinalIgnoreCase))
                    {
                        return Named(key, "connection string '{0}'", reference.Arguments[0].Value.Syntax.GetLocation());
                    }

                    return default;
                }

                // configuration.GetSection("ConnectionStrings:X").Value
                if (property.Name == "Value" && _symbols.ConfigurationSection is not null && IsOrImplements(property.ContainingType, _symbols.ConfigurationSection)
                    && IsGetSection(reference.Instance, out var path) && ConnectionStringKey(path!) is { } sectionName
                    && reference.Instance is IInvocationOperation getSection && getSection.Arguments.Length > 0)
                {
                    return Named(sectionName, "connection string '{0}'", LastArgument(getSection).Syntax.GetLocation());
                }

                return default;
            }

            private DatabaseReference NamedConnection(IInvocationOperation invocation, IArgumentOperation? argument, string description)
            {
                if (argument is null || !(ConstantString(argument.Value) is { } name) || name.Trim().Length == 0)
                {
                    return default;
                }

                return Named(name, description, argument.Value.Syntax.GetLocation());
            }

            private static DatabaseReference Named(string name, string description, Location location) =>
                new DatabaseReference(string.Format(System.Globalization.CultureInfo.InvariantCulture, description, name), name, null, reportNotOwned: true, location);

            private static DatabaseReference Literal(IArgumentOperation? argument, Provider provider)
            {
                if (argument is null || !(ConstantString(argument.Value) is { } text))
                {
                    return default;
                }

                var pairs = ConnectionStringReader.Read(text);
                if (pairs is null)
                {
                    return default;
                }

                var location = argument.Value.Syntax.GetLocation();

                // EF Core's "Name=ConnectionStrings:Orders" names a connection string.
                if (pairs.Count == 1 && ConnectionStringReader.Find(pairs, "Name") is { } named)
                {
                    var connectionName = ConnectionStringKey(named) ?? named;
                    return Named(connectionName, "connection string '{0}'", location);
                }

                if (provider == Provider.Sqlite)
                {
                    var dataSource = ConnectionStringReader.Find(pairs, "Data Source", "DataSource", "Filename");
                    if (dataSource is null || IsInMemorySqlite(dataSource, pairs))
                    {
                        return default;
                    }

                    var file = OperabilityFiles.SafeFileName(dataSource);
                    var dot = file.LastIndexOf('.');
                    var database = dot > 0 ? file.Substring(0, dot) : file;
                    return database.Length == 0
                        ? default
                        : new DatabaseReference("connection string literal (Data Source=" + dataSource + ")", null, database, reportNotOwned: false, location);
                }

                var key = pairs.ContainsKey("Database") ? "Database" : pairs.ContainsKey("Initial Catalog") ? "Initial Catalog" : pairs.ContainsKey("DB") && provider == Provider.Postgres ? "DB" : null;
                var value = key is null ? null : ConnectionStringReader.Find(pairs, key);
                return value is null
                    ? default
                    : new DatabaseReference("connection string literal (" + key + "=" + value + ")", null, value, reportNotOwned: true, location);
            }

            private static bool IsInMemorySqlite(string dataSource, Dictionary<string, string> pairs) =>
                dataSource.IndexOf(":memory:", StringComparison.OrdinalIgnoreCase) >= 0
                || dataSource.IndexOf("mode=memory", StringComparison.OrdinalIgnoreCase) >= 0
                || (ConnectionStringReader.Find(pairs, "Mode") is { } mode && mode.Equals("Memory", StringComparison.OrdinalIgnoreCase));

            private void Report(OperationAnalysisContext context, DatabaseReference reference)
            {
                var model = _model.Value;
                if (model is null)
                {
                    return;
                }

                // A connection name whose value in the configuration files names a database is judged by that value,
                // where it is written (see ReportConfiguredDatabases): one verdict, at the line that says which database.
                if (reference.ConnectionName is { } name && _configuration.Value.NamesDatabase("ConnectionStrings:" + name))
                {
                    return;
                }

                var diagnostic = Decide(model, reference, context.Operation.Syntax.SyntaxTree);

                // A design-time factory's database is whatever `dotnet ef` migrates on a developer's machine, not one
                // the service reaches; but naming another service's database (OPS202) would change its schema.
                if (diagnostic is not null
                    && !(diagnostic.Descriptor == RuleDescriptors.DatabaseNotOwned && InDesignTimeFactory(context.ContainingSymbol)))
                {
                    context.ReportDiagnostic(CiSeverity.Apply(diagnostic, context.Options));
                }
            }

            private Diagnostic? Decide(DatabaseOwnershipModel model, DatabaseReference reference, SyntaxTree tree)
            {
                EstateOwner? owner;
                if (reference.ConnectionName is { } name)
                {
                    if (model.AllowsName(name))
                    {
                        return null;
                    }

                    owner = model.OwnerOfConnectionName(name);
                    if (owner is null && IsNotADatabase(name, OptionsFor(tree)))
                    {
                        return null;
                    }
                }
                else
                {
                    if (model.AllowsDatabase(reference.Database!))
                    {
                        return null;
                    }

                    owner = model.OwnerOfDatabase(reference.Database!);
                }

                if (owner is not null)
                {
                    return Diagnostic.Create(RuleDescriptors.DatabaseOwnedByAnotherService, reference.Location, reference.Description, owner.Database, owner.Service, owner.Team);
                }

                if (!reference.ReportNotOwned)
                {
                    return null;
                }

                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties[DatabaseProperty] = reference.Database ?? reference.ConnectionName;
                if (reference.ConnectionName is not null)
                {
                    properties[ConnectionNameProperty] = reference.ConnectionName;
                }

                var what = reference.Database is null ? "a database" : "database '" + reference.Database + "'";
                return Diagnostic.Create(RuleDescriptors.DatabaseNotOwned, reference.Location, properties.ToImmutable(), reference.Description, what);
            }

            private static bool IsNotADatabase(string name, ProjectOptions options)
            {
                if (options.IgnoredNames.Contains(name))
                {
                    return true;
                }

                var normalized = NameKey.Of(name);
                foreach (var word in NotDatabaseWords)
                {
                    if (normalized.IndexOf(word, StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>
            /// Whether <paramref name="symbol"/> is code of a class (or a type nested in one) that implements
            /// <c>IDesignTimeDbContextFactory&lt;T&gt;</c>: only <c>dotnet ef</c> runs it. Asked only before reporting.
            /// </summary>
            private bool InDesignTimeFactory(ISymbol? symbol)
            {
                var factory = _symbols.DesignTimeDbContextFactory;
                if (factory is null)
                {
                    return false;
                }

                for (var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType; type is not null; type = type.ContainingType)
                {
                    foreach (var implemented in type.AllInterfaces)
                    {
                        if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, factory))
                        {
                            return true;
                        }
                    }
                }

                return false;
            }

            private void CheckDbContext(OperationAnalysisContext context, INamedTypeSymbol? contextType, IOperation site, Location location)
            {
                if (contextType is null || contextType.TypeKind == TypeKind.Error || _symbols.DbContext is null || !DerivesFrom(contextType, _symbols.DbContext))
                {
                    return;
                }

                var assembly = contextType.ContainingAssembly;
                if (assembly is null || SymbolEqualityComparer.Default.Equals(assembly, _compilation.Assembly))
                {
                    return;
                }

                var model = _model.Value;
                if (model is null
                    || IsOwnAssembly(assembly.Name, model, OptionsFor(site.Syntax.SyntaxTree))
                    || ConfiguredWithOwnedDatabase(model, site, context.CancellationToken)
                    || InDesignTimeFactory(context.ContainingSymbol))
                {
                    return;
                }

                context.ReportDiagnostic(CiSeverity.Apply(Diagnostic.Create(RuleDescriptors.SharedDbContext, location, contextType.Name, assembly.Name), context.Options));
            }

            // The service's own data-access assembly: "Orders.Data" for service "orders", or a sibling of this
            // assembly ("Ordering.Infrastructure" beside "Ordering.API"). Framework contexts are never another service's.
            private bool IsOwnAssembly(string assemblyName, DatabaseOwnershipModel model, ProjectOptions options)
            {
                if (options.OwnAssemblies.Contains(assemblyName)
                    || assemblyName.StartsWith("Microsoft.", StringComparison.Ordinal)
                    || assemblyName.StartsWith("System.", StringComparison.Ordinal))
                {
                    return true;
                }

                var segments = assemblyName.Split('.');
                var prefix = string.Empty;
                for (var i = 0; i < segments.Length; i++)
                {
                    prefix += segments[i];
                    if (DatabaseOwnershipModel.SameName(prefix, model.Manifest.Service))
                    {
                        return true;
                    }
                }

                var own = _compilation.AssemblyName ?? string.Empty;
                var ownDot = own.LastIndexOf('.');
                var otherDot = assemblyName.LastIndexOf('.');
                return ownDot > 0 && otherDot > 0
                    && string.Equals(own.Substring(0, ownDot), assemblyName.Substring(0, otherDot), StringComparison.OrdinalIgnoreCase);
            }

            // AddDbContext<Shared>(o => o.UseSqlServer(config.GetConnectionString("Mine"))): the library shares code, the
            // database is this service's own. True when the registration names databases and all of them are allowed.
            private bool ConfiguredWithOwnedDatabase(DatabaseOwnershipModel model, IOperation site, CancellationToken cancellationToken)
            {
                var found = false;
                foreach (var operation in Candidates(site))
                {
                    var reference = Recognize(operation, cancellationToken);
                    if (!reference.IsValid)
                    {
                        continue;
                    }

                    found = true;
                    var allowed = reference.ConnectionName is { } name ? model.AllowsName(name) : model.AllowsDatabase(reference.Database!);
                    if (!allowed)
                    {
                        return false;
                    }
                }

                return found;
            }

            private static IEnumerable<IOperation> Candidates(IOperation site)
            {
                yield return site;
                foreach (var child in site.Descendants())
                {
                    if (child is IInvocationOperation || child is IObjectCreationOperation || child is IPropertyReferenceOperation)
                    {
                        yield return child;
                    }
                }
            }

            private ProjectOptions OptionsFor(SyntaxTree tree) => _optionsByTree.GetOrAdd(tree, t =>
            {
                var treeOptions = _options.GetOptions(t);
                return new ProjectOptions(
                    ReadList(treeOptions, _options.GlobalOptions, ConnectionNameMethodsOption, StringComparer.Ordinal),
                    ReadList(treeOptions, _options.GlobalOptions, IgnoredConnectionNamesOption, StringComparer.OrdinalIgnoreCase),
                    ReadList(treeOptions, _options.GlobalOptions, OwnAssembliesOption, StringComparer.OrdinalIgnoreCase));
            });

            private static ImmutableHashSet<string> ReadList(AnalyzerConfigOptions treeOptions, AnalyzerConfigOptions globalOptions, string key, StringComparer comparer)
            {
                if (!treeOptions.TryGetValue(key, out var value) && !globalOptions.TryGetValue(key, out value))
                {
                    return ImmutableHashSet<string>.Empty;
                }

                var builder = ImmutableHashSet.CreateBuilder(comparer);
                foreach (var item in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var trimmed = item.Trim();
                    if (trimmed.Length > 0)
                    {
                        builder.Add(trimmed);
                    }
                }

                return builder.ToImmutable();
            }

            private bool IsConfiguration(INamedTypeSymbol? type) => type is not null && _symbols.Configuration is not null && IsOrImplements(type, _symbols.Configuration);

            private bool IsGetSection(IOperation? operation, out string? path)
            {
                path = null;
                if (operation is IInvocationOperation invocation && invocation.TargetMethod.Name == "GetSection"
                    && invocation.Arguments.Length > 0 && IsConfiguration(invocation.TargetMethod.ContainingType))
                {
                    path = ConstantString(LastArgument(invocation).Value);
                }

                return path is not null;
            }

            private static IArgumentOperation LastArgument(IInvocationOperation invocation) => invocation.Arguments[invocation.Arguments.Length - 1];

            private static bool IsAssignmentTarget(IOperation operation) =>
                operation.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, operation);

            private static string? ConnectionStringKey(string key)
            {
                const string Prefix = "ConnectionStrings:";
                if (key.Length > Prefix.Length && key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    var name = key.Substring(Prefix.Length);
                    return name.IndexOf(':') < 0 && name.Trim().Length > 0 ? name : null;
                }

                return null;
            }

            private static string? ConstantString(IOperation operation) =>
                operation.ConstantValue.HasValue ? operation.ConstantValue.Value as string : null;

            private static IArgumentOperation? ArgumentFor(IInvocationOperation invocation, string parameterName) => ArgumentFor(invocation.Arguments, parameterName);

            private static IArgumentOperation? ArgumentFor(IObjectCreationOperation creation, string parameterName) => ArgumentFor(creation.Arguments, parameterName);

            private static IArgumentOperation? ArgumentFor(ImmutableArray<IArgumentOperation> arguments, string parameterName)
            {
                foreach (var argument in arguments)
                {
                    if (argument.Parameter is { } parameter && parameter.Name == parameterName && parameter.Type.SpecialType == SpecialType.System_String)
                    {
                        return argument;
                    }
                }

                return null;
            }

            // The first string parameter after an extension method's 'this'.
            private static IArgumentOperation? FirstStringArgument(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                var skipThis = method.IsExtensionMethod && method.ReducedFrom is null;
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter is not { } parameter)
                    {
                        continue;
                    }

                    if (skipThis && parameter.Ordinal == 0)
                    {
                        continue;
                    }

                    if (parameter.Type.SpecialType == SpecialType.System_String)
                    {
                        return argument.ArgumentKind == ArgumentKind.Explicit ? argument : null;
                    }
                }

                return null;
            }

            // AddDbContext<TContext> or AddDbContext<TService, TImplementation>: the implementation is the context.
            private static INamedTypeSymbol? ContextTypeArgument(IMethodSymbol method) =>
                method.TypeArguments.Length > 0 ? method.TypeArguments[method.TypeArguments.Length - 1] as INamedTypeSymbol : null;

            private static Location NameLocation(IInvocationOperation invocation)
            {
                if (invocation.Syntax is InvocationExpressionSyntax syntax)
                {
                    return syntax.Expression switch
                    {
                        MemberAccessExpressionSyntax member => member.Name.GetLocation(),
                        MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                        _ => syntax.Expression.GetLocation(),
                    };
                }

                return invocation.Syntax.GetLocation();
            }

            private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
            {
                for (var current = type.BaseType; current is not null; current = current.BaseType)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, baseType))
                    {
                        return true;
                    }
                }

                return false;
            }

            private static bool IsOrImplements(INamedTypeSymbol type, INamedTypeSymbol @interface)
            {
                if (SymbolEqualityComparer.Default.Equals(type, @interface))
                {
                    return true;
                }

                foreach (var implemented in type.AllInterfaces)
                {
                    if (SymbolEqualityComparer.Default.Equals(implemented, @interface))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
