namespace Strata.Core.Databases.Postgres;

/// <summary>
/// What the table of contents says, kept small: the entry count, schema and table names, and the entries
/// whose data blocks follow. Each entry is read as pg_dump's <c>WriteToc</c> and the custom format's
/// <c>_WriteExtraToc</c> write it: dump id, had-dumper flag, table oid and oid (as strings), tag, type,
/// section, definition, drop statement, copy statement, namespace, tablespace, table access method (1.14+),
/// relkind (1.16+), owner, with-oids flag, dependencies (strings up to a null one), then the data state
/// byte and offset. Definitions and drop statements are skipped, never held.
/// </summary>
internal sealed class PgTableOfContents
{
    /// <summary>More entries than any database could have: a count beyond it is damage, not a dump.</summary>
    private const long MaxEntries = 100_000_000;

    /// <summary>The longest name-like field kept (tags of ACL and COMMENT entries carry signatures).</summary>
    private const int MaxNameBytes = 1024 * 1024;

    private const int StateNotSet = 1;
    private const int StateSet = 2;
    private const int StateNoData = 3;

    /// <summary>Entries in the table of contents.</summary>
    public int Count { get; private set; }

    /// <summary>Schema names: SCHEMA entries and the schemas tables sit in.</summary>
    public SortedSet<string> Schemas { get; } = new(StringComparer.Ordinal);

    /// <summary>Tables (TABLE and TABLE DATA entries) by schema and name, with their TABLE DATA entry when there is one.</summary>
    public SortedDictionary<(string Schema, string Name), PgDataEntry?> Tables { get; } = new(Comparer<(string Schema, string Name)>.Create(
        (a, b) => string.CompareOrdinal(a.Schema, b.Schema) is var bySchema and not 0 ? bySchema : string.CompareOrdinal(a.Name, b.Name)));

    /// <summary>Entries with data in the data section, by dump id.</summary>
    public Dictionary<int, PgDataEntry> DataEntries { get; } = [];

    /// <summary>The client encoding the dump's ENCODING entry sets, e.g. <c>UTF8</c>.</summary>
    public string? Encoding { get; private set; }

    /// <summary>Reads the table of contents; <see cref="InvalidDataException"/> naming the entry where it ends or breaks.</summary>
    public static async Task<PgTableOfContents> ReadAsync(PgArchiveInput input, PgArchiveHeader header, CancellationToken cancellationToken)
    {
        var toc = new PgTableOfContents();
        long count;
        var at = input.Position;
        try
        {
            count = await input.ReadIntAsync(cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"the dump ends at byte {input.Received}, before its table of contents");
        }

        if (count is < 0 or > MaxEntries)
        {
            throw new InvalidDataException($"the table of contents claims {count} entries at byte {at}");
        }

        for (var i = 0; i < count; i++)
        {
            at = input.Position;
            try
            {
                await toc.ReadEntryAsync(input, header, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"the table of contents ends after {i} of {count} entries at byte {input.Received}");
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"entry {i + 1} of {count} of the table of contents, from byte {at}, is damaged: {e.Message}", e);
            }

            toc.Count++;
        }

        return toc;
    }

    private async Task ReadEntryAsync(PgArchiveInput input, PgArchiveHeader header, CancellationToken cancellationToken)
    {
        var at = input.Position;
        var dumpId = await input.ReadIntAsync(cancellationToken);
        if (dumpId is <= 0 or > int.MaxValue)
        {
            throw new InvalidDataException($"dump id {dumpId} at byte {at}");
        }

        await input.ReadIntAsync(cancellationToken); // had a data dumper
        await input.SkipStringAsync(cancellationToken); // table oid
        await input.SkipStringAsync(cancellationToken); // oid
        var tag = await input.ReadStringAsync(MaxNameBytes, cancellationToken) ?? "";
        var description = await input.ReadStringAsync(MaxNameBytes, cancellationToken) ?? "";
        await input.ReadIntAsync(cancellationToken); // section
        if (description == "ENCODING")
        {
            Encoding = EncodingName(await input.ReadStringAsync(MaxNameBytes, cancellationToken));
        }
        else
        {
            await input.SkipStringAsync(cancellationToken); // definition
        }

        await input.SkipStringAsync(cancellationToken); // drop statement
        var isCopy = await input.SkipStringAsync(cancellationToken); // copy statement: present for COPY-format data
        var schema = await input.ReadStringAsync(MaxNameBytes, cancellationToken) ?? "";
        await input.SkipStringAsync(cancellationToken); // tablespace
        if (header.AtLeast(14))
        {
            await input.SkipStringAsync(cancellationToken); // table access method
        }

        if (header.AtLeast(16))
        {
            await input.ReadIntAsync(cancellationToken); // relkind
        }

        await input.SkipStringAsync(cancellationToken); // owner
        await input.SkipStringAsync(cancellationToken); // with oids
        while (await input.SkipStringAsync(cancellationToken))
        {
            // dependencies, up to a null string
        }

        at = input.Position;
        var state = await input.ReadByteAsync(cancellationToken);
        await input.SkipAsync(header.OffSize, cancellationToken);
        if (state is not (StateNotSet or StateSet or StateNoData))
        {
            throw new InvalidDataException($"data state {state} at byte {at}");
        }

        Add((int)dumpId, description, schema, tag, isCopy, hasData: state != StateNoData);
    }

    private void Add(int dumpId, string description, string schema, string tag, bool isCopy, bool hasData)
    {
        PgDataEntry? data = null;
        if (hasData)
        {
            data = new PgDataEntry(dumpId, description, schema, tag, isCopy);
            if (!DataEntries.TryAdd(dumpId, data))
            {
                throw new InvalidDataException($"dump id {dumpId} appears twice");
            }
        }

        switch (description)
        {
            case "SCHEMA":
                Schemas.Add(tag);
                break;
            case "TABLE":
                Schemas.Add(schema);
                Tables.TryAdd((schema, tag), null);
                break;
            case "TABLE DATA":
                Schemas.Add(schema);
                Tables[(schema, tag)] = data;
                break;
        }
    }

    /// <summary>The encoding in <c>SET client_encoding = 'UTF8';</c>.</summary>
    private static string? EncodingName(string? definition)
    {
        var parts = definition?.Split('\'');
        return parts is { Length: >= 3 } ? parts[1] : null;
    }
}
