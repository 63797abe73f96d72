using System.Globalization;

namespace Strata.Core.Kubernetes;

/// <summary>
/// Reads a Kubernetes resource quantity as a number of bytes (<c>10Gi</c>, <c>500M</c>, <c>1.5Gi</c>, <c>1e9</c>,
/// <c>1073741824</c>): the binary suffixes <c>Ki</c>…<c>Ei</c>, the decimal ones <c>k</c>, <c>M</c>…<c>E</c> and
/// <c>m</c> (milli), or a decimal exponent. A fraction of a byte rounds up, as the API server does.
/// </summary>
public static class StorageQuantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m), ("m", 1e-3m),
    ];

    /// <summary>The bytes <paramref name="quantity"/> stands for; false when it is not a quantity or too large.</summary>
    public static bool TryParseBytes(string? quantity, out long bytes)
    {
        bytes = 0;
        var text = quantity?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var factor = 1m;
        foreach (var (suffix, value) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length && char.IsAsciiDigit(text[^(suffix.Length + 1)]))
            {
                factor = value;
                text = text[..^suffix.Length];
                break;
            }
        }

        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            return false;
        }

        try
        {
            var exact = decimal.Ceiling(number * factor);
            if (exact > long.MaxValue)
            {
                return false;
            }

            bytes = (long)exact;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
