using System.Collections.Generic;

namespace Operability.Templates.Tests
{
    /// <summary>Parameter sets for the template, as 'dotnet new operable-service -n Orders --owner team-orders …' would give.</summary>
    internal static class Scenario
    {
        public static TemplateInstance With(params (string Symbol, string Value)[] parameters)
        {
            var values = new Dictionary<string, string> { ["name"] = "Orders", ["owner"] = "team-orders" };
            foreach (var (symbol, value) in parameters)
            {
                values[symbol] = value;
            }

            return TemplateDefinition.OperableService.Instantiate(values);
        }
    }
}
