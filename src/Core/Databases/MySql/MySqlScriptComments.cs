namespace Strata.Core.Databases.MySql;

/// <summary>
/// The facts in a dump script's comment lines (<c>mysqldump</c>'s <c>--comments</c>, on by default):
/// the client and its version, the host and database, the server's version, which table's data follows,
/// and the completion trailer.
/// </summary>
internal sealed class MySqlScriptComments
{
    /// <summary>The client that wrote the dump; null until the header line is read.</summary>
    public MySqlDumpFlavor? Flavor { get; private set; }

    /// <summary>The client's version, after <c>dump</c> on the header line.</summary>
    public string? ToolVersion { get; private set; }

    /// <summary>The host the client connected to.</summary>
    public string? Host { get; private set; }

    /// <summary>The database the header names.</summary>
    public string? Database { get; private set; }

    /// <summary>The server's version.</summary>
    public string? ServerVersion { get; private set; }

    /// <summary>The date on the trailer.</summary>
    public string? CompletedOn { get; private set; }

    /// <summary>The table of the last <c>Dumping data for table</c> line.</summary>
    public string? LastDataTable { get; private set; }

    /// <summary>Reads one comment line, without its leading <c>--</c> and trimmed.</summary>
    public MySqlCommentKind Read(string line)
    {
        if (Flavor is null && (line.StartsWith("MariaDB dump", StringComparison.Ordinal) || line.StartsWith("MySQL dump", StringComparison.Ordinal)))
        {
            Flavor = line[1] == 'a' ? MySqlDumpFlavor.MariaDb : MySqlDumpFlavor.MySql;
            ToolVersion = line[(line.IndexOf("dump", StringComparison.Ordinal) + 4)..].Trim();
            return MySqlCommentKind.Header;
        }

        if (line.StartsWith("Host:", StringComparison.Ordinal))
        {
            var at = line.IndexOf("Database:", StringComparison.Ordinal);
            Host = (at < 0 ? line[5..] : line[5..at]).Trim();
            Database = at < 0 ? null : line[(at + 9)..].Trim();
            return MySqlCommentKind.Host;
        }

        if (line.StartsWith("Server version", StringComparison.Ordinal))
        {
            ServerVersion = line["Server version".Length..].Trim();
            return MySqlCommentKind.ServerVersion;
        }

        if (line.StartsWith("Dumping data for table", StringComparison.Ordinal))
        {
            var name = line["Dumping data for table".Length..].Trim();
            LastDataTable = name.Length >= 2 && name[0] == '`' && name[^1] == '`' ? name[1..^1].Replace("``", "`", StringComparison.Ordinal) : name;
            return MySqlCommentKind.DataFor;
        }

        if (line.StartsWith("Dump completed", StringComparison.Ordinal))
        {
            var on = line.IndexOf(" on ", StringComparison.Ordinal);
            CompletedOn = on < 0 ? null : line[(on + 4)..].Trim();
            return MySqlCommentKind.Trailer;
        }

        return MySqlCommentKind.Other;
    }
}
