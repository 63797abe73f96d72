namespace Strata.Core.Restore;

/// <summary>What the rules may ask about the objects being restored.</summary>
public interface IRestoreSetFacts
{
    /// <summary>Whether the backup holds a Service of that name with a selector (the endpoints controller manages its Endpoints).</summary>
    bool HasSelectorService(string? ns, string name);
}
