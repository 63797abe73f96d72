using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>A pod's hooks, in the order they run: the policy's (in the order of <c>volumes.hooks</c>), then the pod's annotation's.</summary>
/// <param name="Pod">The pod.</param>
/// <param name="Pre">Run before the snapshots.</param>
/// <param name="Post">Run after them.</param>
internal sealed record PodHooks(KubeObject Pod, IReadOnlyList<PodHook> Pre, IReadOnlyList<PodHook> Post)
{
    /// <summary>For messages: <c>ns/name</c>.</summary>
    public string Qualified => $"{Pod.Namespace}/{Pod.Name}";

    /// <summary>The hooks of <paramref name="pod"/>, or null when it has none.</summary>
    public static PodHooks? For(KubeObject pod, IReadOnlyList<VolumeHook> policyHooks)
    {
        var pre = new List<PodHook>();
        var post = new List<PodHook>();
        var first = PodVolumes.FirstContainer(pod);
        foreach (var hook in policyHooks.Where(h => h.AppliesTo(pod)))
        {
            var container = hook.Container ?? first;
            pre.AddRange(hook.Pre.Select(c => Policy(HookPhase.Pre, hook, pod, container, c)));
            post.AddRange(hook.Post.Select(c => Policy(HookPhase.Post, hook, pod, container, c)));
        }

        if (VeleroHookAnnotations.Read(pod, HookPhase.Pre) is { } preAnnotation)
        {
            pre.Add(preAnnotation);
        }

        if (VeleroHookAnnotations.Read(pod, HookPhase.Post) is { } postAnnotation)
        {
            post.Add(postAnnotation);
        }

        return pre.Count + post.Count == 0 ? null : new PodHooks(pod, pre, post);
    }

    private static PodHook Policy(HookPhase phase, VolumeHook hook, KubeObject pod, string? container, HookCommand command) =>
        new(phase, $"policy hook {hook.Name}", pod.Namespace ?? "", pod.Name, container, command.Command, command.EffectiveTimeout, command.OnError);
}
