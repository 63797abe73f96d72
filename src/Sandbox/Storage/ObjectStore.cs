using System.Text.Json.Nodes;

namespace Strata.Sandbox.Storage;

/// <summary>
/// The sandbox's etcd: objects per resource type in key order (<c>namespace/name</c>), one global
/// revision, and list snapshots kept until compaction so that <c>continue</c> tokens read a
/// consistent view, as etcd's MVCC gives the real server.
/// </summary>
public sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, long Revision), Snapshot> _snapshots = [];
    private readonly TimeProvider _time;
    private long _revision = 1000;
    private long _compacted;

    public ObjectStore(TimeProvider time)
    {
        _time = time;
        foreach (var type in BuiltInResources.All())
        {
            RegisterType(type);
        }
    }

    /// <summary>How long list snapshots are kept (etcd compacts every five minutes by default).</summary>
    public TimeSpan SnapshotLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public IReadOnlyList<ResourceType> Types
    {
        get
        {
            lock (_gate)
            {
                return [.. _types.Values];
            }
        }
    }

    public ResourceType? FindType(string group, string plural)
    {
        lock (_gate)
        {
            return _types.GetValueOrDefault(group.Length == 0 ? plural : $"{plural}.{group}");
        }
    }

    public void RegisterType(ResourceType type)
    {
        lock (_gate)
        {
            _types[type.Key] = type;
            if (!_tables.ContainsKey(type.Key))
            {
                _tables[type.Key] = new Table();
            }
        }
    }

    public void RemoveType(string key)
    {
        lock (_gate)
        {
            _types.Remove(key);
            _tables.Remove(key);
        }
    }

    public StoredObject? Get(ResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return TableOf(type).Objects.GetValueOrDefault(Key(ns, name));
        }
    }

    /// <summary>Stores a new object; the caller has checked it does not exist. Sets resourceVersion.</summary>
    public StoredObject Put(ResourceType type, JsonObject obj)
    {
        lock (_gate)
        {
            var stored = StoredObject.From(obj, ++_revision);
            var table = TableOf(type);
            table.Objects[stored.Key] = stored;
            table.Sorted = null;
            return stored;
        }
    }

    /// <summary>Replaces an object only if its resourceVersion is still <paramref name="expected"/>.</summary>
    public StoredObject? CompareAndPut(ResourceType type, JsonObject obj, long expected)
    {
        lock (_gate)
        {
            var table = TableOf(type);
            var key = Key(obj["metadata"]?["namespace"]?.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());
            if (!table.Objects.TryGetValue(key, out var current) || current.ResourceVersion != expected)
            {
                return null;
            }

            return Put(type, obj);
        }
    }

    /// <summary>Deletes an object (only if its resourceVersion is still <paramref name="expected"/>, when given).</summary>
    public StoredObject? Delete(ResourceType type, string? ns, string name, long? expected = null)
    {
        lock (_gate)
        {
            var table = TableOf(type);
            var key = Key(ns, name);
            if (expected is { } rv && (!table.Objects.TryGetValue(key, out var current) || current.ResourceVersion != rv))
            {
                return null;
            }

            if (!table.Objects.Remove(key, out var removed))
            {
                return null;
            }

            _revision++;
            table.Sorted = null;
            return removed;
        }
    }

    /// <summary>Removes every object of every namespaced type in <paramref name="ns"/>; returns what it removed.</summary>
    public IReadOnlyList<(ResourceType Type, StoredObject Object)> DeleteNamespaceContents(string ns)
    {
        lock (_gate)
        {
            var removed = new List<(ResourceType, StoredObject)>();
            foreach (var (key, table) in _tables)
            {
                if (!_types.TryGetValue(key, out var type) || !type.Namespaced)
                {
                    continue;
                }

                foreach (var objectKey in table.Objects.Keys.Where(k => k.StartsWith(ns + "/", StringComparison.Ordinal)).ToList())
                {
                    table.Objects.Remove(objectKey, out var stored);
                    removed.Add((type, stored!));
                }

                table.Sorted = null;
            }

            _revision++;
            return removed;
        }
    }

    public int Count(ResourceType type)
    {
        lock (_gate)
        {
            return TableOf(type).Objects.Count;
        }
    }

    /// <summary>A consistent, key-ordered view of one type at the current revision.</summary>
    public Snapshot Open(ResourceType type)
    {
        lock (_gate)
        {
            var table = TableOf(type);
            table.Sorted ??= [.. table.Objects.Values];
            return new Snapshot(type.Key, _revision, table.Sorted, _time.GetUtcNow());
        }
    }

    /// <summary>Keeps <paramref name="snapshot"/> so a continue token can read it later.</summary>
    public void Retain(Snapshot snapshot)
    {
        lock (_gate)
        {
            PruneExpired();
            _snapshots.TryAdd((snapshot.Type, snapshot.Revision), snapshot);
        }
    }

    /// <summary>The snapshot a continue token refers to, or null once compacted.</summary>
    public Snapshot? Reopen(string type, long revision)
    {
        lock (_gate)
        {
            PruneExpired();
            return revision < _compacted ? null : _snapshots.GetValueOrDefault((type, revision));
        }
    }

    /// <summary>Compacts history now: every outstanding continue token expires (410 Gone).</summary>
    public void Compact()
    {
        lock (_gate)
        {
            // Like etcd's compact(rev): revisions before the current one are gone.
            _compacted = ++_revision;
            _snapshots.Clear();
        }
    }

    private void PruneExpired()
    {
        var cutoff = _time.GetUtcNow() - SnapshotLifetime;
        foreach (var key in _snapshots.Where(s => s.Value.TakenAt < cutoff).Select(s => s.Key).ToList())
        {
            _snapshots.Remove(key);
            _compacted = Math.Max(_compacted, key.Revision + 1);
        }
    }

    private Table TableOf(ResourceType type) =>
        _tables.TryGetValue(type.Key, out var table) ? table : throw new InvalidOperationException($"no table for {type.Key}");

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    private sealed class Table
    {
        public SortedDictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

        public StoredObject[]? Sorted { get; set; }
    }
}

/// <summary>A key-ordered view of one type at one revision.</summary>
public sealed record Snapshot(string Type, long Revision, StoredObject[] Items, DateTimeOffset TakenAt)
{
    /// <summary>Index of the first item whose key is greater than or equal to <paramref name="key"/>.</summary>
    public int IndexOf(string key)
    {
        int lo = 0, hi = Items.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (string.CompareOrdinal(Items[mid].Key, key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
