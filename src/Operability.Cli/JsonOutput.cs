using System.Text.Encodings.Web;
using System.Text.Json;

namespace Operability.Cli
{
    /// <summary>How every command writes JSON: indented, and readable (no escaping of '+' or '&lt;' in messages).</summary>
    internal static class JsonOutput
    {
        public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    }
}
