using System;

namespace Operability.Cli
{
    /// <summary>The <c>dotnet-operability</c> entry point.</summary>
    internal static class Program
    {
        private static int Main(string[] args) => CliApplication.Run(args, Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected);
    }
}
