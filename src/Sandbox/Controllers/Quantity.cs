using System.Globalization;
using System.Text.RegularExpressions;

namespace Strata.Sandbox.Controllers;

/// <summary>Resource quantities (<c>5Gi</c>, <c>500M</c>, <c>1.5e9</c>) as bytes, and bytes as apimachinery writes a BinarySI quantity.</summary>
internal static partial class Quantity
{
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <summary>The value in bytes, rounded up as <c>Quantity.Value()</c> rounds; null when it is not a quantity.</summary>
    public static long? Bytes(string? text)
    {
        if (text is null || Pattern().Match(text) is not { Success: true } match
            || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var multiplier = match.Groups["suffix"].Value switch
        {
            "" => 1m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
            "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
            "n" => 1e-9m,
            "u" => 1e-6m,
            "m" => 1e-3m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "T" => 1e12m,
            "P" => 1e15m,
            "E" => 1e18m,
            var exponent => (decimal)Math.Pow(10, int.Parse(exponent[1..], CultureInfo.InvariantCulture)),
        };
        return (long)Math.Ceiling(number * multiplier);
    }

    /// <summary>
    /// Bytes as <c>resource.NewQuantity(n, BinarySI).String()</c> writes them: the largest power-of-1024 suffix that
    /// divides the value exactly (<c>5Gi</c>, <c>1536Mi</c>), else plain bytes.
    /// </summary>
    public static string Format(long bytes)
    {
        var exponent = 0;
        while (bytes != 0 && Math.Abs(bytes) >= 1024 && bytes % 1024 == 0 && exponent < BinarySuffixes.Length - 1)
        {
            bytes /= 1024;
            exponent++;
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[exponent];
    }

    [GeneratedRegex(@"^(?<number>[+-]?(\d+(\.\d*)?|\.\d+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$")]
    private static partial Regex Pattern();
}
