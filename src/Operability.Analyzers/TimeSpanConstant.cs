using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Operability.Analyzers.Internals;

namespace Operability.Analyzers
{
    /// <summary>Reads a <see cref="TimeSpan"/> the compiler can evaluate, in seconds; shared by OPS107 and OPS406.</summary>
    internal static class TimeSpanConstant
    {
        // TimeSpan.FromSeconds(30), FromMilliseconds(1500), FromMinutes(1), new TimeSpan(0, 0, 30), with constant arguments.
        public static double? Seconds(IOperation value, INamedTypeSymbol timeSpan)
        {
            value = value.WithoutImplicitConversions();

            IMethodSymbol? method;
            ImmutableArray<IArgumentOperation> arguments;
            string? fallbackUnit = null;
            switch (value)
            {
                case IInvocationOperation { TargetMethod: { IsStatic: true } factory } invocation
                    when factory.Name.StartsWith("From", StringComparison.Ordinal)
                        && SymbolEqualityComparer.Default.Equals(factory.ContainingType, timeSpan):
                    method = factory;
                    arguments = invocation.Arguments;
                    fallbackUnit = factory.Name.Substring("From".Length);
                    break;
                case IObjectCreationOperation { Constructor: { } constructor } creation
                    when SymbolEqualityComparer.Default.Equals(creation.Type, timeSpan) && creation.Initializer is null:
                    method = constructor;
                    arguments = creation.Arguments;
                    break;
                default:
                    return null;
            }

            if (method is null || arguments.IsDefaultOrEmpty)
            {
                return null;
            }

            var seconds = 0.0;
            foreach (var argument in arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    continue;
                }

                var unit = argument.Parameter is { } parameter ? SecondsPer(parameter.Name) ?? SecondsPer(fallbackUnit) : null;
                if (unit is null || !TryGetNumber(argument.Value, out var number))
                {
                    return null;
                }

                seconds += number * unit.Value;
            }

            return seconds > 0 && !double.IsInfinity(seconds) && !double.IsNaN(seconds) ? seconds : null;
        }

        public static double? SecondsPer(string? unit) => unit?.ToLowerInvariant() switch
        {
            "days" => 86400,
            "hours" => 3600,
            "minutes" => 60,
            "seconds" => 1,
            "milliseconds" => 0.001,
            "microseconds" => 0.000001,
            "ticks" => 0.0000001,
            _ => null,
        };

        public static bool TryGetNumber(IOperation value, out double number)
        {
            number = 0;
            value = value.WithoutConversions();

            var constant = value.ConstantValue;
            if (!constant.HasValue || constant.Value is null)
            {
                return false;
            }

            switch (constant.Value)
            {
                case int i: number = i; return true;
                case long l: number = l; return true;
                case short s: number = s; return true;
                case byte b: number = b; return true;
                case uint u: number = u; return true;
                case double d: number = d; return true;
                case float f: number = f; return true;
                case decimal m: number = (double)m; return true;
                default: return false;
            }
        }
    }
}
