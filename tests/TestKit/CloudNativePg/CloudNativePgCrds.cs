using System.Text.Json.Nodes;
using Strata.Sandbox;

namespace Strata.TestKit.CloudNativePg;

/// <summary>
/// CloudNativePG's published CRDs (Cluster, Backup, ScheduledBackup), read from <c>../shared/reference/crds/</c> beside
/// the repository — never copied into it — and installed into a sandbox as the operator's Helm chart would. A missing
/// file fails the test that needs it: they are part of the machine the tests run on.
/// </summary>
public static class CloudNativePgCrds
{
    /// <summary>The CRD files, in the order they are installed.</summary>
    public static IReadOnlyList<string> Files { get; } =
        ["postgresql.cnpg.io_clusters.yaml", "postgresql.cnpg.io_backups.yaml", "postgresql.cnpg.io_scheduledbackups.yaml"];

    /// <summary>Where they are: <c>../shared/reference/crds/</c> from the repository root.</summary>
    public static string Folder => Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "reference", "crds"));

    /// <summary>Installs every CRD into <paramref name="server"/>; throws when a file is missing.</summary>
    public static void Install(SandboxApiServer server)
    {
        foreach (var file in Files)
        {
            var path = Path.Combine(Folder, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"the CloudNativePG CRD {file} is not at {Folder} (the published CRDs the tests load; see its README)", path);
            }

            foreach (var crd in YamlJson.Documents(File.ReadAllText(path)))
            {
                server.Create(crd);
            }
        }
    }

    /// <summary>
    /// A Cluster of three instances in <paramref name="ns"/>, backed up to an object store (<c>s3://backups/{name}</c>)
    /// unless <paramref name="spec"/> changes it.
    /// </summary>
    public static JsonObject Cluster(string ns, string name, Action<JsonObject>? spec = null)
    {
        var body = new JsonObject
        {
            ["instances"] = 3,
            ["storage"] = new JsonObject { ["size"] = "1Gi" },
            ["backup"] = new JsonObject
            {
                ["barmanObjectStore"] = new JsonObject
                {
                    ["destinationPath"] = $"s3://backups/{name}",
                    ["s3Credentials"] = new JsonObject
                    {
                        ["accessKeyId"] = new JsonObject { ["name"] = "backup-creds", ["key"] = "ACCESS_KEY_ID" },
                        ["secretAccessKey"] = new JsonObject { ["name"] = "backup-creds", ["key"] = "ACCESS_SECRET_KEY" },
                    },
                },
            },
        };
        spec?.Invoke(body);
        return new JsonObject
        {
            ["apiVersion"] = "postgresql.cnpg.io/v1",
            ["kind"] = "Cluster",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = body,
        };
    }
}
