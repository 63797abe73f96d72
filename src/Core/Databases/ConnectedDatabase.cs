namespace Strata.Core.Databases;

/// <summary>A target ready to run tools against: where they run, and the password they sign in with (null for local auth).</summary>
/// <param name="Target">The target.</param>
/// <param name="Executor">Where its tools run.</param>
/// <param name="Password">The password; never printed.</param>
public sealed record ConnectedDatabase(DatabaseTarget Target, IToolExecutor Executor, string? Password)
{
    /// <summary>Shows the target and where its tools run, never the password.</summary>
    public override string ToString() => $"{Target.Qualified} ({Executor.Where})";
}
