namespace Strata.Core.Ports;

/// <summary>What became of a request to delete an artifact.</summary>
public enum ArtifactDeletionOutcome
{
    /// <summary>It is gone.</summary>
    Deleted,

    /// <summary>There was nothing under that key.</summary>
    NotFound,

    /// <summary>A write-once lock or legal hold keeps it; not a failure.</summary>
    Locked,
}
