namespace Strata.Core.Databases.MySql;

/// <summary>The statements of a dump script the reader acts on.</summary>
internal enum MySqlStatementKind
{
    /// <summary>Anything else: SET, LOCK TABLES, DROP, executable comments, views, routines.</summary>
    Other,

    /// <summary>INSERT or REPLACE with VALUES: its top-level parenthesised tuples are rows.</summary>
    Insert,

    /// <summary>CREATE TABLE: a table of the dump.</summary>
    CreateTable,

    /// <summary>USE: the database the following statements are in.</summary>
    Use,
}
