using System;
using System.Linq;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class ManifestParserTests
    {

        /// <summary>A valid manifest with one line replaced, for tests of one property.</summary>
        private static string Minimal(string extraLines = "") =>
            "{\n  \"service\": \"orders\",\n  \"owner\": \"team-orders\",\n  \"availability\": { \"target\": 99.9 }" + extraLines + "\n}";

        /// <summary>A manifest whose owner value (line 3, column 12) is <paramref name="ownerJson"/>.</summary>
        private static string WithOwner(string ownerJson) =>
            "{\n  \"service\": \"orders\",\n  \"owner\": " + ownerJson + ",\n  \"availability\": { \"target\": 99.9 }\n}";

        /// <summary>A manifest whose availability value (line 4, column 19) is <paramref name="availabilityJson"/>.</summary>
        private static string WithAvailability(string availabilityJson) =>
            "{\n  \"service\": \"s\",\n  \"owner\": \"t\",\n  \"availability\": " + availabilityJson + "\n}";

        private static ManifestDiagnostic Single(string json)
        {
            ManifestParseResult result = ManifestParser.Parse(json);
            return Assert.Single(result.Diagnostics);
        }

        private static void AssertDiagnostic(ManifestDiagnostic diagnostic, ManifestDiagnosticKind kind, string path, int line, int column)
        {
            Assert.Equal(kind, diagnostic.Kind);
            Assert.Equal(path, diagnostic.Path);
            Assert.Equal(new SourcePosition(line, column), diagnostic.Position);
        }

        [Fact]
        public void Parse_CompleteManifest_ReadsEveryPropertyWithoutDiagnostics()
        {
            ManifestParseResult result = ManifestParser.Parse(TestManifests.Complete);

            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            ServiceManifest m = result.Manifest!;
            Assert.Equal("orders", m.Service);
            Assert.Equal(new SourcePosition(3, 14), m.ServicePosition);
            Assert.Equal("team-orders", m.Owner);
            Assert.Equal(new SourcePosition(4, 12), m.OwnerPosition);
            Assert.Equal("https://pager.example/orders", m.OnCallContact);
            Assert.Equal("#team-orders", m.ChatChannel);
            Assert.Equal("checkout", m.ProductDomain);
            Assert.Equal(99.9m, m.AvailabilityTarget);
            Assert.Equal(new SourcePosition(7, 31), m.AvailabilityTargetPosition);
            Assert.Equal(810000m, m.FinancialExposurePerHour);
            Assert.Equal(FeatureDemand.VeryHigh, m.FeatureDemand);
            Assert.Equal(DeploymentTarget.Daily, m.DeploymentTarget);
            Assert.Equal(OnCallLevel.Team, m.WorkingHoursOnCall);
            Assert.Equal(OnCallLevel.Team, m.OutOfHoursOnCall);
            Assert.False(m.Foundational);
            OwnedDatabase db = Assert.Single(m.Databases);
            Assert.Equal("orders-db", db.Name);
            Assert.Equal(new[] { "Orders", "OrdersReadOnly" }, db.ConnectionStrings);
            Assert.Equal(new SourcePosition(11, 28), db.Position);
            ReadableDataset read = Assert.Single(m.Reads);
            Assert.Equal(("customers-replica", "customers"), (read.Name, read.Owner));
            Assert.Equal(new[] { "Customers" }, read.ConnectionStrings);
            Assert.Equal(2, m.Dependencies.Count);
            Assert.Equal(("payments", (TimeSpan?)TimeSpan.FromSeconds(2), true), (m.Dependencies[0].Name, m.Dependencies[0].Timeout, m.Dependencies[0].Critical));
            Assert.Equal(("stock", (TimeSpan?)TimeSpan.FromSeconds(1.5), false), (m.Dependencies[1].Name, m.Dependencies[1].Timeout, m.Dependencies[1].Critical));
            Assert.Equal("docs/RUNBOOK.md", m.Runbook);
            Assert.True(m.RunbookDeclared);
            Assert.Equal(new SourcePosition(14, 14), m.RunbookPosition);
        }

        [Fact]
        public void Parse_MinimalManifest_DefaultsRunbookAndDerivesOnCall()
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal());

            Assert.Empty(result.Diagnostics);
            ServiceManifest m = result.Manifest!;
            Assert.Equal(ServiceManifest.DefaultRunbook, m.Runbook);
            Assert.False(m.RunbookDeclared);
            Assert.Equal(default, m.RunbookPosition);
            Assert.Equal(OnCallLevel.Team, m.WorkingHoursOnCall);
            Assert.Equal(OnCallLevel.Team, m.OutOfHoursOnCall);
            Assert.Null(m.DeploymentTarget);
            Assert.Empty(m.Databases);
            Assert.Empty(m.Dependencies);
        }

        [Theory]
        [InlineData(6000, 95.0, OnCallLevel.None)]     // appointments
        [InlineData(200000, 99.0, OnCallLevel.Domain)] // bedroom
        [InlineData(810000, 99.9, OnCallLevel.Team)]   // ecommerce-platform
        public void Parse_ExposureWithoutTarget_DerivesTargetAndOnCall(int exposure, double target, OnCallLevel outOfHours)
        {
            string json = WithAvailability("{ \"financialExposurePerHour\": " + exposure + " }");

            ManifestParseResult result = ManifestParser.Parse(json);

            Assert.Empty(result.Diagnostics);
            Assert.Equal((decimal)target, result.Manifest!.AvailabilityTarget);
            Assert.Equal(new SourcePosition(4, 49), result.Manifest.AvailabilityTargetPosition);
            Assert.Equal(OnCallLevel.Team, result.Manifest.WorkingHoursOnCall);
            Assert.Equal(outOfHours, result.Manifest.OutOfHoursOnCall);
        }

        [Fact]
        public void Parse_OnlyOneOnCallPeriodDeclared_DerivesTheOther()
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"onCall\": { \"outOfHours\": \"domain\" }"));

            Assert.Empty(result.Diagnostics);
            Assert.Equal(OnCallLevel.Team, result.Manifest!.WorkingHoursOnCall);
            Assert.Equal(OnCallLevel.Domain, result.Manifest.OutOfHoursOnCall);
        }

        [Theory]
        [InlineData("low", FeatureDemand.Low, DeploymentTarget.Monthly)]
        [InlineData("medium", FeatureDemand.Medium, DeploymentTarget.Fortnightly)]
        [InlineData("high", FeatureDemand.High, DeploymentTarget.Weekly)]
        [InlineData("very-high", FeatureDemand.VeryHigh, DeploymentTarget.Daily)]
        public void Parse_FeatureDemandWithoutDeploymentTarget_DerivesDeploymentTarget(string word, FeatureDemand demand, DeploymentTarget expected)
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"deployment\": { \"featureDemand\": \"" + word + "\" }"));

            Assert.Empty(result.Diagnostics);
            Assert.Equal(demand, result.Manifest!.FeatureDemand);
            Assert.Equal(expected, result.Manifest.DeploymentTarget);
        }

        [Fact]
        public void Parse_DeclaredDeploymentTarget_WinsOverFeatureDemand()
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"deployment\": { \"featureDemand\": \"low\", \"target\": \"weekly\" }"));

            Assert.Equal(DeploymentTarget.Weekly, result.Manifest!.DeploymentTarget);
        }

        [Fact]
        public void Parse_Foundational_IsRead()
        {
            Assert.True(ManifestParser.Parse(Minimal(",\n  \"foundational\": true")).Manifest!.Foundational);
        }

        // ---- Syntax ----

        [Fact]
        public void Parse_MissingComma_ReportsSyntaxErrorAndNoManifest()
        {
            ManifestParseResult result = ManifestParser.Parse("{\n  \"service\": \"orders\"\n    \"owner\": \"team\"\n}");

            Assert.Null(result.Manifest);
            Assert.True(result.HasErrors);
            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Syntax, "", 3, 5);
            Assert.Equal("Expected ',' or '}' after a property value but found '\"'", d.Message);
        }

        [Fact]
        public void Parse_CommentsTrailingCommasAndBom_AreAccepted()
        {
            string json = "\uFEFF// orders service\n{\n  \"service\": \"orders\", /* the team */ \"owner\": \"team-orders\",\n  \"availability\": { \"target\": \"99.9%\", },\n}";

            ManifestParseResult result = ManifestParser.Parse(json);

            Assert.Empty(result.Diagnostics);
            Assert.Equal(99.9m, result.Manifest!.AvailabilityTarget);
        }

        [Fact]
        public void Parse_RootIsArray_ReportsStructureAtRoot()
        {
            ManifestParseResult result = ManifestParser.Parse("\n  [ { \"service\": \"orders\" } ]");

            Assert.NotNull(result.Manifest);
            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "", 2, 3);
            Assert.Contains("must be a JSON object but found an array", d.Message);
        }

        // ---- Owner ----

        [Fact]
        public void Parse_OwnerMissing_ReportsOwnerAtRootObject()
        {
            ManifestDiagnostic d = Single("{\n  \"service\": \"orders\",\n  \"availability\": { \"target\": 99.9 }\n}");

            AssertDiagnostic(d, ManifestDiagnosticKind.Owner, "owner", 1, 1);
            Assert.Contains("'owner' is missing", d.Message);
        }

        [Theory]
        [InlineData("\"\"")]
        [InlineData("\"   \"")]
        public void Parse_OwnerEmptyOrWhitespace_ReportsOwner(string owner)
        {
            ManifestParseResult result = ManifestParser.Parse(WithOwner(owner));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Owner, "owner", 3, 12);
            Assert.Contains("empty", d.Message);
            Assert.Null(result.Manifest!.Owner);
        }

        [Fact]
        public void Parse_OwnerGivenAsArray_ReportsOwnerErrorListingTheTeams()
        {
            ManifestParseResult result = ManifestParser.Parse(WithOwner("[\"team-a\", \"team-b\"]"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Owner, "owner", 3, 12);
            Assert.Equal(
                "Property 'owner' must name exactly one owning team (single team ownership) but found an array of 2 teams: \"team-a\", \"team-b\"; give one team as a string",
                d.Message);
            Assert.Null(result.Manifest!.Owner);
        }

        [Theory]
        [InlineData("42", "42")]
        [InlineData("{ \"name\": \"team\" }", "an object")]
        [InlineData("true", "a boolean (true)")]
        [InlineData("null", "null")]
        public void Parse_OwnerNotAString_ReportsOwner(string owner, string found)
        {
            ManifestDiagnostic d = Single(WithOwner(owner));

            AssertDiagnostic(d, ManifestDiagnosticKind.Owner, "owner", 3, 12);
            Assert.Equal("Property 'owner' must be a string but found " + found, d.Message);
        }

        // ---- Availability target ----

        [Fact]
        public void Parse_TargetAndExposureMissing_ReportsAvailabilityTargetAtAvailabilityObject()
        {
            ManifestDiagnostic d = Single(WithAvailability("{ }"));

            AssertDiagnostic(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.target", 4, 19);
            Assert.Contains("financialExposurePerHour", d.Message);
        }

        [Fact]
        public void Parse_AvailabilityMissing_ReportsAvailabilityTargetAtRoot()
        {
            ManifestDiagnostic d = Single("{\n  \"service\": \"orders\",\n  \"owner\": \"t\"\n}");

            AssertDiagnostic(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.target", 1, 1);
        }

        [Theory]
        [InlineData("99.9", 99.9)]
        [InlineData("\"99.9\"", 99.9)]
        [InlineData("\"99.9%\"", 99.9)]
        [InlineData("\" 99.95 % \"", 99.95)]
        [InlineData("95", 95.0)]
        [InlineData("0.5", 0.5)]
        public void Parse_TargetInAcceptedForm_IsRead(string target, double expected)
        {
            ManifestParseResult result = ManifestParser.Parse("{\"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": " + target + " }}");

            Assert.Empty(result.Diagnostics);
            Assert.Equal((decimal)expected, result.Manifest!.AvailabilityTarget);
        }

        [Theory]
        [InlineData("\"three nines\"", "\"three nines\"")]
        [InlineData("true", "a boolean (true)")]
        [InlineData("\"99.9.9\"", "\"99.9.9\"")]
        [InlineData("\"1e2\"", "\"1e2\"")]
        [InlineData("[99.9]", "an array")]
        [InlineData("null", "null")]
        public void Parse_TargetInUnknownFormat_ReportsAcceptedForms(string target, string shown)
        {
            ManifestParseResult result = ManifestParser.Parse(WithAvailability("{ \"target\": " + target + " }"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.target", 4, 31);
            Assert.Equal(
                "Property 'availability.target' has an unknown format: " + shown + "; accepted: a number such as 99.9, or a string such as \"99.9\" or \"99.9%\"",
                d.Message);
            Assert.Null(result.Manifest!.AvailabilityTarget);
        }

        [Theory]
        [InlineData("100", "100")]
        [InlineData("0", "0")]
        [InlineData("-5", "-5")]
        [InlineData("\"100%\"", "100")]
        [InlineData("150.5", "150.5")]
        [InlineData("1e300", "1e300")]
        public void Parse_TargetOutOfRange_ReportsAvailabilityTarget(string target, string shown)
        {
            ManifestDiagnostic d = Single(WithAvailability("{ \"target\": " + target + " }"));

            AssertDiagnostic(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.target", 4, 31);
            Assert.Equal("Property 'availability.target' is " + shown + ", out of range: it must be greater than 0 and less than 100", d.Message);
        }

        [Theory]
        [InlineData("99.99999999999999999999999999999")]
        [InlineData("1e-400")]
        [InlineData("-0")]
        [InlineData("79228162514264337593543950335")]
        public void Parse_TargetOutOfRangeOnlyAfterRounding_ReportsItAsWritten(string target)
        {
            ManifestDiagnostic d = Single(WithAvailability("{ \"target\": " + target + " }"));

            AssertDiagnostic(d, ManifestDiagnosticKind.AvailabilityTarget, "availability.target", 4, 31);
            Assert.Equal("Property 'availability.target' is " + target + ", out of range: it must be greater than 0 and less than 100", d.Message);
        }

        [Theory]
        [InlineData("1000000000000000.01")]
        [InlineData("1e16")]
        [InlineData("79228162514264337593543950335")]
        [InlineData("1e300")]
        public void Parse_ExposureOverTheLimit_ReportsOutOfRangeAtTheValue(string exposure)
        {
            string json = WithAvailability("{ \"target\": 99.9, \"financialExposurePerHour\": " + exposure + " }");

            ManifestParseResult result = ManifestParser.Parse(json);

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "availability.financialExposurePerHour", 4, json.Split('\n')[3].IndexOf(exposure, StringComparison.Ordinal) + 1);
            Assert.Equal("Property 'availability.financialExposurePerHour' is " + exposure + ", out of range: a financial exposure per hour is at most 1000000000000000 (10^15)", d.Message);
            Assert.Null(result.Manifest!.FinancialExposurePerHour);
        }

        [Theory]
        [InlineData("-1e300")]
        [InlineData("-0.0000001")]
        public void Parse_NegativeExposure_ReportsNegative(string exposure)
        {
            ManifestDiagnostic d = Single(WithAvailability("{ \"target\": 99.9, \"financialExposurePerHour\": " + exposure + " }"));

            Assert.Equal("Property 'availability.financialExposurePerHour' is " + exposure + " but a financial exposure cannot be negative", d.Message);
        }

        [Theory]
        [InlineData("1000000000000000", "1000000000000000")]
        [InlineData("1e15", "1000000000000000")]
        [InlineData("-0", "0")]
        [InlineData("0.000", "0")]
        [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
        public void Parse_ExposureWithinTheLimit_IsRead(string exposure, string expected)
        {
            ManifestParseResult result = ManifestParser.Parse(WithAvailability("{ \"financialExposurePerHour\": " + exposure + " }"));

            Assert.Empty(result.Diagnostics);
            Assert.Equal(expected, result.Manifest!.FinancialExposurePerHour!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void Parse_TargetDisagreesWithExposureBands_ReportsMismatchNamingBothNumbers()
        {
            ManifestParseResult result = ManifestParser.Parse(WithAvailability("{ \"target\": 99.0, \"financialExposurePerHour\": 810000 }"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.AvailabilityMismatch, "availability.target", 4, 31);
            Assert.Equal(
                "Property 'availability.target' is 99.0 but 'availability.financialExposurePerHour' 810000 selects 99.9 with the default exposure bands; declare 99.9 or explain the difference",
                d.Message);
            Assert.Equal(99.0m, result.Manifest!.AvailabilityTarget); // the declared target stands
        }

        [Theory]
        [InlineData("99.9", 810000)]
        [InlineData("\"99.90%\"", 800000)]
        [InlineData("95", 7000)]
        public void Parse_TargetMatchesExposureBand_NoDiagnostic(string target, int exposure)
        {
            ManifestParseResult result = ManifestParser.Parse("{\"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": " + target + ", \"financialExposurePerHour\": " + exposure + " }}");

            Assert.Empty(result.Diagnostics);
        }

        // ---- Structure ----

        [Fact]
        public void Parse_NegativeExposure_ReportsStructure()
        {
            ManifestParseResult result = ManifestParser.Parse(WithAvailability("{ \"financialExposurePerHour\": -1 }"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "availability.financialExposurePerHour", 4, 49);
            Assert.Contains("cannot be negative", d.Message);
            Assert.Null(result.Manifest!.AvailabilityTarget);
        }

        [Theory]
        [InlineData("\"contacts\": \"#team\"", "contacts", 3, 15, "Property 'contacts' must be an object but found \"#team\"")]
        [InlineData("\"contacts\": { \"chat\": 5 }", "contacts.chat", 3, 25, "Property 'contacts.chat' must be a string but found 5")]
        [InlineData("\"productDomain\": [\"a\"]", "productDomain", 3, 20, "Property 'productDomain' must be a string but found an array")]
        [InlineData("\"foundational\": \"yes\"", "foundational", 3, 19, "Property 'foundational' must be true or false but found \"yes\"")]
        [InlineData("\"databases\": {}", "databases", 3, 16, "Property 'databases' must be an array but found an object")]
        [InlineData("\"databases\": [\"orders-db\"]", "databases[0]", 3, 17, "Property 'databases[0]' must be an object but found \"orders-db\"")]
        [InlineData("\"databases\": [{ \"connectionStrings\": [] }]", "databases[0].name", 3, 17, "Property 'databases[0].name' is missing")]
        [InlineData("\"databases\": [{ \"name\": \"db\", \"connectionStrings\": \"Orders\" }]", "databases[0].connectionStrings", 3, 54, "Property 'databases[0].connectionStrings' must be an array of connection-string names but found \"Orders\"")]
        [InlineData("\"reads\": [{ \"name\": \"replica\" }]", "reads[0].owner", 3, 13, "Property 'reads[0].owner' is missing")]
        [InlineData("\"dependencies\": [{ \"name\": \"payments\", \"critical\": 1 }]", "dependencies[0].critical", 3, 54, "Property 'dependencies[0].critical' must be true or false but found 1")]
        [InlineData("\"runbook\": \"\"", "runbook", 3, 14, "Property 'runbook' is empty: give a non-blank string")]
        [InlineData("\"service\": 7", "service", 3, 14, "Property 'service' must be a string but found 7")]
        [InlineData("\"deployment\": { \"featureDemand\": \"extreme\" }", "deployment.featureDemand", 3, 36, "Property 'deployment.featureDemand' is \"extreme\", not a known feature demand; accepted: \"low\", \"medium\", \"high\", \"very-high\"")]
        [InlineData("\"deployment\": { \"target\": \"Weekly\" }", "deployment.target", 3, 29, "Property 'deployment.target' is \"Weekly\", not a known deployment target; accepted: \"monthly\", \"fortnightly\", \"weekly\", \"daily\"")]
        [InlineData("\"onCall\": { \"outOfHours\": \"everyone\" }", "onCall.outOfHours", 3, 29, "Property 'onCall.outOfHours' is \"everyone\", not a known on-call level; accepted: \"none\", \"domain\", \"team\"")]
        public void Parse_WrongShapeForKnownProperty_ReportsStructureAtValue(string line, string path, int lineNumber, int column, string message)
        {
            // "service" is declared first so a replacement "service" line is a duplicate; use a manifest without it then.
            string json = line.StartsWith("\"service\"", StringComparison.Ordinal)
                ? "{\n  \"owner\": \"t\",\n  " + line + ",\n  \"availability\": { \"target\": 99.9 }\n}"
                : "{\n  \"service\": \"s\", \"owner\": \"t\", \"availability\": { \"target\": 99.9 },\n  " + line + "\n}";

            ManifestDiagnostic d = Single(json);

            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, path, lineNumber, column);
            Assert.Equal(message, d.Message);
        }

        [Fact]
        public void Parse_ServiceMissing_ReportsStructureAtRoot()
        {
            ManifestDiagnostic d = Single("{ \"owner\": \"t\", \"availability\": { \"target\": 99.9 } }");

            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "service", 1, 1);
        }

        [Fact]
        public void Parse_DuplicateDatabaseNamesDifferingInCase_ReportsSecond()
        {
            string json = Minimal(",\n  \"databases\": [\n    { \"name\": \"orders-db\" },\n    { \"name\": \"Orders-DB\" }\n  ]");

            ManifestParseResult result = ManifestParser.Parse(json);

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "databases[1].name", 7, 15);
            Assert.Equal("Database \"Orders-DB\" at 'databases[1].name' is already declared at 'databases[0].name' (database names are compared case-insensitively)", d.Message);
            Assert.Single(result.Manifest!.Databases);
        }

        [Fact]
        public void Parse_ConnectionStringClaimedByTwoDatabases_ReportsSecondClaim()
        {
            string json = Minimal(",\n  \"databases\": [\n    { \"name\": \"a\", \"connectionStrings\": [\"Main\"] },\n    { \"name\": \"b\", \"connectionStrings\": [\"Other\", \"MAIN\"] }\n  ]");

            ManifestParseResult result = ManifestParser.Parse(json);

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "databases[1].connectionStrings[1]", 7, 51);
            Assert.Equal("Connection string \"MAIN\" at 'databases[1].connectionStrings[1]' is already claimed by the database at 'databases[0]'; a connection string reaches one database", d.Message);
            Assert.Equal(new[] { "Other" }, result.Manifest!.Databases[1].ConnectionStrings);
        }

        [Fact]
        public void Parse_ConnectionStringBothOwnedAndRead_ReportsReadClaim()
        {
            string json = Minimal(",\n  \"databases\": [{ \"name\": \"a\", \"connectionStrings\": [\"Main\"] }],\n  \"reads\": [{ \"name\": \"r\", \"owner\": \"x\", \"connectionStrings\": [\"Main\"] }]");

            ManifestDiagnostic d = Single(json);

            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "reads[0].connectionStrings[0]", 6, 64);
        }

        [Theory]
        [InlineData("\"00:00:00\"")]
        [InlineData("\"-00:00:02\"")]
        [InlineData("\"2s\"")]
        [InlineData("\"00:00:60\"")]
        [InlineData("0")]
        [InlineData("-3")]
        [InlineData("-1e300")]
        [InlineData("true")]
        public void Parse_InvalidTimeout_ReportsStructureAtTimeout(string timeout)
        {
            string json = Minimal(",\n  \"dependencies\": [ { \"name\": \"payments\", \"timeout\": " + timeout + " } ]");

            ManifestParseResult result = ManifestParser.Parse(json);

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "dependencies[0].timeout", 5, 54);
            Assert.StartsWith("Property 'dependencies[0].timeout' is not a valid timeout: ", d.Message);
            Assert.Null(Assert.Single(result.Manifest!.Dependencies).Timeout);
        }

        [Theory]
        [InlineData("1e22", "1e22 seconds")]
        [InlineData("1e300", "1e300 seconds")]
        [InlineData("79228162514264337593543950335", "79228162514264337593543950335 seconds")]
        [InlineData("2147483.64751", "2147483.64751 seconds")]
        [InlineData("\"24.20:31:23.6470001\"", "\"24.20:31:23.6470001\"")]
        [InlineData("\"10675199.02:48:05.4775807\"", "\"10675199.02:48:05.4775807\"")]
        public void Parse_TimeoutOverTheLimit_ReportsOutOfRangeAtTimeoutAndNoValue(string timeout, string shown)
        {
            string json = Minimal(",\n  \"dependencies\": [ { \"name\": \"payments\", \"timeout\": " + timeout + " } ]");

            ManifestParseResult result = ManifestParser.Parse(json);

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "dependencies[0].timeout", 5, 54);
            Assert.Equal(
                "Property 'dependencies[0].timeout' is " + shown + ", out of range: a timeout is at most 2147483.647 seconds (24.20:31:23.6470000, the longest a .NET timer waits)",
                d.Message);
            Assert.Null(Assert.Single(result.Manifest!.Dependencies).Timeout);
        }

        [Theory]
        [InlineData("1e-8")]
        [InlineData("0.00000004999")]
        public void Parse_TimeoutShorterThanATick_ReportsStructureAtTimeout(string timeout)
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"dependencies\": [ { \"name\": \"payments\", \"timeout\": " + timeout + " } ]"));

            ManifestDiagnostic d = Assert.Single(result.Diagnostics);
            AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "dependencies[0].timeout", 5, 54);
            Assert.Equal("Property 'dependencies[0].timeout' is " + timeout + " seconds, shorter than the shortest timeout (0.0000001 seconds, one tick)", d.Message);
        }

        [Theory]
        [InlineData("2147483.647")]
        [InlineData("2147483.64700004")]
        [InlineData("\"24.20:31:23.6470000\"")]
        public void Parse_TimeoutAtTheLimit_IsReadAsMaxTimeout(string timeout)
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"dependencies\": [ { \"name\": \"payments\", \"timeout\": " + timeout + " } ]"));

            Assert.Empty(result.Diagnostics);
            Assert.Equal(ServiceDependency.MaxTimeout, result.Manifest!.Dependencies[0].Timeout);
            Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), ServiceDependency.MaxTimeout);
        }

        [Theory]
        [InlineData("\"00:00:02\"", 2.0)]
        [InlineData("\"00:00:00.250\"", 0.25)]
        [InlineData("\"1.00:00:00\"", 86400.0)]
        [InlineData("30", 30.0)]
        [InlineData("0.1", 0.1)]
        public void Parse_ValidTimeout_IsRead(string timeout, double seconds)
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"dependencies\": [ { \"name\": \"payments\", \"timeout\": " + timeout + " } ]"));

            Assert.Empty(result.Diagnostics);
            Assert.Equal(TimeSpan.FromSeconds(seconds), result.Manifest!.Dependencies[0].Timeout);
        }

        [Fact]
        public void Parse_DuplicatePropertyName_ReportsStructureAtSecondName()
        {
            ManifestParseResult result = ManifestParser.Parse("{\n  \"service\": \"s\",\n  \"owner\": \"t\",\n  \"availability\": { \"target\": 99.9,\n    \"target\": 95 },\n  \"owner\": \"u\"\n}");

            Assert.Collection(
                result.Diagnostics,
                d => AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "availability.target", 5, 5),
                d =>
                {
                    AssertDiagnostic(d, ManifestDiagnosticKind.Structure, "owner", 6, 3);
                    Assert.Equal("Property 'owner' is declared twice (first at 3:3); only the first value is used", d.Message);
                });
            Assert.Equal("t", result.Manifest!.Owner);
            Assert.Equal(99.9m, result.Manifest.AvailabilityTarget);
        }

        [Fact]
        public void Parse_UnknownTopLevelProperty_IsIgnored()
        {
            ManifestParseResult result = ManifestParser.Parse(Minimal(",\n  \"sloBurnRateAlerts\": { \"fast\": 14.4 }"));

            Assert.False(result.HasErrors);
        }

        [Fact]
        public void Parse_SeveralProblems_AreAllReportedInDocumentOrder()
        {
            string json = "{\n  \"owner\": [\"a\", \"b\"],\n  \"availability\": { \"target\": \"high\" },\n  \"deployment\": { \"featureDemand\": \"huge\" }\n}";

            ManifestParseResult result = ManifestParser.Parse(json);

            Assert.Equal(
                new[] { ManifestDiagnosticKind.Structure, ManifestDiagnosticKind.Owner, ManifestDiagnosticKind.AvailabilityTarget, ManifestDiagnosticKind.Structure },
                result.Diagnostics.Select(d => d.Kind));
            Assert.Equal(new[] { 1, 2, 3, 4 }, result.Diagnostics.Select(d => d.Position.Line));
        }

        [Fact]
        public void Parse_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => ManifestParser.Parse(null!));
        }
    }
}
