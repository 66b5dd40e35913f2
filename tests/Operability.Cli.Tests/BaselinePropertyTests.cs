using System.Linq;
using CsCheck;
using Operability.Analyzers.Baseline;
using Xunit;

namespace Operability.Cli.Tests
{
    /// <summary>What the writer writes (System.Text.Json) the analyzers read back (their own JSON reader), whatever the text.</summary>
    public sealed class BaselinePropertyTests
    {
        // Text as source files hold it: any Unicode, quotes, backslashes, control characters; no lone surrogates.
        private static readonly Gen<string> Text = Gen.OneOf(
                Gen.String,
                Gen.Char["\"\\/\n\r\t\u0000\u2028\u00e9\u4e2d{}[]:, "].Array[0, 20].Select(chars => new string(chars)),
                Gen.Const("\ud83d\ude00 new HttpClient()"))
            .Where(text => !text.Where((c, i) => char.IsSurrogate(text, i) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]))).Any());

        private static readonly Gen<(BaselineFingerprint Fingerprint, string Justification)> Entry =
            Gen.Select(Gen.OneOf(Gen.Const("OPS101"), Gen.Const("OPS305")), Text, Text, Text, Gen.Int[0, int.MaxValue], Text.Where(t => t.Length > 0))
                .Select((rule, file, member, expression, occurrence, justification) => (new BaselineFingerprint(rule, file, member, expression, occurrence), justification));

        [Fact]
        public void WrittenBaseline_ReadsBackAsTheSameEntries()
        {
            Entry.Array[0, 8].Sample(entries =>
            {
                BaselineDocument read = BaselineDocument.Parse(BaselineWriteCommand.Serialize(entries));
                return read.Problems.Count == 0
                    && read.Entries.Select(e => (e.Fingerprint, e.Justification)).SequenceEqual(entries)
                    && read.Entries.All(e => e.Fingerprint.Occurrence == entries[e.Index].Fingerprint.Occurrence);
            }, iter: 300);
        }

        [Fact]
        public void AnyText_ParsesWithoutThrowing_AndEveryProblemHasAPosition()
        {
            Gen.OneOf(
                    EstatePropertyTests.JsonLike,
                    Gen.Int[0, 100].Select(depth => "{ \"version\": 1, \"entries\": " + new string('[', depth) + new string(']', depth) + " }"),
                    Entry.Array[0, 3].Select(entries => BaselineWriteCommand.Serialize(entries)).Select(json => json.Replace("\"occurrence\": ", "\"occurrence\": -")))
                .Sample(text =>
                {
                    BaselineDocument read = BaselineDocument.Parse(text);
                    return read.Problems.All(p => p.Position.IsKnown && p.Message.Length > 0);
                }, iter: 500);
        }
    }
}
