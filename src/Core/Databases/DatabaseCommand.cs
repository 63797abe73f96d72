namespace Strata.Core.Databases;

/// <summary>
/// A client tool to run for a database target, wherever the target's tools run: the program (with alternatives,
/// tried in order, where distributions differ), its arguments, and the secrets it reads from its environment.
/// </summary>
/// <param name="Programs">The program, then alternatives tried when it is not installed (<c>mariadb-dump</c>, <c>mysqldump</c>).</param>
/// <param name="Arguments">The arguments (no shell: passed as they are).</param>
public sealed record DatabaseCommand(IReadOnlyList<string> Programs, IReadOnlyList<string> Arguments)
{
    /// <summary>Environment variables holding secrets (<c>PGPASSWORD</c>, <c>MYSQL_PWD</c>), in order; never on a command line.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Secrets { get; init; } = [];

    /// <summary>
    /// The exact length of what is sent to stdin, when the command reads it: in a pod the input is cut there, so the
    /// command sees its end even where the exec protocol cannot close stdin (<c>v4.channel.k8s.io</c>).
    /// </summary>
    public long? StdinLength { get; init; }

    /// <summary>
    /// How long the tool may run where it runs. A cancelled exec does not stop its process in the container (runc leaves
    /// exec'd processes running), so in a pod the tool runs under <c>timeout</c> (coreutils, busybox) where it exists.
    /// </summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>The program tried first.</summary>
    public string Program => Programs[0];

    /// <summary>For messages: the program and arguments, never the secrets' values.</summary>
    public override string ToString() => string.Join(' ', [Program, .. Arguments]);
}
