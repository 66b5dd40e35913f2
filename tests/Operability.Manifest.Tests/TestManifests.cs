namespace Operability.Manifest.Tests
{
    /// <summary>Manifests shared by the parser and schema tests.</summary>
    internal static class TestManifests
    {
        /// <summary>Every property of the manifest, valid; positions are asserted in <see cref="ManifestParserTests"/>.</summary>
        public const string Complete = @"{
  ""$schema"": ""../schemas/operability.schema.json"",
  ""service"": ""orders"",
  ""owner"": ""team-orders"",
  ""contacts"": { ""onCall"": ""https://pager.example/orders"", ""chat"": ""#team-orders"" },
  ""productDomain"": ""checkout"",
  ""availability"": { ""target"": 99.9, ""financialExposurePerHour"": 810000 },
  ""deployment"": { ""featureDemand"": ""very-high"", ""target"": ""daily"" },
  ""onCall"": { ""workingHours"": ""team"", ""outOfHours"": ""team"" },
  ""foundational"": false,
  ""databases"": [ { ""name"": ""orders-db"", ""connectionStrings"": [""Orders"", ""OrdersReadOnly""] } ],
  ""reads"": [ { ""name"": ""customers-replica"", ""owner"": ""customers"", ""connectionStrings"": [""Customers""] } ],
  ""dependencies"": [ { ""name"": ""payments"", ""timeout"": ""00:00:02"", ""critical"": true }, { ""name"": ""stock"", ""timeout"": 1.5 } ],
  ""runbook"": ""docs/RUNBOOK.md"",
  ""futureProperty"": { ""anything"": [1, 2] }
}";
    }
}
