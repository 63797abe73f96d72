namespace Strata.Adapters.Kubernetes.Configuration;

/// <summary>
/// A kubeconfig could not be used: missing, unparsable, or naming what it does not define. The
/// message names the file (and line) or context and the problem, never a credential.
/// </summary>
public sealed class KubeconfigException(string message, Exception? inner = null) : Exception(message, inner);
