using Strata.Core.Configuration;
using Strata.Core.Kubernetes;

namespace Strata.Core.Databases;

/// <summary>
/// One database server a policy protects (an entry of a policy's <c>databases:</c> in strata.yaml): how to reach it,
/// how to sign in, and which of its databases to dump.
/// </summary>
public sealed record DatabaseTarget
{
    /// <summary>The longest a target's dumps may take together when strata.yaml gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(2);

    /// <summary>The target's name: a storage-key segment (<c>databases/{namespace}/{name}/{database}.dump</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The server's engine.</summary>
    public DatabaseEngine Engine { get; init; } = DatabaseEngine.PostgreSql;

    /// <summary>Where the client tools run.</summary>
    public DatabaseExecutor Executor { get; init; } = DatabaseExecutor.Exec;

    /// <summary>The namespace of the pod (exec) and of <see cref="PasswordSecret"/>; for direct targets, only a storage-key segment (default <c>direct</c>).</summary>
    public required string Namespace { get; init; }

    /// <summary>The pod to exec into, by name; or null with <see cref="PodSelector"/>.</summary>
    public string? Pod { get; init; }

    /// <summary>Selects the pod (the first Running and Ready one, by name) when <see cref="Pod"/> is null.</summary>
    public LabelSelector? PodSelector { get; init; }

    /// <summary>The container that has the client tools; null for the pod's default container.</summary>
    public string? Container { get; init; }

    /// <summary>The server's host for the client tools; null for the local socket inside the pod (exec) — required for direct.</summary>
    public string? Host { get; init; }

    /// <summary>The server's port; null for the engine's default.</summary>
    public int? Port { get; init; }

    /// <summary>The user the tools sign in as; null for the engine's default (<c>postgres</c>, <c>root</c>).</summary>
    public string? User { get; init; }

    /// <summary>The password, from a Kubernetes Secret in <see cref="Namespace"/>; null with <see cref="Password"/> or for local auth.</summary>
    public SecretKeyReference? PasswordSecret { get; init; }

    /// <summary>The password, from an environment variable, a file or Key Vault; null with <see cref="PasswordSecret"/> or for local auth.</summary>
    public SecretReference? Password { get; init; }

    /// <summary>The databases to dump; empty with <see cref="AllDatabases"/>.</summary>
    public IReadOnlyList<string> Databases { get; init; } = [];

    /// <summary>Every database the server has (templates aside) plus, for PostgreSQL, the roles (<c>pg_dumpall --globals-only</c>).</summary>
    public bool AllDatabases { get; init; }

    /// <summary>PostgreSQL's <c>--serializable-deferrable</c>: waits for a snapshot no serializable transaction can conflict with (hot primaries).</summary>
    public bool SerializableDeferrable { get; init; }

    /// <summary>How long the target's dumps may take together.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// Whether the server archives its WAL (<c>archive_command</c> or <c>archive_library</c>) and Strata watches it: each
    /// backup and each freshness pass read <c>pg_stat_archiver</c> and judge it against the policy's objective. PostgreSQL only.
    /// </summary>
    public bool Archiving { get; init; }

    /// <summary>
    /// <c>consistency: application</c>: each backup snapshots the server's volumes inside an online backup
    /// (<c>pg_backup_start</c> … snapshots … <c>pg_backup_stop</c> in one session) and keeps the <c>backup_label</c> it
    /// returns; <c>crash</c>: its volumes are snapshotted without one. Null: the policy's <c>volumes:</c> decides. PostgreSQL only.
    /// </summary>
    public Volumes.VolumeConsistency? Consistency { get; init; }

    /// <summary>The claims (in <see cref="Namespace"/>) that hold the server's data and WAL; empty: every claim its pod mounts. Required for direct targets with <see cref="Consistency"/>.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>What a database drill checks in each restored scratch database (<c>drill.queries</c>).</summary>
    public IReadOnlyList<DrillQuery> DrillQueries { get; init; } = [];

    /// <summary>The server a database drill restores into (<c>drill.server</c>); null for the target's own server.</summary>
    public DatabaseDrillServer? DrillServer { get; init; }

    /// <summary>
    /// For messages, when this describes another server than the target's own (its drill server):
    /// <c>shop/shop-db's drill server</c>; null for the target itself.
    /// </summary>
    public string? ServerLabel { get; init; }

    /// <summary>The line in strata.yaml where the target is defined.</summary>
    public int Line { get; init; }

    /// <summary>The user the tools sign in as.</summary>
    public string EffectiveUser => User ?? (Engine == DatabaseEngine.PostgreSql ? "postgres" : "root");

    /// <summary>For messages: <c>shop/shop-db</c> (or <see cref="ServerLabel"/>).</summary>
    public string Qualified => ServerLabel ?? $"{Namespace}/{Name}";
}
