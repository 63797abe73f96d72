namespace Strata.Core.Coverage;

/// <summary>The kinds of stateful thing the coverage report looks for.</summary>
public enum StatefulKind
{
    /// <summary>A PersistentVolumeClaim (with its StorageClass's snapshot support).</summary>
    PersistentVolumeClaim,

    /// <summary>A StatefulSet.</summary>
    StatefulSet,

    /// <summary>A database pod recognised by its image (postgres, mysql/mariadb, mongo, redis).</summary>
    DatabasePod,

    /// <summary>A database an operator runs (CloudNativePG, Zalando or Crunchy Postgres, Percona).</summary>
    DatabaseOperator,

    /// <summary>etcd of a self-managed control plane.</summary>
    Etcd,
}
