using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Operability.Cli.Tests
{
    public sealed class ExitCodeTableTests
    {
        [Fact]
        public void EveryExitCode_HasARowInTheDocumentedTable()
        {
            string docs = File.ReadAllText(Path.Combine(Cli.RepositoryRoot, "docs", "cli.md"));
            int[] codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(int))
                .Select(f => (int)f.GetRawConstantValue()!)
                .ToArray();

            Assert.Contains(ExitCodes.MeasurementUnavailable, codes);
            foreach (int code in codes)
            {
                Assert.Contains("\n| " + code + " | ", docs.Replace("\r", string.Empty));
            }
        }

        [Fact]
        public void Worst_RanksAsDocumented_UnavailableMeasurementOverInputOverNoManifestsOverFindings()
        {
            Assert.Equal(ExitCodes.MeasurementUnavailable, ExitCodes.Worst(ExitCodes.InputUnreadable, ExitCodes.MeasurementUnavailable));
            Assert.Equal(ExitCodes.MeasurementUnavailable, ExitCodes.Worst(ExitCodes.MeasurementUnavailable, ExitCodes.NoManifests));
            Assert.Equal(ExitCodes.InputUnreadable, ExitCodes.Worst(ExitCodes.NoManifests, ExitCodes.InputUnreadable));
            Assert.Equal(ExitCodes.NoManifests, ExitCodes.Worst(ExitCodes.Findings, ExitCodes.NoManifests));
            Assert.Equal(ExitCodes.Findings, ExitCodes.Worst(ExitCodes.Ok, ExitCodes.Findings));
        }
    }
}
