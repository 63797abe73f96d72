using System.Text;

namespace Strata.TestKit.Etcd;

/// <summary>The last lines a server wrote to stderr (bounded: etcd logs a lot), for failure messages.</summary>
internal sealed class EtcdLogTail(int limit = 16 * 1024)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private int _length;

    /// <summary>Reads <paramref name="reader"/> to its end, keeping the tail.</summary>
    public async Task ReadAsync(TextReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _lines.Enqueue(line);
                _length += line.Length + 1;
                while (_length > limit && _lines.Count > 1)
                {
                    _length -= _lines.Dequeue().Length + 1;
                }
            }
        }
    }

    /// <summary>Whether a kept line contains <paramref name="text"/>.</summary>
    public bool Contains(string text)
    {
        lock (_gate)
        {
            return _lines.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>The kept lines.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return new StringBuilder().AppendJoin('\n', _lines).ToString();
        }
    }
}
