using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// The <c>Backup</c> a Strata backup asks CloudNativePG for: <c>postgresql.cnpg.io/v1</c>, named by
/// <see cref="CloudNativePgBackupName"/>, labelled with the Strata backup id and policy. One that exists under that name
/// and carries this backup's id (an earlier attempt of the same run) is reused, never created twice; one that does
/// not carry it belongs to someone else and is left alone.
/// </summary>
public static class CloudNativePgBackupRequest
{
    /// <summary>The manager value of the labels (<c>app.kubernetes.io/managed-by</c>).</summary>
    public const string Manager = StrataLabels.Manager;

    /// <summary>The Backup object to create.</summary>
    public static JsonObject Body(LayerContext context, CloudNativePgTarget target, CloudNativePgMethodChoice choice)
    {
        var spec = new JsonObject
        {
            ["cluster"] = new JsonObject { ["name"] = target.Cluster },
            ["method"] = CloudNativePgApi.WireName(choice.Method!.Value),
        };
        if (choice.Plugin is { } plugin)
        {
            spec["pluginConfiguration"] = new JsonObject { ["name"] = plugin };
        }

        return new JsonObject
        {
            ["apiVersion"] = CloudNativePgApi.ApiVersion,
            ["kind"] = CloudNativePgApi.Backups.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = CloudNativePgBackupName.For(target.Cluster, context.BackupId),
                ["namespace"] = target.Namespace,
                ["labels"] = new JsonObject
                {
                    [CloudNativePgApi.ClusterLabel] = target.Cluster,
                    [CloudNativePgApi.BackupIdLabel] = context.BackupId,
                    [CloudNativePgApi.PolicyLabel] = context.Policy,
                    [CloudNativePgApi.ManagedByLabel] = Manager,
                },
            },
            ["spec"] = spec,
        };
    }

    /// <summary>Creates the Backup, or finds the one an earlier attempt of this backup created; true when it was found.</summary>
    public static async Task<(KubeObject Backup, bool Reused)> EnsureAsync(
        IClusterWriter client, LayerContext context, CloudNativePgTarget target, CloudNativePgMethodChoice choice, CancellationToken cancellationToken = default)
    {
        var body = Body(context, target, choice);
        var name = body["metadata"]!["name"]!.GetValue<string>();
        if (await FindOwnAsync(client, context, target, name, cancellationToken) is { } existing)
        {
            return (existing, true);
        }

        try
        {
            return (await client.CreateAsync(CloudNativePgApi.Backups, target.Namespace, body, cancellationToken: cancellationToken), false);
        }
        catch (ClusterRequestException e) when (e.StatusCode == 409)
        {
            // Created between the read and the create: by another attempt of this backup (reused), or by someone else (refused).
            return (await FindOwnAsync(client, context, target, name, cancellationToken) ?? throw Foreign(target, name), true);
        }
        catch (ClusterRequestException e)
        {
            throw new CloudNativePgException($"creating CloudNativePG Backup {target.Namespace}/{name} on cluster {context.Cluster} failed: {e.Message}", e.Reason ?? ProblemReasons.DatabaseUnreachable, e);
        }
    }

    private static async Task<KubeObject?> FindOwnAsync(IClusterWriter client, LayerContext context, CloudNativePgTarget target, string name, CancellationToken cancellationToken)
    {
        var existing = await CloudNativePgClusters.GetAsync(client, CloudNativePgApi.Backups, target.Namespace, name, context.Cluster, cancellationToken);
        return existing is null ? null
            : existing.Label(CloudNativePgApi.BackupIdLabel) == context.BackupId && existing.GetString("spec.cluster.name") == target.Cluster ? existing
            : throw Foreign(target, name);
    }

    private static CloudNativePgException Foreign(CloudNativePgTarget target, string name) =>
        new($"a CloudNativePG Backup {target.Namespace}/{name} exists that this Strata backup did not create; it was left alone", "AlreadyExists");
}
