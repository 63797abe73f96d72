namespace Strata.Sandbox;

/// <summary>
/// A kubeadm control-plane node's <c>/etc/kubernetes</c>, written into a folder on this host for
/// <see cref="NodeFilesExec"/> (tests and <c>strata demo</c>): the PKI (cluster, front-proxy and etcd CAs, the
/// service-account key pair, the API server's certificate), the static-pod manifests and the kubeconfigs. The keys are
/// placeholders in PEM armour, not keys: nothing here secures anything.
/// </summary>
public static class SampleControlPlaneFiles
{
    /// <summary>The regular files under <c>pki</c> and <c>manifests</c>: 16 in the PKI (seven pairs, the service-account pair), four manifests.</summary>
    public const int Files = 20;

    /// <summary>The private keys among them: the eight <c>*.key</c>.</summary>
    public const int PrivateKeyFiles = 8;

    /// <summary>The kubeconfigs beside them: <c>admin.conf</c>, <c>super-admin.conf</c>, <c>kubelet.conf</c>.</summary>
    public const int KubeconfigFiles = 3;

    /// <summary>The kubeconfigs that embed a private key (<c>client-key-data</c>): admin.conf and super-admin.conf; kubelet.conf points at a file.</summary>
    public const int KubeconfigKeys = 2;

    /// <summary>Writes the tree into <paramref name="folder"/> (created if absent); returns it.</summary>
    public static string Write(string folder, string node = "cp-1")
    {
        foreach (var (path, content) in Tree(node))
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return folder;
    }

    private static IEnumerable<(string Path, string Content)> Tree(string node)
    {
        foreach (var pair in new[] { "ca", "front-proxy-ca", "apiserver", "apiserver-kubelet-client", "etcd/ca", "etcd/server", "etcd/peer" })
        {
            yield return ($"pki/{pair}.crt", Pem("CERTIFICATE", $"{node} {pair}"));
            yield return ($"pki/{pair}.key", Pem("PRIVATE KEY", $"{node} {pair}"));
        }

        yield return ("pki/sa.key", Pem("PRIVATE KEY", $"{node} service accounts"));
        yield return ("pki/sa.pub", Pem("PUBLIC KEY", $"{node} service accounts"));
        foreach (var component in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
        {
            yield return ($"manifests/{component}.yaml", $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {component}\n  namespace: kube-system\nspec:\n  nodeName: {node}\n");
        }

        yield return ("admin.conf", Kubeconfig("kubernetes-admin", embedded: true));
        yield return ("super-admin.conf", Kubeconfig("kubernetes-super-admin", embedded: true));
        // kubeadm's kubelet.conf points at the kubelet's rotated certificate instead of embedding a key.
        yield return ("kubelet.conf", Kubeconfig($"system:node:{node}", embedded: false));
    }

    private static string Pem(string label, string what) =>
        $"-----BEGIN {label}-----\n{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"placeholder {label.ToLowerInvariant()} of {what}"))}\n-----END {label}-----\n";

    private static string Kubeconfig(string user, bool embedded) =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubernetes
          cluster:
            server: https://cp.example.internal:6443
        users:
        - name: {user}
          user:

        """ + (embedded
            ? $"    client-certificate-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pem("CERTIFICATE", user)))}\n    client-key-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pem("PRIVATE KEY", user)))}\n"
            : "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n");
}
