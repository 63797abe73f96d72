namespace Strata.Sandbox;

/// <summary>
/// The CloudNativePG operator, simulated (<see cref="SimulatedControllers.CloudNativePg"/>; it acts once the CNPG CRDs
/// are loaded): a created <c>Backup</c> is <c>running</c> at once and, after <see cref="BackupDelay"/>, <c>completed</c>
/// with the status fields the operator writes, or <c>failed</c> with <see cref="FailureError"/> for what
/// <see cref="BackupFails"/> picks. <see cref="SandboxApiServer.SetContinuousArchiving"/> sets a Cluster's archiving.
/// </summary>
public sealed record SimulatedCloudNativePg
{
    /// <summary>How long a base backup runs before it ends.</summary>
    public TimeSpan BackupDelay { get; init; }

    /// <summary>Backups that fail (given the Backup); null: none.</summary>
    public Func<SandboxObject, bool>? BackupFails { get; init; }

    /// <summary>The <c>status.error</c> of a Backup that fails.</summary>
    public string FailureError { get; init; } = "can't execute backup: exit status 4 (barman-cloud-backup: ERROR: Barman cloud backup exception: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied)";
}
