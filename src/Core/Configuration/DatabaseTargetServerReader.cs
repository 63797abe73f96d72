using Strata.Core.Databases;
using Strata.Core.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads how a database server is reached — where its tools run (a pod through exec, or the runner's host), and how they
/// sign in — for a database target's own server and for its <c>drill.server</c> alike, so both are written, and refused,
/// the same way.
/// </summary>
internal static class DatabaseTargetServerReader
{
    /// <summary>The fields that name a server.</summary>
    public static readonly string[] Fields = ["executor", "namespace", "pod", "selector", "container", "host", "port", "user", "passwordSecret", "password"];

    /// <summary>A server as strata.yaml names it; <see cref="Namespace"/> null when not given.</summary>
    public sealed record Server(
        DatabaseExecutor Executor, string? Namespace, string? Pod, LabelSelector? Selector, string? Container, string? Host, int? Port, string? User,
        SecretKeyReference? PasswordSecret, SecretReference? Password);

    /// <summary>Reads the server fields of <paramref name="map"/>, refusing combinations that cannot work; <paramref name="whose"/> ("the database's") words the messages.</summary>
    public static Server Read(ConfigurationReader reader, YamlMappingNode map, string path, string whose)
    {
        var executor = Executor(reader, map, path);
        var ns = reader.OptionalString(map, path, "namespace");
        var pod = reader.OptionalString(map, path, "pod");
        var selector = Selector(reader, map, path);
        var host = reader.OptionalString(map, path, "host");
        var passwordSecret = PasswordSecret(reader, map, path);
        var password = reader.Secret(map, path, "password", "a database password is never written in strata.yaml");

        void Refuse(string message) => reader.Error(map, path, message);
        if (executor == DatabaseExecutor.Exec)
        {
            if (ns is null)
            {
                Refuse($"'namespace' is required: the namespace of {whose} pod");
            }

            if ((pod is null) == (selector is null))
            {
                Refuse($"give one of 'pod' (a pod's name) or 'selector' (labels of {whose} pods)");
            }
        }
        else
        {
            if (host is null)
            {
                Refuse("'host' is required for executor 'direct': the server the tools on this host connect to");
            }

            if (pod is not null || selector is not null || reader.Child(map, "container") is not null)
            {
                Refuse("'pod', 'selector' and 'container' apply to executor 'exec'; a direct server is named by 'host' (and 'port')");
            }

            if (passwordSecret is not null && ns is null)
            {
                Refuse("'passwordSecret' is read from a namespace: give 'namespace' too");
            }
        }

        if (passwordSecret is not null && password is not null)
        {
            Refuse("give one of 'passwordSecret' (a Kubernetes Secret) or 'password' (env, file or Key Vault), not both");
        }

        return new Server(executor, ns, pod, selector, reader.OptionalString(map, path, "container"), host, reader.OptionalInt(map, path, "port", 1, 65535),
            reader.OptionalString(map, path, "user"), passwordSecret, password);
    }

    private static DatabaseExecutor Executor(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        var text = reader.OptionalString(map, path, "executor");
        switch (text)
        {
            case null or "exec":
                return DatabaseExecutor.Exec;
            case "direct":
                return DatabaseExecutor.Direct;
            default:
                reader.Error(reader.Child(map, "executor")!, $"{path}.executor", $"'{text}' is not exec (in the pod, through the Kubernetes API) or direct (on this host)");
                return DatabaseExecutor.Exec;
        }
    }

    private static LabelSelector? Selector(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "selector") is not { } node || reader.Scalar(node, $"{path}.selector") is not { } text)
        {
            return null;
        }

        if (LabelSelector.TryParse(text, out var selector, out var error) && !selector.IsEmpty)
        {
            return selector;
        }

        reader.Error(node, $"{path}.selector", error ?? "an empty selector would pick any pod in the namespace");
        return null;
    }

    private static SecretKeyReference? PasswordSecret(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "passwordSecret") is not { } node || reader.Mapping(node, $"{path}.passwordSecret") is not { } secret)
        {
            return null;
        }

        var secretPath = $"{path}.passwordSecret";
        reader.OnlyKeys(secret, secretPath, "name", "key");
        var name = reader.OptionalString(secret, secretPath, "name");
        var key = reader.OptionalString(secret, secretPath, "key");
        if (name is null || key is null)
        {
            reader.Error(secret, secretPath, "needs 'name' (the Secret in the server's namespace) and 'key' (under its data)");
            return null;
        }

        return new SecretKeyReference(name, key);
    }
}
