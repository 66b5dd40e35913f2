namespace Operability.Manifest
{
    /// <summary>A problem found in a manifest, an estate catalogue or an organisation policy, located at the offending token.</summary>
    public sealed class ManifestDiagnostic
    {
        internal ManifestDiagnostic(ManifestDiagnosticKind kind, string message, string path, SourcePosition position)
        {
            Kind = kind;
            Message = message;
            Path = path;
            Position = position;
        }

        /// <summary>What kind of problem this is.</summary>
        public ManifestDiagnosticKind Kind { get; }

        /// <summary>A precise message naming the property path, the offending value and what is accepted.</summary>
        public string Message { get; }

        /// <summary>The property path, e.g. <c>availability.target</c> or <c>databases[1].name</c>; empty for the root.</summary>
        public string Path { get; }

        /// <summary>Where the offending token starts (for a missing property: where its parent object starts).</summary>
        public SourcePosition Position { get; }

        /// <summary>Formats as <c>line:column: Kind: message</c>.</summary>
        public override string ToString() => Position + ": " + Kind + ": " + Message;
    }
}
