using System.Collections.Generic;
using System.Linq;
using Operability.Manifest.Json;
using Xunit;

namespace Operability.Manifest.Tests
{
    public sealed class JsonReaderTests
    {
        private static JsonNode ReadValid(string text)
        {
            JsonReadResult result = JsonReader.Read(text);
            Assert.True(result.Error == null, result.Error?.Position + " " + result.Error?.Message);
            return result.Root!;
        }

        private static JsonSyntaxError ReadInvalid(string text)
        {
            JsonReadResult result = JsonReader.Read(text);
            Assert.Null(result.Root);
            return Assert.IsType<JsonSyntaxError>(result.Error);
        }

        private static string ReadString(string json) => Assert.IsType<JsonString>(ReadValid(json)).Value;

        [Theory]
        [InlineData(@"""a\""b""", "a\"b")]
        [InlineData(@"""a\\b""", "a\\b")]
        [InlineData(@"""a\/b""", "a/b")]
        [InlineData(@"""\b\f\n\r\t""", "\b\f\n\r\t")]
        [InlineData(@"""\u0041\u00e9\u20AC""", "Aé€")]
        [InlineData(@"""\u0000""", "\0")]
        [InlineData(@"""plain""", "plain")]
        [InlineData(@"""""", "")]
        public void Read_StringEscapes_AreDecoded(string json, string expected)
        {
            Assert.Equal(expected, ReadString(json));
        }

        [Fact]
        public void Read_EscapedSurrogatePair_DecodesOneCodePoint()
        {
            Assert.Equal("\U0001F600", ReadString(@"""\uD83D\uDE00"""));
        }

        [Fact]
        public void Read_RawSurrogatePair_IsKeptAndCountsTwoColumns()
        {
            JsonObject obj = Assert.IsType<JsonObject>(ReadValid("{\"a\":\"\U0001F600\",\"b\":1}"));
            Assert.Equal("\U0001F600", Assert.IsType<JsonString>(obj.Find("a")!.Value).Value);
            // {"a":"😀", → the emoji is two UTF-16 units, so "b" starts at column 11.
            Assert.Equal(new SourcePosition(1, 11), obj.Find("b")!.NamePosition);
        }

