using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Operability.Manifest;

namespace Operability.Cli
{
    /// <summary>The output formats every command writes.</summary>
    internal enum OutputFormat
    {
        Text,
        Json,
        Markdown,
        Sarif,
    }

    /// <summary>Options several commands share, named as the template's parameters are.</summary>
    internal static class CommonOptions
    {
        public static Option<OutputFormat> Format(bool sarif = false)
        {
            string[] allowed = sarif ? new[] { "text", "json", "markdown", "sarif" } : new[] { "text", "json", "markdown" };
            var option = new Option<OutputFormat>("--format")
            {
                // No default factory: an absent option reads as OutputFormat.Text (0), and help says "text" rather than the enum's name.
                Description = "Output format: " + string.Join(", ", allowed) + " (default text).",
                HelpName = string.Join("|", allowed),
                CustomParser = result =>
                {
                    string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                    if (Array.IndexOf(allowed, token.ToLowerInvariant()) < 0)
                    {
                        result.AddError("--format must be one of " + string.Join(", ", allowed) + " but was '" + token + "'.");
                        return OutputFormat.Text;
                    }

                    return Enum.Parse<OutputFormat>(token, ignoreCase: true);
                },
            };
            return option;
        }

        public static Option<string?> Policy() => new("--policy")
        {
            Description = "The organisation policy (" + OrganisationPolicy.FileName + "); the playbook's values without it.",
            HelpName = "file",
        };

        /// <summary>A decimal read in the invariant culture (a dot for decimals, whatever the machine's culture).</summary>
        public static Option<decimal?> Decimal(string name, string description, string helpName, decimal minimum) => new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseDecimal(result, name, minimum),
        };

        public static Option<decimal?> FinancialExposure() =>
            Decimal("--financial-exposure", "Financial exposure in an hour of unavailability (the template's financialExposure).", "amount", 0m);

        public static Option<decimal?> AvailabilityTarget() => new("--availability-target")
        {
            Description = "Availability target in percent, e.g. 99.9 (the template's availabilityTarget).",
            HelpName = "percent",
            CustomParser = result =>
            {
                decimal? value = ParseDecimal(result, "--availability-target", null);
                if (value is decimal target && (target <= 0m || target >= 100m))
                {
                    result.AddError("--availability-target is a percentage strictly between 0 and 100 but was " + target.ToString(CultureInfo.InvariantCulture) + ".");
                }

                return value;
            },
        };

        private static decimal? ParseDecimal(ArgumentResult result, string name, decimal? minimum)
        {
            string token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
            if (!decimal.TryParse(token, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal value))
            {
                result.AddError(name + " must be a number (e.g. 810000 or 99.9) but was '" + token + "'.");
                return null;
            }

            if (minimum is decimal min && value < min)
            {
                result.AddError(name + " cannot be negative but was " + token + ".");
                return null;
            }

            if (value > ServiceManifest.MaxFinancialExposurePerHour)
            {
                result.AddError(name + " is at most 10^15 but was " + token + ".");
                return null;
            }

            return value;
        }

        public static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

        public static string Money(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
    }
}
