using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Databases;

/// <summary>
/// Readies a target: finds its pod (<see cref="PodLocator"/>) and
/// reads its password (a key of a Kubernetes Secret through the API, or a secret reference) — each failure one line
/// that names the target and what is missing.
/// </summary>
/// <param name="cluster">The target's cluster (pods and Secrets), for exec targets and <c>passwordSecret</c>.</param>
/// <param name="exec">Runs commands in the cluster's pods.</param>
/// <param name="host">Runs programs on this host, for direct targets.</param>
/// <param name="secrets">Reads <c>password</c> references.</param>
public sealed class DatabaseConnector(IClusterReader? cluster, IPodExec? exec, IHostCommands host, ISecretValues secrets)
{
    /// <summary>The core group's Secrets.</summary>
    public static readonly ApiResource Secrets = new("", "v1", "secrets", "Secret", true, ["get"]);

    /// <summary>Readies <paramref name="target"/>; <see cref="DatabaseTargetException"/> says what is missing.</summary>
    public async Task<ConnectedDatabase> ConnectAsync(DatabaseTarget target, CancellationToken cancellationToken = default)
    {
        IToolExecutor executor = target.Executor == DatabaseExecutor.Direct
            ? new HostToolExecutor(host)
            : new PodToolExecutor(exec ?? throw Missing(target, "the cluster client cannot run commands in pods"), target.Namespace, await PodAsync(target, cancellationToken), target.Container);
        var password = target.PasswordSecret is { } secret ? Usable(target, await SecretKeyAsync(target, secret, cancellationToken), $"key '{secret.Key}' of Secret {target.Namespace}/{secret.Name}")
            : target.Password is { } reference ? Usable(target, await ReferenceAsync(target, reference, cancellationToken), reference.ToString())
            : null;
        return new ConnectedDatabase(target, executor, password);
    }

    private Task<string> PodAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        PodLocator.FindAsync(cluster ?? throw Missing(target, "no cluster to find its pod in"), target.Namespace, target.Pod, target.PodSelector, $"database target {target.Qualified}", cancellationToken);

    private async Task<string> SecretKeyAsync(DatabaseTarget target, SecretKeyReference secret, CancellationToken cancellationToken)
    {
        var reader = cluster ?? throw Missing(target, "no cluster to read its passwordSecret from");
        var found = await GetAsync(reader, Secrets, target.Namespace, secret.Name, target, cancellationToken)
            ?? throw Missing(target, $"Secret {target.Namespace}/{secret.Name} (its passwordSecret) not found");
        if ((found.Json["data"] as JsonObject)?[secret.Key]?.GetValue<string>() is not { } encoded)
        {
            throw Missing(target, $"Secret {target.Namespace}/{secret.Name} has no key '{secret.Key}'");
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw Missing(target, $"the value of key '{secret.Key}' of Secret {target.Namespace}/{secret.Name} is not base64");
        }
    }

    private async Task<string> ReferenceAsync(DatabaseTarget target, Configuration.SecretReference reference, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets.ResolveAsync(reference, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DatabaseTargetException($"database target {target.Qualified}: its password cannot be read: {e.Message}", e);
        }
    }

    private static async Task<KubeObject?> GetAsync(IClusterReader reader, ApiResource resource, string ns, string name, DatabaseTarget target, CancellationToken cancellationToken)
    {
        if (reader is not IClusterWriter client)
        {
            throw Missing(target, "the cluster client cannot read single objects");
        }

        try
        {
            return await client.GetAsync(resource, ns, name, cancellationToken);
        }
        catch (ClusterRequestException e)
        {
            throw new DatabaseTargetException($"database target {target.Qualified}: reading {resource.Kind} {ns}/{name} failed: {e.Message}", e);
        }
    }

    /// <summary>A password reaches the tools as one line (stdin in a pod, the environment here): a line break cannot be in it.</summary>
    private static string Usable(DatabaseTarget target, string password, string where) =>
        password.AsSpan().IndexOfAny('\n', '\r', '\0') < 0 ? password
            : throw Missing(target, $"the password in {where} contains a line break (a trailing newline from a file, as 'kubectl create secret --from-file' keeps?): no client tool can use it");

    private static DatabaseTargetException Missing(DatabaseTarget target, string why) => new($"database target {target.Qualified}: {why}");
}
