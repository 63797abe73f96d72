namespace Strata.Core.Status;

/// <summary>
/// The newest <c>capacity</c> items by time, of items seen in any order: history lists newest first, but only roughly
/// (run ids sort by the second a run started in), so a late newer item still displaces the oldest one kept.
/// </summary>
internal sealed class NewestPoints<T>(int capacity, Func<T, DateTimeOffset> at)
{
    private readonly List<T> _kept = [];

    public void Add(T item)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (_kept.Count < capacity)
        {
            _kept.Add(item);
            return;
        }

        var oldest = 0;
        for (var i = 1; i < _kept.Count; i++)
        {
            if (at(_kept[i]) < at(_kept[oldest]))
            {
                oldest = i;
            }
        }

        if (at(item) > at(_kept[oldest]))
        {
            _kept[oldest] = item;
        }
    }

    /// <summary>What is kept, oldest first.</summary>
    public IReadOnlyList<T> OldestFirst() => [.. _kept.OrderBy(at)];
}
