namespace Strata.Adapters.Kubernetes.Configuration;

// The kubeconfig v1 schema (k8s.io/client-go/tools/clientcmd/api/v1), only the fields Strata uses.
// Read by KubeconfigYaml, under the field names kubeconfig files use. Not the SDK's
// k8s.KubeConfigModels: those have no tokenFile and no exec interactiveMode, and drop them silently.

internal sealed class KubeconfigDocument
{
    public List<NamedCluster>? Clusters { get; set; }

    public List<NamedUser>? Users { get; set; }

    public List<NamedContext>? Contexts { get; set; }

    public string? CurrentContext { get; set; }
}

internal sealed class NamedCluster
{
    public string? Name { get; set; }

    public ClusterEntry? Cluster { get; set; }
}

internal sealed class ClusterEntry
{
    public string? Server { get; set; }

    public string? CertificateAuthority { get; set; }

    public string? CertificateAuthorityData { get; set; }

    public bool InsecureSkipTlsVerify { get; set; }

    public string? TlsServerName { get; set; }
}

internal sealed class NamedUser
{
    public string? Name { get; set; }

    public UserEntry? User { get; set; }
}

internal sealed class UserEntry
{
    public string? Token { get; set; }

    public string? TokenFile { get; set; }

    public string? ClientCertificate { get; set; }

    public string? ClientCertificateData { get; set; }

    public string? ClientKey { get; set; }

    public string? ClientKeyData { get; set; }

    public string? Username { get; set; }

    public ExecConfig? Exec { get; set; }

    /// <summary>Whether an <c>auth-provider</c> is set (Strata refuses it, saying why).</summary>
    public bool HasAuthProvider { get; set; }
}

internal sealed class ExecConfig
{
    public string? ApiVersion { get; set; }

    public string? Command { get; set; }

    public List<string>? Args { get; set; }

    public List<ExecEnvVar>? Env { get; set; }

    public string? InstallHint { get; set; }

    public bool ProvideClusterInfo { get; set; }

    public string? InteractiveMode { get; set; }
}

internal sealed class ExecEnvVar
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

internal sealed class NamedContext
{
    public string? Name { get; set; }

    public ContextEntry? Context { get; set; }
}

internal sealed class ContextEntry
{
    public string? Cluster { get; set; }

    public string? User { get; set; }

    public string? Namespace { get; set; }
}
