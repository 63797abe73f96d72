namespace Strata.Core.Coverage;

/// <summary>
/// The database operators whose custom resources the coverage survey lists — each only when the cluster serves its CRD
/// (read from discovery) — with the label each puts on its pods and claims, so that those are listed under the
/// database rather than again on their own.
/// </summary>
public static class DatabaseOperators
{
    /// <summary>The operators' resources.</summary>
    public static IReadOnlyList<DatabaseOperator> Table { get; } =
    [
        new("postgresql.cnpg.io", "clusters", "CloudNativePG PostgreSQL", "PostgreSQL", "cnpg.io/cluster",
            "a PostgreSQL cluster; a policy's cloudNativePG: targets back it up through the operator (a Backup object)"),
        new("acid.zalan.do", "postgresqls", "Zalando PostgreSQL", "PostgreSQL", "cluster-name",
            "a PostgreSQL cluster (Spilo); a databases target on its primary pod dumps it"),
        new("postgres-operator.crunchydata.com", "postgresclusters", "Crunchy PostgreSQL", "PostgreSQL", "postgres-operator.crunchydata.com/cluster",
            "a PostgreSQL cluster (PGO); a databases target on its primary pod dumps it"),
        new("pxc.percona.com", "perconaxtradbclusters", "Percona XtraDB Cluster (MySQL)", "MySQL", "app.kubernetes.io/instance",
            "a MySQL Galera cluster; a databases target (engine: mysql) on one of its pods dumps it"),
        // The Percona Server for MySQL operator sets app.kubernetes.io/instance to the PerconaServerMySQL's name on what it
        // makes (its naming.LabelInstance), and marks the primary pod mysql.percona.com/primary=true.
        new("ps.percona.com", "perconaservermysqls", "Percona Server for MySQL", "MySQL", "app.kubernetes.io/instance",
            "a MySQL cluster (group or asynchronous replication); a databases target (engine: mysql) on its primary pod dumps it"),
        new("psmdb.percona.com", "perconaservermongodbs", "Percona Server for MongoDB", "MongoDB", "app.kubernetes.io/instance",
            "a MongoDB replica set; Strata has no MongoDB dump: snapshot its claims (volumes: snapshot)"),
        new("pgv2.percona.com", "perconapgclusters", "Percona PostgreSQL", "PostgreSQL", "postgres-operator.crunchydata.com/cluster",
            "a PostgreSQL cluster (Percona's PGO); a databases target on its primary pod dumps it"),
    ];
}
