namespace Strata.Core.Etcd;

/// <summary>
/// <c>etcd.controlPlaneFiles</c> of a policy: the files a kubeadm control plane is rebuilt from, copied from each
/// control-plane node by a short-lived Pod pinned to it (<c>nodeName</c>, the control-plane tolerations, a read-only
/// <c>hostPath</c> of <see cref="Root"/>, the policy's image) whose <c>tar</c> is streamed through <c>pods/exec</c>.
/// They hold private keys: until client-side encryption lands, they are taken only with
/// <see cref="AllowUnencryptedKeys"/>.
/// </summary>
public sealed record ControlPlaneFilesSettings
{
    /// <summary>The kubeadm configuration folder on each node.</summary>
    public const string DefaultRoot = "/etc/kubernetes";

    /// <summary>The folders under <see cref="Root"/> always taken: the PKI and the static-pod manifests.</summary>
    public static readonly IReadOnlyList<string> DefaultPaths = ["pki", "manifests"];

    /// <summary>The kubeconfigs under <see cref="Root"/> taken with <see cref="Kubeconfigs"/>, where a node has them.</summary>
    public static readonly IReadOnlyList<string> KubeconfigFiles = ["admin.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet.conf"];

    /// <summary>The label that marks control-plane nodes (kubeadm sets it; <c>node-role.kubernetes.io/master</c> on old clusters).</summary>
    public const string ControlPlaneLabel = "node-role.kubernetes.io/control-plane";

    /// <summary>How long one node's copy may take (Pod start, listing, tar) when strata.yaml gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The image of the Pod: a minimal one with <c>sh</c> and <c>tar</c> (busybox), from a registry the nodes reach.</summary>
    public required string Image { get; init; }

    /// <summary>The namespace the Pod runs in (its Pod Security level must admit a read-only hostPath).</summary>
    public string Namespace { get; init; } = "kube-system";

    /// <summary>The folder on each node the paths are relative to.</summary>
    public string Root { get; init; } = DefaultRoot;

    /// <summary>The entries under <see cref="Root"/> taken (each must exist), then the kubeconfigs when asked.</summary>
    public IReadOnlyList<string> Paths { get; init; } = DefaultPaths;

    /// <summary>Whether <see cref="KubeconfigFiles"/> are taken too (those a node has).</summary>
    public bool Kubeconfigs { get; init; }

    /// <summary>
    /// The policy accepts that private keys are stored as the nodes hold them (unencrypted) when its backups do not
    /// encrypt; without it such a backup does not take the control-plane files, and says so. A backup that encrypts
    /// (<c>encryption.keys</c> in strata.yaml) stores them encrypted and does not need it.
    /// </summary>
    public bool AllowUnencryptedKeys { get; init; }

    /// <summary>The nodes copied, by label (default: those that have <see cref="ControlPlaneLabel"/>, whatever its value).</summary>
    public Kubernetes.LabelSelector NodeSelector { get; init; } = Kubernetes.LabelSelector.Parse(ControlPlaneLabel);

    /// <summary>How long one node's copy may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
