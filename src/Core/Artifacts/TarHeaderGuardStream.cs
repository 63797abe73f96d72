using System.Globalization;

namespace Strata.Core.Artifacts;

/// <summary>
/// Follows a tar's structure as its bytes pass — 512-byte headers, each entry's data padded to 512 — and refuses a
/// metadata record (GNU long name <c>L</c> or long link <c>K</c>, PAX header <c>x</c> or <c>g</c>) larger than
/// <see cref="ArchiveLimits.MaxHeaderBytes"/> as soon as its header has passed, before the tar reader, which holds such
/// records whole, allocates for it. A PAX <c>size</c> record is honoured for the entry it precedes, as the reader does.
/// Anything else about the headers is the tar reader's to judge.
/// </summary>
internal sealed class TarHeaderGuardStream(Stream tar, string artifact, ArchiveLimits limits) : ObservedReadStream(tar)
{
    private const int Block = 512;
    private readonly byte[] _header = new byte[Block];
    private int _headerFill;
    private long _dataLeft;
    private byte[]? _pax;
    private int _paxFill;
    private long? _nextSize;
    private bool _ended;

    protected override void Observe(ReadOnlySpan<byte> read)
    {
        var offset = BytesRead;
        while (read.Length > 0 && !_ended)
        {
            if (_dataLeft > 0)
            {
                var n = (int)Math.Min(_dataLeft, read.Length);
                if (_pax is not null && _paxFill < _pax.Length)
                {
                    var copy = Math.Min(n, _pax.Length - _paxFill);
                    read[..copy].CopyTo(_pax.AsSpan(_paxFill));
                    _paxFill += copy;
                }

                _dataLeft -= n;
                offset += n;
                read = read[n..];
                if (_dataLeft == 0 && _pax is not null)
                {
                    _nextSize = PaxSize(_pax) ?? _nextSize;
                    _pax = null;
                }

                continue;
            }

            var take = Math.Min(Block - _headerFill, read.Length);
            read[..take].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            offset += take;
            read = read[take..];
            if (_headerFill == Block)
            {
                _headerFill = 0;
                OnHeader(offset - Block);
            }
        }
    }

    private void OnHeader(long at)
    {
        if (!_header.AsSpan().ContainsAnyExcept((byte)0))
        {
            _ended = true; // the end-of-archive marker: the reader stops here
            return;
        }

        var type = (char)_header[156];
        var size = Size(_header.AsSpan(124, 12))
            ?? throw new ArtifactRejectedException(artifact, $"the tar header at offset {at:N0} has an unreadable size field");
        if (type is 'L' or 'K' or 'x' or 'g')
        {
            if (size > limits.MaxHeaderBytes)
            {
                throw new ArtifactRejectedException(artifact,
                    $"the tar header at offset {at:N0} is a {Describe(type)} of {size:N0} bytes, more than {limits.MaxHeaderBytes:N0} " +
                    $"(limit {nameof(ArchiveLimits)}.{nameof(ArchiveLimits.MaxHeaderBytes)}); nothing from it is used");
            }

            _pax = type == 'x' ? new byte[size] : null;
            _paxFill = 0;
            _dataLeft = Padded(size);
            return;
        }

        _dataLeft = Padded(_nextSize ?? size);
        _nextSize = null;
    }

    private static string Describe(char type) => type switch
    {
        'L' => "GNU long name",
        'K' => "GNU long link name",
        'x' => "PAX extended header",
        _ => "PAX global header",
    };

    private static long Padded(long size) => (size + Block - 1) / Block * Block;

    /// <summary>A size field: octal digits (leading spaces, ended by NUL or space), or base-256 when the top bit is set.</summary>
    private static long? Size(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            if (field[0] != 0x80 || field[1..4].ContainsAnyExcept((byte)0))
            {
                return null; // negative, or more than 2^63
            }

            long binary = 0;
            foreach (var b in field[4..])
            {
                binary = (binary << 8) | b;
            }

            return binary < 0 ? null : binary;
        }

        var i = 0;
        while (i < field.Length && field[i] == (byte)' ')
        {
            i++;
        }

        long value = 0;
        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++)
        {
            value = (value << 3) | (long)(field[i] - '0');
        }

        return i == field.Length || field[i] is 0 or (byte)' ' ? value : null;
    }

    /// <summary>The <c>size</c> record of a PAX header (<c>"{length} size={decimal}\n"</c>), or null.</summary>
    private static long? PaxSize(ReadOnlySpan<byte> pax)
    {
        long? found = null;
        while (pax.Length > 0)
        {
            var space = pax.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(pax[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= space || length > pax.Length)
            {
                return found;
            }

            var record = pax[(space + 1)..length];
            if (record.StartsWith("size="u8) && long.TryParse(record[5..].TrimEnd((byte)'\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 0)
            {
                found = size;
            }

            pax = pax[length..];
        }

        return found;
    }
}
