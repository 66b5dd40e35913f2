using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Operability.Analyzers.Baseline;
using Xunit;

namespace Operability.Analyzers.Tests.Baseline
{
    public sealed class BaselineFingerprintTests
    {
        private static BaselineFingerprint At(string source, string flagged)
        {
            var tree = CSharpSyntaxTree.ParseText(source, path: "/repo/Service/Clients/Orders.cs");
            var span = new TextSpan(source.IndexOf(flagged, System.StringComparison.Ordinal), flagged.Length);
            return BaselineFingerprint.InSource("OPS101", BaselineFingerprint.RelativePath(tree.FilePath, "/repo/Service"), tree, span, tree.GetText());
        }

        [Theory]
        [InlineData("namespace Shop { class C { void M(int a, ref string b) { var x = FLAG; } } }", "Shop.C.M(int, ref string)")]
        [InlineData("namespace Shop.Orders; class C<T> { class Inner { C() { } Inner() { var x = FLAG; } } }", "Shop.Orders.C`1.Inner..ctor()")]
        [InlineData("class C { static C() { var x = FLAG; } }", "C..cctor()")]
        [InlineData("class C { object P { get { return FLAG; } } }", "C.P")]
        [InlineData("class C { object P => FLAG; }", "C.P")]
        [InlineData("class C { object _a = 1, _b = FLAG; }", "C._a, _b")]
        [InlineData("class C { void M<T>(System.Collections.Generic.List<T>   items) { void Local() { var x = FLAG; } } }", "C.M`1(System.Collections.Generic.List<T>)")]
        [InlineData("class C { int this[int i] => FLAG; }", "C.this[int]")]
        [InlineData("record R(int A) { object B = FLAG; }", "R.B")]
        [InlineData("var x = FLAG;\nSystem.Console.WriteLine(x);", BaselineFingerprint.TopLevelStatements)]
        [InlineData("[Attr(FLAG)] class C { }", "C")]
        public void Member_IsTheContainingDeclaration_AsWritten(string source, string member)
        {
            Assert.Equal(member, At(source, "FLAG").Member);
        }

        [Fact]
        public void Fingerprint_HasTheRelativeFileAndTheFlaggedTextWithWhitespaceCollapsed()
        {
            var fingerprint = At("class C { void M() { var c = new System.Net.Http.HttpClient(\n            ); } }", "new System.Net.Http.HttpClient(\n            )");

            Assert.Equal("Clients/Orders.cs", fingerprint.File);
            Assert.Equal("new System.Net.Http.HttpClient( )", fingerprint.Expression);
            Assert.Equal(0, fingerprint.Occurrence);
        }

        [Fact]
        public void Number_CountsEqualFindingsInOrder_AndOnlyThose()
        {
            var a = new BaselineFingerprint("OPS101", "A.cs", "C.M()", "new HttpClient()", 0);
            var other = new BaselineFingerprint("OPS101", "A.cs", "C.N()", "new HttpClient()", 0);

            var numbered = BaselineFingerprint.Number(new[] { a, other, a, a });

            Assert.Equal(new[] { 0, 0, 1, 2 }, System.Linq.Enumerable.Select(numbered, f => f.Occurrence));
        }

        [Fact]
        public void RelativePath_OutsideTheProject_KeepsTheFullPathWithForwardSlashes()
        {
            Assert.Equal("C:/shared/Common.cs", BaselineFingerprint.RelativePath(@"C:\shared\Common.cs", @"C:\repo\Service"));
            Assert.Equal("Program.cs", BaselineFingerprint.RelativePath(@"C:\repo\Service\Program.cs", @"C:\repo\Service\"));
        }
    }
}
