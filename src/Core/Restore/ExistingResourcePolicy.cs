namespace Strata.Core.Restore;

/// <summary>What to do with an object that already exists in the target.</summary>
public enum ExistingResourcePolicy
{
    /// <summary>Leave it as it is, and report it.</summary>
    Skip,

    /// <summary>Apply the backed-up version over it (a JSON merge patch: fields the backup lacks are kept).</summary>
    Update,
}
