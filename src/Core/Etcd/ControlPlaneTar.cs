using System.Buffers;
using System.Formats.Tar;
using Strata.Core.Artifacts;

namespace Strata.Core.Etcd;

/// <summary>
/// Reads a control-plane tar (<c>control-plane/{node}.tar</c>) forward only, as it streams from the node or back from
/// the store, with <see cref="TarReader"/>: entries are counted, names checked (relative, never climbing out), private
/// keys counted — <c>*.key</c> by name, kubeconfigs by the <c>client-key-data</c> in them (only their content is read) —
/// and the stream read to its end. A tar that is cut short (no end-of-archive marker) or damaged is an
/// <see cref="InvalidDataException"/>: nothing is held whole, whatever the tar's size.
/// </summary>
public static class ControlPlaneTar
{
    private const int UnsafeNamed = 5;
    private const int ScanChunk = 64 * 1024;
    private static readonly byte[] ClientKeyData = "client-key-data"u8.ToArray();

    /// <summary>Reads <paramref name="content"/> to its end; <see cref="InvalidDataException"/> when it is not a whole tar.</summary>
    public static async Task<ControlPlaneTarContents> ReadAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var (entries, files, keys, unsafeCount) = (0, 0, 0, 0);
        var topLevel = new List<string>();
        var unsafePaths = new List<string>();
        try
        {
            // Forward only, whatever the stream can do: a seekable one lets TarReader take its end for the end of the
            // archive, so a tar cut at an entry's boundary would read as whole; a forward-only one must show the marker.
            var forward = new TeeStream(content, null);
            await using var guarded = new TarHeaderGuardStream(forward, "control-plane tar", ArchiveLimits.Default);
            await using var reader = new TarReader(guarded, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                entries++;
                Check(entry.Name);
                if (entry.EntryType == TarEntryType.HardLink)
                {
                    Check(entry.LinkName);
                }

                if (TopLevelName(entry.Name) is { } top && !topLevel.Contains(top))
                {
                    topLevel.Add(top);
                }

                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                {
                    files++;
                    if (await HoldsPrivateKeyAsync(entry, cancellationToken))
                    {
                        keys++;
                    }
                }
            }

            // What follows the end-of-archive marker: the zeros tar pads its last record with.
            await forward.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"the tar ends before its end-of-archive marker (cut short) after {entries} entries");
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            throw new InvalidDataException($"not a readable tar after {entries} entries: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"not a readable tar after {entries} entries: {e.Message}", e);
        }
        catch (ArtifactRejectedException e)
        {
            throw new InvalidDataException($"refused after {entries} entries: {e.Reason}", e);
        }

        return new ControlPlaneTarContents
        {
            Entries = entries,
            Files = files,
            PrivateKeyFiles = keys,
            TopLevel = topLevel,
            UnsafePaths = unsafePaths,
            UnsafeCount = unsafeCount,
        };

        void Check(string path)
        {
            if (!IsSafePath(path) && unsafeCount++ < UnsafeNamed)
            {
                unsafePaths.Add(path);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> stays under the folder it is extracted into: not empty, not absolute, no
    /// <c>..</c> segment (<c>tar -x</c> and any other reader of the artifact can be trusted with it).
    /// </summary>
    public static bool IsSafePath(string path) =>
        path.Length > 0 && path[0] != '/' && path[0] != '\\' && !path.Contains('\0', StringComparison.Ordinal)
        && !path.Split('/', '\\').Contains("..");

    /// <summary>The first segment of an entry's name (<c>pki</c> of <c>pki/etcd/ca.key</c>); null for <c>./</c> itself.</summary>
    public static string? TopLevelName(string name)
    {
        var trimmed = name;
        while (trimmed.StartsWith("./", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var top = slash < 0 ? trimmed : trimmed[..slash];
        return top.Length == 0 || top == "." ? null : top;
    }

    private static async Task<bool> HoldsPrivateKeyAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Name.EndsWith(".key", StringComparison.Ordinal))
        {
            return true;
        }

        return entry.Name.EndsWith(".conf", StringComparison.Ordinal) && entry.DataStream is { } data
            && await ContainsAsync(data, ClientKeyData, cancellationToken);
    }

    // Scans in chunks, keeping the last few bytes of each so a match across two reads is found: memory stays flat.
    private static async Task<bool> ContainsAsync(Stream data, byte[] needle, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ScanChunk + needle.Length);
        try
        {
            var kept = 0;
            int read;
            while ((read = await data.ReadAsync(buffer.AsMemory(kept, ScanChunk), cancellationToken)) > 0)
            {
                var window = buffer.AsSpan(0, kept + read);
                if (window.IndexOf(needle) >= 0)
                {
                    return true;
                }

                kept = Math.Min(needle.Length - 1, window.Length);
                window[^kept..].CopyTo(buffer);
            }

            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
