using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>The queues of the pipeline (Service Bus queues in the cloud, in-process queues on one machine).</summary>
public static class Queues
{
    /// <summary><see cref="BackupRequested"/>, read by the backup worker.</summary>
    public const string Backups = "strata-backups";

    /// <summary><see cref="VerifyRequested"/>, read by the verification worker.</summary>
    public const string Verifications = "strata-verifications";

    /// <summary><see cref="RestoreRequested"/>, read by the restore worker.</summary>
    public const string Restores = "strata-restores";

    /// <summary><see cref="AlertRaised"/> and <see cref="AlertResolved"/>, read by the alert dispatcher.</summary>
    public const string Alerts = "strata-alerts";

    /// <summary><see cref="BackupCompleted"/>, for other systems.</summary>
    public const string Events = "strata-events";

    /// <summary>The queue each message type goes to.</summary>
    public static string For(MessagePayload payload) => payload switch
    {
        BackupRequested => Backups,
        VerifyRequested => Verifications,
        RestoreRequested => Restores,
        AlertRaised or AlertResolved => Alerts,
        BackupCompleted => Events,
        _ => throw new ArgumentException($"no queue for {payload.GetType().Name}"),
    };
}
