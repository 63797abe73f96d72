using System.Text;

namespace Strata.Adapters.Commands;

/// <summary>
/// The last <c>limit</c> bytes a command wrote to stderr (the end says why it failed; a chatty
/// command must not fill memory). Read as UTF-8, starting at a whole character when cut.
/// </summary>
internal sealed class StderrTail(int limit)
{
    private readonly byte[] _kept = new byte[Math.Max(limit, 0)];
    private int _count;
    private bool _cut;

    public void Add(ReadOnlySpan<byte> data)
    {
        if (_kept.Length == 0 || data.IsEmpty)
        {
            _cut |= !data.IsEmpty;
            return;
        }

        if (data.Length >= _kept.Length)
        {
            data[^_kept.Length..].CopyTo(_kept);
            _cut |= data.Length > _kept.Length || _count > 0;
            _count = _kept.Length;
            return;
        }

        var overflow = _count + data.Length - _kept.Length;
        if (overflow > 0)
        {
            _kept.AsSpan(overflow, _count - overflow).CopyTo(_kept);
            _count -= overflow;
            _cut = true;
        }

        data.CopyTo(_kept.AsSpan(_count));
        _count += data.Length;
    }

    public override string ToString()
    {
        var kept = _kept.AsSpan(0, _count);
        while (_cut && !kept.IsEmpty && (kept[0] & 0xC0) == 0x80)
        {
            kept = kept[1..]; // a continuation byte: the character began before the tail
        }

        return Encoding.UTF8.GetString(kept);
    }
}
