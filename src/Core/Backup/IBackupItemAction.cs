using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>A small step applied to each captured object.</summary>
public interface IBackupItemAction
{
    /// <summary>Whether the action concerns objects of <paramref name="resource"/>.</summary>
    bool AppliesTo(ApiResource resource);

    /// <summary>Changes or judges <paramref name="item"/>.</summary>
    ItemDecision Execute(BackupItem item);
}
