using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Operability.Analyzers.Tests
{
    /// <summary>Every rule is documented, release-tracked and wired into the package's CI behaviour.</summary>
    public sealed class RuleCatalogueTests
    {
        private static readonly string RepoRoot = FindRepoRoot();

        public static IEnumerable<object[]> AllDescriptors() =>
            Descriptors().Select(d => new object[] { d.Id });

        [Fact]
        public void EveryRuleId_HasExactlyOneDescriptorReportedByAnAnalyzer()
        {
            var ids = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
            var reported = Descriptors().Select(d => d.Id).ToList();

            Assert.Equal(ids.OrderBy(x => x), reported.OrderBy(x => x));
            Assert.Equal(reported.Count, reported.Distinct().Count());
        }

        [Theory]
        [MemberData(nameof(AllDescriptors))]
        public void Descriptor_HelpLinkPointsAtAnExistingDocsPage(string id)
        {
            var descriptor = Descriptors().Single(d => d.Id == id);
            Assert.Equal(RuleDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
            var page = Path.Combine(RepoRoot, "docs", "rules", id + ".md");
            Assert.True(File.Exists(page), $"missing docs page {page}");
            var text = File.ReadAllText(page);
            Assert.StartsWith("# " + id + ":", text, StringComparison.Ordinal);
            foreach (var heading in new[] { "## Why", "## How to fix", "## Configuration", "## Example" })
            {
                Assert.Contains(heading, text, StringComparison.Ordinal);
            }
        }

        [Theory]
        [MemberData(nameof(AllDescriptors))]
        public void Descriptor_IsReleaseTrackedWithItsCategoryAndSeverity(string id)
        {
            var descriptor = Descriptors().Single(d => d.Id == id);
            var tracking = File.ReadAllLines(Path.Combine(RepoRoot, "src", "Operability.Analyzers", "AnalyzerReleases.Unshipped.md"))
                .Concat(File.ReadAllLines(Path.Combine(RepoRoot, "src", "Operability.Analyzers", "AnalyzerReleases.Shipped.md")));
            var row = tracking.Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray()).SingleOrDefault(cells => cells[0] == id);
            Assert.NotNull(row);
            Assert.Equal(descriptor.Category, row![1]);
            Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
        }

        [Theory]
        [MemberData(nameof(AllDescriptors))]
        public void Descriptor_TitleAndMessageAreSentencesWithoutTrailingPeriod(string id)
        {
            var descriptor = Descriptors().Single(d => d.Id == id);
            var title = descriptor.Title.ToString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.False(title.EndsWith(".", StringComparison.Ordinal));
            Assert.True(char.IsUpper(title[0]) || title.StartsWith("operability.json", StringComparison.Ordinal));
            Assert.StartsWith("Operability.", descriptor.Category, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        }

        [Fact]
        public void CiErrorRuleList_InPackageProps_IsExactlyTheWarningLevelRules()
        {
            var props = XDocument.Load(Path.Combine(RepoRoot, "src", "Operability.Analyzers.Package", "buildTransitive", "Operability.Analyzers.props"));
            var listed = props.Descendants("OperabilityCiErrorRules").Single().Value
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .OrderBy(x => x);
            var warnings = Descriptors().Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning).Select(d => d.Id).OrderBy(x => x);

            Assert.Equal(warnings, listed);
        }

        [Fact]
        public void MsbuildDocs_GiveTheCiErrorRuleListOfThePackageProps()
        {
            var props = XDocument.Load(Path.Combine(RepoRoot, "src", "Operability.Analyzers.Package", "buildTransitive", "Operability.Analyzers.props"));
            var listed = props.Descendants("OperabilityCiErrorRules").Single().Value.Trim();
            var docs = File.ReadAllText(Path.Combine(RepoRoot, "docs", "msbuild.md"));

            Assert.Contains("`OperabilityCiErrorRules`, by default\n  `" + listed + "`", docs.Replace("\r\n", "\n"));
        }

        [Fact]
        public void ReadmeRulesTable_ListsEveryRuleWithItsSeverity()
        {
            var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
            foreach (var descriptor in Descriptors())
            {
                var row = new Regex(@"^\|\s*\[" + descriptor.Id + @"\]\(docs/rules/" + descriptor.Id + @"\.md\)\s*\|[^\n]*\|\s*" + descriptor.DefaultSeverity + @"\s*\|", RegexOptions.Multiline);
                Assert.Matches(row, readme);
            }
        }

        private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
            typeof(RuleIds).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
                .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
                .GroupBy(d => d.Id)
                .Select(g => g.First());

        private static string FindRepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operability.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Operability.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
