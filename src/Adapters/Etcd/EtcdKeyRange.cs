using Google.Protobuf;

namespace Strata.Adapters.Etcd;

/// <summary>etcd's key ranges: <c>[key, range_end)</c> in byte order, the end of a prefix being the prefix with its last byte increased.</summary>
internal static class EtcdKeyRange
{
    /// <summary>
    /// The first key after every key that starts with <paramref name="prefix"/>: trailing 0xff bytes dropped, the
    /// last remaining one increased; <c>"\0"</c> (every key, etcd's convention) for an empty or all-0xff prefix.
    /// </summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xff)
            {
                var end = prefix[..(i + 1)].ToArray();
                end[i]++;
                return end;
            }
        }

        return [0];
    }

    /// <summary>The smallest key after <paramref name="key"/>: it with a zero byte appended (where the next page starts).</summary>
    public static ByteString After(ByteString key)
    {
        var next = new byte[key.Length + 1];
        key.Span.CopyTo(next);
        return ByteString.CopyFrom(next);
    }
}
