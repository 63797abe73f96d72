namespace Strata.Core.Databases.MySql;

/// <summary>The comment lines of a dump script that say something about it.</summary>
internal enum MySqlCommentKind
{
    /// <summary>Any other comment.</summary>
    Other,

    /// <summary><c>-- MariaDB dump 10.19  Distrib …</c> or <c>-- MySQL dump …</c>: the first line of every dump.</summary>
    Header,

    /// <summary><c>-- Host: 127.0.0.1    Database: shop</c>.</summary>
    Host,

    /// <summary><c>-- Server version	10.11.19-MariaDB</c>.</summary>
    ServerVersion,

    /// <summary><c>-- Dumping data for table `t`</c>: the table's data follows (none with <c>--no-data</c>).</summary>
    DataFor,

    /// <summary><c>-- Dump completed on …</c>: the last line of a dump that ran to its end.</summary>
    Trailer,
}
