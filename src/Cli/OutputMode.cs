namespace Strata.Cli;

/// <summary>How a command prints its result.</summary>
public enum OutputMode
{
    Table,
    Json,

    /// <summary>Nothing: the caller prints (the demo combines two results).</summary>
    None,
}
