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

    /// <summary>
    /// A Deployment: listed when it mounts claims or runs a database image (stateful), or when GitOps manages it and it is
    /// stateless (rebuildable); a stateless Deployment applied by hand holds no state and is not listed.
    /// </summary>
    Deployment,
}
