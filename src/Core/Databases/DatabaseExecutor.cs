namespace Strata.Core.Databases;

/// <summary>Where a target's client tools run.</summary>
public enum DatabaseExecutor
{
    /// <summary>Inside the database's pod, through the Kubernetes exec API: needs only the API server (the default).</summary>
    Exec,

    /// <summary>On the runner's own host, against a server it can reach (a managed database over VNet integration, a port-forward).</summary>
    Direct,
}
