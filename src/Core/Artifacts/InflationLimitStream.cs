using System.Globalization;

namespace Strata.Core.Artifacts;

/// <summary>
/// Counts the bytes gzip inflates (<paramref name="inflated"/>) against the compressed bytes consumed
/// (<paramref name="compressed"/>): past <see cref="ArchiveLimits.MaxUncompressedBytes"/>, or past
/// <see cref="ArchiveLimits.MaxCompressionRatio"/> once <see cref="ArchiveLimits.RatioCheckedAfterBytes"/> came out,
/// the archive is a gzip bomb and is refused before those bytes are handed on.
/// </summary>
internal sealed class InflationLimitStream(Stream inflated, HashingStream compressed, string artifact, ArchiveLimits limits)
    : ObservedReadStream(inflated)
{
    /// <summary>The entry being read, for the message.</summary>
    public string? Entry { get; set; }

    protected override void Observe(ReadOnlySpan<byte> read)
    {
        var total = BytesRead + read.Length;
        if (total > limits.MaxUncompressedBytes)
        {
            Refuse($"inflates to more than {limits.MaxUncompressedBytes:N0} bytes (limit {nameof(ArchiveLimits)}.{nameof(ArchiveLimits.MaxUncompressedBytes)})", total);
        }

        var consumed = Math.Max(1, compressed.BytesHashed);
        if (total > limits.RatioCheckedAfterBytes && total > consumed * limits.MaxCompressionRatio)
        {
            var ratio = ((double)total / consumed).ToString("0", CultureInfo.InvariantCulture);
            Refuse(
                $"inflates {ratio} times (a gzip bomb?), more than {limits.MaxCompressionRatio.ToString(CultureInfo.InvariantCulture)} " +
                $"(limit {nameof(ArchiveLimits)}.{nameof(ArchiveLimits.MaxCompressionRatio)})", total);
        }
    }

    private void Refuse(string reason, long total)
    {
        var where = Entry is null ? string.Empty : $" in entry '{Entry}'";
        throw new ArtifactRejectedException(
            artifact, $"{reason}: {total:N0} bytes out of {compressed.BytesHashed:N0} compressed{where}; nothing from it is used");
    }
}
