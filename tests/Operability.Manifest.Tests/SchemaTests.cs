using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Json.Schema;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class SchemaTests
    {
        internal static readonly JsonDocumentOptions EditorJson = new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        // Built once: the schema registers its $id, and building it again would try to register it twice.
        private static readonly Lazy<JsonSchema> Schema = new Lazy<JsonSchema>(
            () => JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot(), "schemas", "operability.schema.json"))));

        private static bool IsValid(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json, EditorJson);
            return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
        }

        internal static string RepositoryRoot()
        {
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Operability.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("Operability.sln not found above " + AppContext.BaseDirectory);
        }


        [Theory]
        [InlineData(TestManifests.Complete)]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""financialExposurePerHour"": 6000 } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": ""99.9%"" } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": ""95"" }, ""foundational"": true }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""dependencies"": [ { ""name"": ""p"", ""timeout"": ""1.00:00:00.5"" } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""futureProperty"": 1 }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""black-friday"", ""from"": ""2026-11-27T00:00:00Z"", ""until"": ""2026-12-01T00:00:00Z"", ""financialExposurePerHour"": 2500000 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""diwali"", ""from"": ""2026-11-08T00:00:00+05:30"", ""until"": ""2026-11-09T12:30:00.5+05:30"", ""target"": ""99.99%"" } ] } }")]
        public void Schema_ValidManifest_Validates(string json)
        {
            Assert.True(IsValid(json));
            Assert.NotNull(ManifestParser.Parse(json).Manifest);
        }

        [Theory]
        [InlineData(@"{ ""service"": ""a"", ""owner"": [""t"", ""u""] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": """" }")]
        [InlineData(@"{ ""service"": ""a"" }")]
        [InlineData(@"{ ""owner"": ""t"" }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 100 } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 0 } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": ""100%"" } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": ""three nines"" } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""financialExposurePerHour"": -1 } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""deployment"": { ""featureDemand"": ""extreme"" } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""onCall"": { ""outOfHours"": ""everyone"" } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""dependencies"": [ { ""name"": ""p"", ""timeout"": ""2s"" } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""dependencies"": [ { ""name"": ""p"", ""timeout"": ""00:00:00"" } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""dependencies"": [ { ""name"": ""p"", ""timeout"": 0 } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""dependencies"": [ { ""name"": ""p"", ""timeout"": 1e22 } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""financialExposurePerHour"": 1e16 } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""dependencies"": [ { ""name"": ""p"", ""critical"": ""yes"" } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""reads"": [ { ""name"": ""r"" } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""databases"": [ { ""connectionStrings"": [] } ] }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""p"", ""from"": ""2026-11-27"", ""until"": ""2026-12-01T00:00:00Z"", ""target"": 99.9 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""p"", ""from"": ""2026-11-27T00:00:00"", ""until"": ""2026-12-01T00:00:00Z"", ""target"": 99.9 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""p"", ""from"": ""2026-11-27T00:00:00Z"", ""target"": 99.9 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""p"", ""from"": ""2026-11-27T00:00:00Z"", ""until"": ""2026-12-01T00:00:00Z"" } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": """", ""from"": ""2026-11-27T00:00:00Z"", ""until"": ""2026-12-01T00:00:00Z"", ""target"": 99.9 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""p"", ""from"": ""2026-11-27T00:00:00Z"", ""until"": ""2026-12-01T00:00:00Z"", ""target"": 100 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": [ { ""name"": ""p"", ""from"": ""2026-11-27T00:00:00Z"", ""until"": ""2026-12-01T00:00:00Z"", ""financialExposurePerHour"": -5 } ] } }")]
        [InlineData(@"{ ""service"": ""a"", ""owner"": ""t"", ""availability"": { ""target"": 99.0, ""peaks"": { ""name"": ""p"" } } }")]
        public void Schema_InvalidManifest_FailsAndParserAgrees(string json)
        {
            Assert.False(IsValid(json));
            Assert.True(ManifestParser.Parse(json).HasErrors);
        }

        public static IEnumerable<object[]> ManifestsInRepository()
        {
            string root = RepositoryRoot();
            // The template's operability.json is a template (conditionals, placeholders), not JSON: the end-to-end
            // TemplateTests validate what it scaffolds against the schema instead.
            return new[] { "samples", "tests" }
                .Select(folder => Path.Combine(root, folder))
                .Where(Directory.Exists)
                .SelectMany(folder => Directory.EnumerateFiles(folder, "operability.json", SearchOption.AllDirectories))
                .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part == "bin" || part == "obj"))
                .OrderBy(path => path, StringComparer.Ordinal)
                .Select(path => new object[] { Path.GetRelativePath(root, path) });
        }

        [Fact]
        public void Schema_EveryManifestInRepository_Validates()
        {
            // One assertion per file found; an empty repository (no samples or templates yet) validates an empty set.
            string root = RepositoryRoot();
            var failures = new List<string>();
            foreach (object[] row in ManifestsInRepository())
            {
                string relative = (string)row[0];
                string text = File.ReadAllText(Path.Combine(root, relative));
                using JsonDocument document = JsonDocument.Parse(text, EditorJson);
                EvaluationResults results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
                if (!results.IsValid)
                {
                    IEnumerable<string> errors = (results.Details ?? new List<EvaluationResults>())
                        .Where(d => d.Errors != null)
                        .SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value));
                    failures.Add(relative + ": " + string.Join("; ", errors));
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
    }
}
