namespace Strata.Core.Artifacts;

/// <summary>
/// What <see cref="ResourceArchiveReader"/> accepts from an archive it did not write itself. Each limit is far above
/// what a backup of a real cluster produces and far below what exhausts the machine reading it; an archive past one
/// is refused with <see cref="ArtifactRejectedException"/> naming the artifact, the offset or entry, and the limit.
/// </summary>
public sealed record ArchiveLimits
{
    /// <summary>The defaults below.</summary>
    public static ArchiveLimits Default { get; } = new();

    /// <summary>
    /// The most the whole archive may inflate to, counted as the tar bytes come out of gzip. Default 16 GiB: about
    /// seven million objects at the 2.4 KB of tar an object takes in the 100,000-object benchmark (234 MiB of tar).
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>
    /// The most the tar bytes read so far may outnumber the compressed bytes read so far, once
    /// <see cref="RatioCheckedAfterBytes"/> have come out. Default 200: archives of objects inflate 2–20 times
    /// (many small objects, whose tar headers and padding compress best, give the most); DEFLATE's ceiling, which a
    /// gzip bomb approaches, is about 1,032.
    /// </summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>
    /// How many tar bytes come out before <see cref="MaxCompressionRatio"/> is checked. Default 64 MiB: one highly
    /// repetitive object (a ConfigMap of one repeated character) at the start of a small archive is not a bomb, and a
    /// bomb is stopped after 64 MiB of inflating, which is streamed, never held.
    /// </summary>
    public long RatioCheckedAfterBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The largest document (one tar entry's data). Default 8 MiB: well above the API server's 1.5 MiB request limit.
    /// A document is held whole while it is checked, so this bounds the reader's memory.
    /// </summary>
    public int MaxEntryBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// The largest tar metadata record: a GNU long name or long link name, or a PAX extended header. Default 64 KiB:
    /// an object path is at most about 700 characters. The tar reader holds these whole, so an unchecked one could ask
    /// for gigabytes; this limit is checked on the record's header, before its data is read.
    /// </summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// The deepest nesting of arrays and objects in a document. Default 256, as deep as verification reads. Documents
    /// nested deeper are refused (a parser that recursed would exhaust its stack); they cannot come from a real
    /// cluster, whose objects System.Text.Json read at capture with its default of 64.
    /// </summary>
    public int MaxJsonDepth { get; init; } = 256;
}
