using System;
using System.Globalization;

namespace Operability.Manifest
{
    /// <summary>
    /// A 1-based line and column in a manifest's text. Columns count UTF-16 code units (a tab counts as one).
    /// <c>default(SourcePosition)</c> (0:0) means "no position": the thing it would locate is absent.
    /// </summary>
    public readonly struct SourcePosition : IEquatable<SourcePosition>
    {
        /// <summary>Creates a position.</summary>
        /// <param name="line">1-based line.</param>
        /// <param name="column">1-based column, in UTF-16 code units.</param>
        public SourcePosition(int line, int column)
        {
            Line = line;
            Column = column;
        }

        /// <summary>1-based line number; 0 when there is no position.</summary>
        public int Line { get; }

        /// <summary>1-based column number in UTF-16 code units; 0 when there is no position.</summary>
        public int Column { get; }

        /// <summary>True when this position locates something (it is not the default value).</summary>
        public bool IsKnown => Line > 0;

        /// <inheritdoc />
        public bool Equals(SourcePosition other) => Line == other.Line && Column == other.Column;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is SourcePosition other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => unchecked((Line * 397) ^ Column);

        /// <summary>Formats as <c>line:column</c>.</summary>
        public override string ToString() => Line.ToString(CultureInfo.InvariantCulture) + ":" + Column.ToString(CultureInfo.InvariantCulture);

        /// <summary>Equality of line and column.</summary>
        public static bool operator ==(SourcePosition left, SourcePosition right) => left.Equals(right);

        /// <summary>Inequality of line or column.</summary>
        public static bool operator !=(SourcePosition left, SourcePosition right) => !left.Equals(right);
    }
}
