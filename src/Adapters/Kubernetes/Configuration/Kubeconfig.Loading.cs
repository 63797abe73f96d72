using YamlDotNet.Core;

namespace Strata.Adapters.Kubernetes.Configuration;

/// <summary>
/// A kubeconfig as kubectl sees it: one file (<c>--kubeconfig</c>), the files of
/// <c>KUBECONFIG</c> merged, or <c>~/.kube/config</c>. Merging follows kubectl: the first file
/// to define a cluster, user or context name wins, and so does the first <c>current-context</c>.
/// This part loads and merges; resolution into a connection is in <c>Kubeconfig.Resolution.cs</c>.
/// </summary>
/// <remarks>
/// Kept rather than the SDK's loader (<c>KubernetesClientConfiguration.BuildDefaultConfig</c> and
/// friends), which merges <c>KUBECONFIG</c> only from the process environment, fails on a listed
/// file that does not exist, resolves every file's relative paths against the first file's folder,
/// matches context names ignoring case, reads no <c>tokenFile</c> or <c>interactiveMode</c>, and
/// names neither the file nor the known contexts in its errors. The result is still the SDK's
/// <c>KubernetesClientConfiguration</c>. See docs/kubernetes.md and <c>SdkGapTests</c>.
/// </remarks>
public sealed partial class Kubeconfig
{
    private readonly Dictionary<string, (ClusterEntry Entry, string File)> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (UserEntry Entry, string File)> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ContextEntry Entry, string File)> _contexts = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];

    private Kubeconfig()
    {
    }

    /// <summary>The files merged, in precedence order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>The merged <c>current-context</c>.</summary>
    public string? CurrentContext { get; private set; }

    /// <summary>Every context name.</summary>
    public IReadOnlyCollection<string> ContextNames => _contexts.Keys;

    /// <summary>
    /// Loads the kubeconfig kubectl would use: <paramref name="explicitPath"/> if given (it must
    /// exist), else the files in <c>KUBECONFIG</c> (missing ones skipped), else <c>~/.kube/config</c>.
    /// </summary>
    public static Kubeconfig Load(string? explicitPath = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (!File.Exists(explicitPath))
            {
                throw new KubeconfigException($"kubeconfig {explicitPath}: file does not exist");
            }

            return FromFiles([explicitPath]);
        }

        if (environment("KUBECONFIG") is { Length: > 0 } list)
        {
            var paths = list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var existing = paths.Where(File.Exists).ToList();
            if (existing.Count == 0)
            {
                throw new KubeconfigException($"KUBECONFIG={list}: none of its files exists");
            }

            return FromFiles(existing);
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultPath = Path.Combine(home, ".kube", "config");
        if (!File.Exists(defaultPath))
        {
            throw new KubeconfigException($"kubeconfig {defaultPath}: file does not exist (pass --kubeconfig, or set KUBECONFIG)");
        }

        return FromFiles([defaultPath]);
    }

    /// <summary>Parses one kubeconfig document; relative paths in it resolve against <paramref name="baseDirectory"/>.</summary>
    public static Kubeconfig Parse(string yaml, string source, string? baseDirectory = null)
    {
        var config = new Kubeconfig();
        config.Merge(yaml, source, baseDirectory ?? Directory.GetCurrentDirectory());
        return config;
    }

    private static Kubeconfig FromFiles(IEnumerable<string> paths)
    {
        var config = new Kubeconfig();
        foreach (var path in paths)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubeconfigException($"kubeconfig {path}: cannot be read ({e.Message})", e);
            }

            config.Merge(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        return config;
    }

    private void Merge(string yaml, string source, string baseDirectory)
    {
        KubeconfigDocument? document;
        try
        {
            document = KubeconfigYaml.Read(yaml);
        }
        catch (YamlException e)
        {
            var where = e.Start.Line > 0 ? $" line {e.Start.Line}" : string.Empty;
            var why = (e.InnerException ?? e).Message;
            throw new KubeconfigException($"kubeconfig {source}{where}: not valid kubeconfig YAML ({why})", e);
        }

        _files.Add(source);
        if (document is null)
        {
            return;
        }

        foreach (var c in document.Clusters ?? [])
        {
            if (c.Name is { Length: > 0 } name && c.Cluster is { } entry && !_clusters.ContainsKey(name))
            {
                entry.CertificateAuthority = Rooted(entry.CertificateAuthority, baseDirectory);
                _clusters[name] = (entry, source);
            }
        }

        foreach (var u in document.Users ?? [])
        {
            if (u.Name is { Length: > 0 } name && u.User is { } entry && !_users.ContainsKey(name))
            {
                entry.TokenFile = Rooted(entry.TokenFile, baseDirectory);
                entry.ClientCertificate = Rooted(entry.ClientCertificate, baseDirectory);
                entry.ClientKey = Rooted(entry.ClientKey, baseDirectory);
                if (entry.Exec?.Command is { } command && command.Contains('/'))
                {
                    entry.Exec.Command = Rooted(command, baseDirectory);
                }

                _users[name] = (entry, source);
            }
        }

        foreach (var c in document.Contexts ?? [])
        {
            if (c.Name is { Length: > 0 } name && c.Context is { } entry && !_contexts.ContainsKey(name))
            {
                _contexts[name] = (entry, source);
            }
        }

        if (string.IsNullOrEmpty(CurrentContext) && !string.IsNullOrEmpty(document.CurrentContext))
        {
            CurrentContext = document.CurrentContext;
        }
    }

    private static string? Rooted(string? path, string baseDirectory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
