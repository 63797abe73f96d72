using System.Collections.Concurrent;
using Strata.Core.Artifacts;

namespace Strata.Core.Backup;

/// <summary>Counters and findings of one capture, safe to update from parallel lists.</summary>
internal sealed class CaptureTally
{
    private long _objects;
    private long _gitOpsManaged;
    private long _gitOpsSkipped;

    public ConcurrentDictionary<string, long> ByResource { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> ByNamespace { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> Excluded { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> ByGitOpsManager { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<GitOpsObject> GitOpsObjects { get; } = new();

    /// <summary>Needed cluster-scoped names per (group, resource); the value says whether it was found.</summary>
    public ConcurrentDictionary<(string Group, string Resource), ConcurrentDictionary<string, bool>> Needed { get; } = new();

    /// <summary>Needed names that may legitimately not exist (see <see cref="Dependency.Optional"/>).</summary>
    public ConcurrentDictionary<Dependency, bool> Optional { get; } = new();

    public long Objects => Interlocked.Read(ref _objects);

    public long GitOpsManaged => Interlocked.Read(ref _gitOpsManaged);

    public long GitOpsSkipped => Interlocked.Read(ref _gitOpsSkipped);

    public void Captured(string resource, string? ns)
    {
        Interlocked.Increment(ref _objects);
        ByResource.AddOrUpdate(resource, 1, (_, n) => n + 1);
        if (ns is not null)
        {
            ByNamespace.AddOrUpdate(ns, 1, (_, n) => n + 1);
        }
    }

    public void Exclude(string reason) => Excluded.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void GitOps(GitOpsObject obj)
    {
        GitOpsObjects.Enqueue(obj);
        ByGitOpsManager.AddOrUpdate(obj.Manager.ToString(), 1, (_, n) => n + 1);
        if (obj.Skipped)
        {
            Interlocked.Increment(ref _gitOpsSkipped);
        }
        else
        {
            Interlocked.Increment(ref _gitOpsManaged);
        }
    }

    public void Need(Dependency dependency)
    {
        if (NeededOf(dependency.Group, dependency.Resource).TryAdd(dependency.Name, false) && dependency.Optional)
        {
            Optional.TryAdd(dependency with { Optional = false }, true);
        }
    }

    public bool IsOptional(string group, string resource, string name) => Optional.ContainsKey(new Dependency(group, resource, name));

    public ConcurrentDictionary<string, bool> NeededOf(string group, string resource) =>
        Needed.GetOrAdd((group, resource), _ => new(StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, long> Sorted(ConcurrentDictionary<string, long> source) =>
        new SortedDictionary<string, long>(source, StringComparer.Ordinal);
}
