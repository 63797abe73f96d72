using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Cli.Output;

/// <summary>What <c>--remote</c> prints: the message sent, and the run the control plane will record for it.</summary>
internal static class RemoteRequestText
{
    public static string Sent(Envelope envelope, string fullyQualifiedNamespace, string runId, bool json)
    {
        var queue = Queues.For(envelope.Payload);
        if (json)
        {
            var document = new JsonObject
            {
                ["messageId"] = envelope.Id,
                ["queue"] = queue,
                ["namespace"] = fullyQualifiedNamespace,
            };
            switch (envelope.Payload)
            {
                case BackupRequested backup:
                    document["cluster"] = backup.Cluster;
                    document["policy"] = backup.Policy;
                    document["backupId"] = runId;
                    break;
                case RestoreRequested restore:
                    document["backupId"] = restore.BackupId;
                    document["cluster"] = restore.TargetCluster;
                    document["restoreId"] = runId;
                    break;
            }

            document["envelope"] = MessageCodec.ToJson(envelope);
            return document.ToJsonString(BackupJson.Indented);
        }

        var (asked, recorded) = envelope.Payload switch
        {
            BackupRequested backup => ($"a backup of {backup.Cluster} (policy {backup.Policy})", $"backup {runId}: 'strata backup describe {runId}'"),
            RestoreRequested restore => ($"a restore of backup {restore.BackupId} into {restore.TargetCluster}" + (restore.DryRun ? " (dry run)" : ""),
                $"restore {runId}: 'strata restore describe {runId}'"),
            _ => ($"a {envelope.Type}", $"run {runId}"),
        };
        return $"Requested {asked}: message {envelope.Id} is on {queue} in {fullyQualifiedNamespace}.\n"
            + $"The control plane records it as {recorded} with its history shows how it went.";
    }
}
