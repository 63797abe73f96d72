namespace Strata.Core.Volumes;

/// <summary>
/// Claims snapshotted together, and the hooked pods that mount them: every pre hook of every pod runs before any of
/// the claims is snapshotted, every post hook after all are cut. A claim no hooked pod mounts is a group of one.
/// </summary>
/// <param name="Claims">The claims, by namespace and name.</param>
/// <param name="Pods">The pods whose hooks run around them, by namespace and name.</param>
internal sealed record HookGroup(IReadOnlyList<PlannedClaim> Claims, IReadOnlyList<PodHooks> Pods)
{
    /// <summary>Groups <paramref name="claims"/> with the <paramref name="pods"/> that mount them: connected components of "pod mounts claim".</summary>
    public static IReadOnlyList<HookGroup> Form(IReadOnlyList<PlannedClaim> claims, IReadOnlyList<PodHooks> pods)
    {
        var index = claims.Select((c, i) => (c.Qualified, i)).ToDictionary(p => p.Qualified, p => p.i, StringComparer.Ordinal);
        var parent = Enumerable.Range(0, claims.Count).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);

        var podClaims = new List<(PodHooks Pod, int[] Claims)>();
        foreach (var pod in pods)
        {
            var mounted = PodVolumes.Claims(pod.Pod).Select(name => index.GetValueOrDefault($"{pod.Pod.Namespace}/{name}", -1)).Where(i => i >= 0).Distinct().ToArray();
            if (mounted.Length == 0)
            {
                continue;
            }

            podClaims.Add((pod, mounted));
            foreach (var other in mounted.Skip(1))
            {
                parent[Root(other)] = Root(mounted[0]);
            }
        }

        return [.. Enumerable.Range(0, claims.Count)
            .GroupBy(Root)
            .Select(g => new HookGroup(
                [.. g.Select(i => claims[i]).OrderBy(c => c.Qualified, StringComparer.Ordinal)],
                [.. podClaims.Where(p => Root(p.Claims[0]) == g.Key).Select(p => p.Pod).OrderBy(p => p.Qualified, StringComparer.Ordinal)]))
            .OrderBy(g => g.Claims[0].Qualified, StringComparer.Ordinal)];
    }
}
