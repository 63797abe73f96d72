namespace Strata.Core.Databases;

/// <summary>What a <see cref="IDumpReader"/> learnt of a dump.</summary>
/// <param name="Contents">Schemas, tables and rows.</param>
/// <param name="ServerVersion">The server's version as the dump records it.</param>
/// <param name="ToolVersion">The dump tool's version as the dump records it.</param>
public sealed record DumpReading(DumpContents Contents, string? ServerVersion, string? ToolVersion);
