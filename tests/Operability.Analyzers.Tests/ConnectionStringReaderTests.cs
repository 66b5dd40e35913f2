using Xunit;

namespace Operability.Analyzers.Tests
{
    /// <summary>The DbConnectionStringBuilder rules the database ownership rules read literal connection strings with.</summary>
    public sealed class ConnectionStringReaderTests
    {
        [Fact]
        public void Read_KeysAreCaseInsensitiveAndTrimmed()
        {
            var pairs = ConnectionStringReader.Read("  Server = sql ; DATABASE= orders-db ;")!;

            Assert.Equal("sql", pairs["server"]);
            Assert.Equal("orders-db", pairs["Database"]);
        }

        [Fact]
        public void Read_LastKeyWins()
        {
            Assert.Equal("second", ConnectionStringReader.Read("Database=first;database=second")!["Database"]);
        }

        [Theory]
        [InlineData("Database='orders;db'", "orders;db")]
        [InlineData("Database=\"orders;db\"", "orders;db")]
        [InlineData("Database='it''s'", "it's")]
        [InlineData("Database=\"say \"\"hi\"\"\"", "say \"hi\"")]
        [InlineData("Database= 'padded'  ;Server=x", "padded")]
        [InlineData("Database=  spaced name  ", "spaced name")]
        [InlineData("Database=", "")]
        public void Read_Values(string text, string expected)
        {
            Assert.Equal(expected, ConnectionStringReader.Read(text)!["Database"]);
        }

        [Fact]
        public void Read_DoubledEqualsInKey_IsALiteralEquals()
        {
            Assert.Equal("v", ConnectionStringReader.Read("a==b=v")!["a=b"]);
        }

        [Fact]
        public void Read_EmptyPairsAndEmptyText_AreFine()
        {
            Assert.Empty(ConnectionStringReader.Read("")!);
            Assert.Single(ConnectionStringReader.Read(";;Database=x;;")!);
        }

        [Theory]
        [InlineData("orders-db")]
        [InlineData("Database='unclosed")]
        [InlineData("Database='a' trailing")]
        [InlineData("=value")]
        [InlineData("key;Database=x")]
        public void Read_Malformed_ReturnsNull(string text)
        {
            Assert.Null(ConnectionStringReader.Read(text));
        }

        [Fact]
        public void Read_Null_ReturnsNull() => Assert.Null(ConnectionStringReader.Read(null));

        [Fact]
        public void Find_ReturnsFirstNonEmptyKey()
        {
            var pairs = ConnectionStringReader.Read("Initial Catalog=;Data Source=orders.db")!;

            Assert.Equal("orders.db", ConnectionStringReader.Find(pairs, "Initial Catalog", "Data Source"));
            Assert.Null(ConnectionStringReader.Find(pairs, "Database"));
        }
    }
}
