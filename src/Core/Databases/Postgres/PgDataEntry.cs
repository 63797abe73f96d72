namespace Strata.Core.Databases.Postgres;

/// <summary>
/// A table-of-contents entry whose data follows in the data section (<c>TABLE DATA</c>, <c>BLOBS</c>), and
/// what reading its data block found.
/// </summary>
/// <param name="DumpId">The entry's dump id, which its data block repeats.</param>
/// <param name="Description">The entry's type, e.g. <c>TABLE DATA</c>.</param>
/// <param name="Schema">Its namespace (empty for none).</param>
/// <param name="Tag">Its name.</param>
/// <param name="IsCopy">Whether its data is COPY text (a copy statement is recorded), so rows are lines.</param>
internal sealed record PgDataEntry(int DumpId, string Description, string Schema, string Tag, bool IsCopy)
{
    /// <summary>Whether its data block has been read.</summary>
    public bool Read { get; set; }

    /// <summary>Rows counted in its data (COPY text decoded to the end), else null.</summary>
    public long? Rows { get; set; }

    /// <summary>How errors name it: <c>TABLE DATA sales.orders (dump id 3345)</c>.</summary>
    public override string ToString() => $"{Description} {(Schema.Length == 0 ? Tag : $"{Schema}.{Tag}")} (dump id {DumpId})";
}
