namespace Strata.Core.Volumes;

/// <summary>
/// Claims snapshotted together, the hooked pods that mount them and the application-consistent targets whose claims
/// they are: every pre hook of every pod runs before any online backup starts, every online backup starts before any of
/// the claims is snapshotted, stops once all are cut, and every post hook runs after that. A claim no hooked pod mounts
/// (and of no online target) is a group of one.
/// </summary>
/// <param name="Claims">The claims, by namespace and name.</param>
/// <param name="Pods">The pods whose hooks run around them, by namespace and name.</param>
/// <param name="Online">The application-consistent targets whose claims are among <paramref name="Claims"/> (all of each target's claims are).</param>
internal sealed record HookGroup(IReadOnlyList<PlannedClaim> Claims, IReadOnlyList<PodHooks> Pods, IReadOnlyList<OnlineTarget> Online)
{
    /// <summary>
    /// Groups <paramref name="claims"/> with the <paramref name="pods"/> that mount them: connected components of "pod
    /// mounts claim" and "claims of one online target" (one session brackets all of a target's snapshots).
    /// </summary>
    public static IReadOnlyList<HookGroup> Form(IReadOnlyList<PlannedClaim> claims, IReadOnlyList<PodHooks> pods, IReadOnlyList<OnlineTarget>? online = null)
    {
        online ??= [];
        var index = claims.Select((c, i) => (c.Qualified, i)).ToDictionary(p => p.Qualified, p => p.i, StringComparer.Ordinal);
        var parent = Enumerable.Range(0, claims.Count).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        void Join(int[] members)
        {
            foreach (var other in members.Skip(1))
            {
                parent[Root(other)] = Root(members[0]);
            }
        }

        var podClaims = new List<(PodHooks Pod, int[] Claims)>();
        foreach (var pod in pods)
        {
            var mounted = PodVolumes.Claims(pod.Pod).Select(name => index.GetValueOrDefault($"{pod.Pod.Namespace}/{name}", -1)).Where(i => i >= 0).Distinct().ToArray();
            if (mounted.Length == 0)
            {
                continue;
            }

            podClaims.Add((pod, mounted));
            Join(mounted);
        }

        var targetClaims = new List<(OnlineTarget Target, int[] Claims)>();
        foreach (var target in online)
        {
            var members = target.Claims.Select(c => index.GetValueOrDefault(c.Qualified, -1)).Where(i => i >= 0).Distinct().ToArray();
            if (members.Length > 0)
            {
                targetClaims.Add((target, members));
                Join(members);
            }
        }

        return [.. Enumerable.Range(0, claims.Count)
            .GroupBy(Root)
            .Select(g => new HookGroup(
                [.. g.Select(i => claims[i]).OrderBy(c => c.Qualified, StringComparer.Ordinal)],
                [.. podClaims.Where(p => Root(p.Claims[0]) == g.Key).Select(p => p.Pod).OrderBy(p => p.Qualified, StringComparer.Ordinal)],
                [.. targetClaims.Where(t => Root(t.Claims[0]) == g.Key).Select(t => t.Target).OrderBy(t => t.Target.Qualified, StringComparer.Ordinal)]))
            .OrderBy(g => g.Claims[0].Qualified, StringComparer.Ordinal)];
    }
}
