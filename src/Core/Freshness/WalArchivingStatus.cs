namespace Strata.Core.Freshness;

/// <summary>One WAL archiver as a backup found it (recorded in the manifest): what was read, and how it was judged.</summary>
public sealed record WalArchivingStatus
{
    /// <summary>The namespace of the Cluster or database target.</summary>
    public required string Namespace { get; init; }

    /// <summary>The CloudNativePG Cluster's or the database target's name.</summary>
    public required string Name { get; init; }

    /// <summary>What was read.</summary>
    public required WalArchiverReading Reading { get; init; }

    /// <summary>Where it stands against the policy's objective.</summary>
    public required WalArchivingState State { get; init; }

    /// <summary>Why.</summary>
    public required string Reason { get; init; }
}
