using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

/// <summary>
/// What the archive reader's duplicate-path check holds per entry: the 16-byte XxHash128 of each entry's path in a
/// <see cref="HashSet{T}"/> of <see cref="UInt128"/>, as <c>ResourceArchiveReader</c> keeps it. Managed heap before and
/// after adding N distinct archive-shaped paths (one at a time, as the reader does), after a full collection.
/// </summary>
internal static class PathSetBench
{
    public static string Run(IEnumerable<int> sizes)
    {
        var table = new StringBuilder("| entries | heap held by the set | bytes an entry |\n|---:|---:|---:|\n");
        foreach (var size in sizes)
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var seen = new HashSet<UInt128>();
            for (var i = 0; i < size; i++)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"resources/core/v1/configmaps/namespaces/team-{i % 20:00}/settings-{i:0000000}.json");
                seen.Add(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(path.AsSpan())));
            }

            var held = GC.GetTotalMemory(forceFullCollection: true) - before;
            table.Append(CultureInfo.InvariantCulture, $"| {size:N0} | {held / 1048576.0:0.0} MiB | {(double)held / size:0} |\n");
            GC.KeepAlive(seen);
        }

        return table.ToString();
    }
}
