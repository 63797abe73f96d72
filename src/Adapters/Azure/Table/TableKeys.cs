namespace Strata.Adapters.Azure.Table;

/// <summary>Key rules and the OData literals used in entity addresses and <c>$filter</c>.</summary>
public static class TableKeys
{
    /// <summary>
    /// Partition and row keys may not hold <c>/ \ # ?</c> or control characters and are at most
    /// 1 KiB; the error names the key.
    /// </summary>
    public static string Validate(string key, string what)
    {
        if (key.Length > 512 || key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"{what} '{key}' is not a valid table key (no / \\ # ? or control characters, at most 512 characters)");
        }

        return key;
    }

    /// <summary>A string literal: single quotes, inner quotes doubled.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary><c>Name eq 'value'</c>.</summary>
    public static string Equal(string property, string value) => $"{property} eq {Literal(value)}";

    /// <summary>The path segment addressing one entity.</summary>
    internal static string Address(string table, string partitionKey, string rowKey) =>
        $"{table}(PartitionKey={Uri.EscapeDataString(Literal(partitionKey))},RowKey={Uri.EscapeDataString(Literal(rowKey))})";
}