        [Theory]
        [InlineData("0", "0")]
        [InlineData("-0", "0")]
        [InlineData("42", "42")]
        [InlineData("-17", "-17")]
        [InlineData("99.9", "99.9")]
        [InlineData("1e3", "1000")]
        [InlineData("1E+2", "100")]
        [InlineData("2.5e-1", "0.25")]
        [InlineData("810000", "810000")]
        public void Read_Number_KeepsRawTextAndParsesDecimal(string json, string expected)
        {
            JsonNumber number = Assert.IsType<JsonNumber>(ReadValid(json));
            Assert.Equal(json, number.RawText);
            Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), number.DecimalValue);
        }

        [Fact]
        public void Read_NumberBeyondDecimal_FallsBackToDouble()
        {
            JsonNumber number = Assert.IsType<JsonNumber>(ReadValid("1e300"));
            Assert.Null(number.DecimalValue);
            Assert.Equal(1e300, number.DoubleValue);
        }

        [Fact]
        public void Read_Literals_HaveTheirKinds()
        {
            JsonArray array = Assert.IsType<JsonArray>(ReadValid("[true, false, null]"));
            Assert.Equal(new[] { JsonKind.True, JsonKind.False, JsonKind.Null }, new[] { array.Items[0].Kind, array.Items[1].Kind, array.Items[2].Kind });
        }

        [Fact]
        public void Read_NestedValues_RecordLineAndColumn()
        {
            string json = "{\n  \"a\": [1,\n\t{\"b\": null}],\r\n  \"c\": \"x\"\n}";
            JsonObject root = Assert.IsType<JsonObject>(ReadValid(json));
            Assert.Equal(new SourcePosition(1, 1), root.Position);
            JsonProperty a = root.Find("a")!;
            Assert.Equal(new SourcePosition(2, 3), a.NamePosition);
            JsonArray array = Assert.IsType<JsonArray>(a.Value);
            Assert.Equal(new SourcePosition(2, 8), array.Position);
            Assert.Equal(new SourcePosition(2, 9), array.Items[0].Position);
            JsonObject inner = Assert.IsType<JsonObject>(array.Items[1]);
            Assert.Equal(new SourcePosition(3, 2), inner.Position); // tab counts as one column
            Assert.Equal(new SourcePosition(3, 8), inner.Find("b")!.Value.Position);
            Assert.Equal(new SourcePosition(4, 8), root.Find("c")!.Value.Position); // \r\n is one line break
        }

        [Fact]
        public void Read_CommentsAndTrailingCommas_AreTolerated()
        {
            string json = "// leading\n{ /* block\n comment */ \"a\": [1, 2, ], // after\n \"b\": {\"c\": 1,}, }\n/* end */";
            JsonObject root = Assert.IsType<JsonObject>(ReadValid(json));
            Assert.Equal(2, Assert.IsType<JsonArray>(root.Find("a")!.Value).Items.Count);
            Assert.Equal(new SourcePosition(3, 13), root.Find("a")!.NamePosition);
            Assert.Equal(new SourcePosition(4, 2), root.Find("b")!.NamePosition);
        }

        [Fact]
        public void Read_ByteOrderMark_IsSkippedAndNotCounted()
        {
            JsonObject root = Assert.IsType<JsonObject>(ReadValid("\uFEFF{\"a\": 1}"));
            Assert.Equal(new SourcePosition(1, 1), root.Position);
            Assert.Equal(new SourcePosition(1, 2), root.Find("a")!.NamePosition);
        }

        [Fact]
        public void Read_DeepNestingUpToLimit_IsAccepted()
        {
            string json = new string('[', JsonReader.MaxDepth) + new string(']', JsonReader.MaxDepth);
            Assert.IsType<JsonArray>(ReadValid(json));
        }

        [Fact]
        public void Read_NestingBeyondLimit_ReportsDepthAtTheOpeningBracket()
        {
            string json = new string('[', JsonReader.MaxDepth + 1) + new string(']', JsonReader.MaxDepth + 1);
            JsonSyntaxError error = ReadInvalid(json);
            Assert.Equal(new SourcePosition(1, JsonReader.MaxDepth + 1), error.Position);
            Assert.Contains("64 levels", error.Message);
        }

        [Fact]
        public void Read_DuplicatePropertyNames_ReportedWithPathAndBothPositions()
        {
            JsonReadResult result = JsonReader.Read("{\"a\": {\"x\": 1,\n \"x\": 2}, \"b\": [{\"y\": 1, \"y\": 1}]}");
            Assert.Null(result.Error);
            Assert.Collection(
                result.Duplicates,
                d =>
                {
                    Assert.Equal("a.x", d.Path);
                    Assert.Equal(new SourcePosition(2, 2), d.Position);
                    Assert.Equal(new SourcePosition(1, 8), d.FirstPosition);
                },
                d => Assert.Equal("b[0].y", d.Path));
        }

        [Fact]
        public void Read_DuplicatesDeepInArraysAndObjects_PathsNameEveryLevel()
        {
            JsonReadResult result = JsonReader.Read("[{\"a\": [{\"b\": [[], [{\"c\": 1, \"c\": 2}]]}], \"d\": {\"e\": {\"f\": 1, \"f\": 2}}}, [[{\"g\": 1, \"g\": 2}]]]");

            Assert.Null(result.Error);
            Assert.Equal(new[] { "[0].a[0].b[1][0].c", "[0].d.e.f", "[1][0][0].g" }, result.Duplicates.Select(d => d.Path));
        }

        [Fact]
        public void Read_DuplicateUnderALongNameInALargeArray_PathHasTheNameAndIndex()
        {
            string name = new string('n', 10_000);
            string json = LongNameOverLargeArray(name, 10_000, "{\"x\": 1, \"x\": 2}");

            JsonReadResult result = JsonReader.Read(json);

            Assert.Null(result.Error);
            JsonDuplicateProperty duplicate = Assert.Single(result.Duplicates);
            Assert.Equal(name + "[9999].x", duplicate.Path);
            Assert.Equal("x", duplicate.Name);
        }

        [Fact]
        public void Read_LongNameOverLargeArray_AllocatesLinearlyInTheInput()
        {
            // A path per element, built eagerly from a 10,000-character parent, allocated 800 MB for this 130 kB text.
            string json = LongNameOverLargeArray(new string('n', 10_000), 10_000, "{\"a\": [1, 2]}");
            JsonReader.Read(json);

            long before = System.GC.GetAllocatedBytesForCurrentThread();
            JsonReadResult result = JsonReader.Read(json);
            long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Null(result.Error);
            Assert.True(allocated < 200L * json.Length, "allocated " + allocated + " bytes reading " + json.Length + " characters");
        }

        private static string LongNameOverLargeArray(string name, int count, string lastElement)
        {
            var builder = new System.Text.StringBuilder("{\"").Append(name).Append("\": [");
            for (int i = 0; i < count - 1; i++)
            {
                builder.Append("{\"a\": [1, 2]},");
            }

            return builder.Append(lastElement).Append("]}").ToString();
        }

        public static IEnumerable<object[]> MalformedInputs() => new[]
        {
            // The missing comma at line 3 column 5.
            new object[] { "{\n  \"a\": 1\n    \"b\": 2\n}", 3, 5, "Expected ',' or '}' after a property value but found '\"'" },
            new object[] { "[1 2]", 1, 4, "Expected ',' or ']' after an array element but found '2'" },
            new object[] { "", 1, 1, "Expected a JSON value but found the end of the input" },
            new object[] { "   \n  ", 2, 3, "Expected a JSON value but found the end of the input" },
            new object[] { "{\"a\": 1} x", 1, 10, "Expected the end of the input after the root value but found 'x'" },
            new object[] { "{a: 1}", 1, 2, "Expected a property name in double quotes or '}' but found 'a'" },
            new object[] { "{'a': 1}", 1, 2, "Expected a property name in double quotes or '}' but found '''" },
            new object[] { "{\"a\" 1}", 1, 6, "Expected ':' after the property name \"a\" but found '1'" },
            new object[] { "{\"a\": }", 1, 7, "Expected a value for \"a\" but found '}'" },
            new object[] { "[,]", 1, 2, "Expected a value or ']' but found ','" },
            new object[] { "[1,,]", 1, 4, "Expected a value or ']' but found ','" },
            new object[] { "{\"a\": 1,,}", 1, 9, "Expected a property name in double quotes or '}' but found ','" },
            new object[] { "[tru]", 1, 2, "Expected a value or ']' but found 'tru'" },
            new object[] { "[True]", 1, 2, "Expected a value or ']' but found 'True'" },
            new object[] { "[nul", 1, 2, "Expected a value or ']' but found 'nul'" },
            new object[] { "[+1]", 1, 2, "Expected a value or ']' but found '+'" },
            new object[] { "[01]", 1, 3, "Leading zeros are not allowed: expected '.', 'e' or the end of the number after '0' but found '1'" },
            new object[] { "[-01]", 1, 4, "Leading zeros are not allowed: expected '.', 'e' or the end of the number after '0' but found '1'" },
            new object[] { "[-]", 1, 3, "Expected a digit after '-' but found ']'" },
            new object[] { "[1.]", 1, 4, "Expected a digit after the decimal point but found ']'" },
            new object[] { "[.5]", 1, 2, "Expected a value or ']' but found '.'" },
            new object[] { "[1e]", 1, 4, "Expected a digit in the exponent but found ']'" },
            new object[] { "[1e+]", 1, 5, "Expected a digit in the exponent but found ']'" },
            new object[] { "[NaN]", 1, 2, "Expected a value or ']' but found 'NaN'" },
            new object[] { "{\"a\": 1", 1, 8, "Expected ',' or '}' after a property value but found the end of the input" },
            new object[] { "[1,", 1, 4, "Expected a value or ']' but found the end of the input" },
            new object[] { "\n  \"abc", 2, 3, "Unterminated string: expected a closing '\"' but found the end of the input" },
            new object[] { "[\"ab\ncd\"]", 1, 5, "Expected a closing '\"' for the string that starts at 1:2 but found a line break (escape it as \\n)" },
            new object[] { "[\"a\u0001\"]", 1, 4, "Control character U+0001 is not allowed in a string; escape it as \\u0001" },
            new object[] { "[\"a\tb\"]", 1, 4, "Control character U+0009 is not allowed in a string; escape it as \\u0009" },
            new object[] { "[\"\\x\"]", 1, 4, "Invalid escape sequence: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\' but found 'x'" },
            new object[] { "[\"\\'\"]", 1, 4, "Invalid escape sequence: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX after '\\' but found '''" },
            new object[] { "[\"\\u12G4\"]", 1, 7, "Expected 4 hexadecimal digits after \\u but found 'G'" },
            new object[] { "[\"\\u12\"]", 1, 7, "Expected 4 hexadecimal digits after \\u but found '\"'" },
            new object[] { "[\"x\\uD83D\"]", 1, 4, "Lone surrogate \\uD83D: a high surrogate must be followed by a low surrogate escape \\uDC00-\\uDFFF" },
            new object[] { "[\"\\uD83D\\u0041\"]", 1, 9, "Expected a low surrogate escape \\uDC00-\\uDFFF after \\uD83D but found \\u0041" },
            new object[] { "[\"\\uDE00\"]", 1, 3, "Lone surrogate \\uDE00: a low surrogate must follow a high surrogate escape \\uD800-\\uDBFF" },
            new object[] { "[\"\\", 1, 3, "Unterminated string: expected an escape sequence after '\\' but found the end of the input" },
            new object[] { "{\n  /* never closed\n", 2, 3, "Unterminated comment: expected '*/' to close the comment but found the end of the input" },
            new object[] { "[1, / 2]", 1, 6, "Expected '/' or '*' after '/' to start a comment but found U+0020" },
            new object[] { "{\"a\": 1}}", 1, 9, "Expected the end of the input after the root value but found '}'" },
            new object[] { "[\u00A0]", 1, 2, "Expected a value or ']' but found U+00A0" },
        };

        [Fact]
        public void Read_RawLoneSurrogateInString_ReportsItsPosition()
        {
            // Not theory data: xunit's serialization of theory rows would replace the lone surrogate with U+FFFD.
            JsonSyntaxError error = ReadInvalid("[\"a\uD83Db\"]");
            Assert.Equal("Lone surrogate U+D83D in a string: the text is not valid UTF-16", error.Message);
            Assert.Equal(new SourcePosition(1, 4), error.Position);
        }

        [Theory]
        [MemberData(nameof(MalformedInputs))]
        public void Read_MalformedInput_ReportsExpectedAndFoundAtOffendingCharacter(string json, int line, int column, string message)
        {
            JsonSyntaxError error = ReadInvalid(json);
            Assert.Equal(message, error.Message);
            Assert.Equal(new SourcePosition(line, column), error.Position);
        }
    }
}
