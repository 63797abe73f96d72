using Strata.Core.Kubernetes;

namespace Strata.Core.Applications;

/// <summary>
/// An application's own backup command run in its pod (<c>applications:</c> of a policy): what the command writes to
/// stdout — or the file it leaves, streamed back with <c>cat</c> — becomes the artifact
/// <c>applications/{namespace}/{name}/{artifact}</c>, checked afterwards by the application's own verification command
/// reading the stored artifact on stdin (<c>tar -tzf -</c>). For applications whose state is more than a database:
/// GitLab's <c>gitlab-backup</c>, say.
/// </summary>
public sealed record ApplicationDump
{
    /// <summary>How long a dump (command, copy and check) may take when strata.yaml gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(2);

    /// <summary>The dump's name (a storage-key segment).</summary>
    public required string Name { get; init; }

    /// <summary>The pod's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The pod, by name; or null with <see cref="PodSelector"/>.</summary>
    public string? Pod { get; init; }

    /// <summary>Selects the pod (the first Running and Ready one, by name) when <see cref="Pod"/> is null.</summary>
    public LabelSelector? PodSelector { get; init; }

    /// <summary>The container; null for the pod's default.</summary>
    public string? Container { get; init; }

    /// <summary>The backup command (program and arguments, no shell).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// The file the command leaves, when its output is a file rather than stdout: a path, or a shell pattern whose newest
    /// match is taken (<c>/srv/gitlab/tmp/backups/*_gitlab_backup.tar</c>); null: the artifact is the command's stdout.
    /// </summary>
    public string? File { get; init; }

    /// <summary>Whether the file is deleted from the pod once it is stored (it can be large).</summary>
    public bool RemoveFile { get; init; }

    /// <summary>The artifact's file name in the backup.</summary>
    public required string Artifact { get; init; }

    /// <summary>The check run in the pod on the stored artifact (on stdin), e.g. <c>[tar, -tf, -]</c>; null for none.</summary>
    public IReadOnlyList<string>? Verify { get; init; }

    /// <summary>How long the dump may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The line in strata.yaml.</summary>
    public int Line { get; init; }

    /// <summary>For messages: <c>gitlab/gitlab-backup</c>.</summary>
    public string Qualified => $"{Namespace}/{Name}";
}
