using Strata.Sandbox;

namespace Strata.TestKit;

/// <summary>
/// A "container" whose programs are BusyBox's applets, as in the <c>busybox</c> images a reader Pod runs: a temporary
/// folder of links named after the applets to the installed <c>busybox</c> (Debian's package, which .ci/run installs),
/// and a <see cref="HostProcessExec"/> that runs only those, with that folder as the only PATH — so a command that works
/// here needs nothing of GNU's <c>sh</c> or <c>tar</c>. Fails, never skips, when BusyBox is not installed.
/// </summary>
public sealed class BusyboxContainer : IDisposable
{
    private static readonly string[] Applets = ["sh", "tar", "ls", "cat", "printf", "test", "["];

    private readonly TempDirectory _bin = new();

    /// <summary>Links the applets to the installed BusyBox.</summary>
    public BusyboxContainer()
    {
        var busybox = new[] { "/usr/bin/busybox", "/bin/busybox" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("busybox is not installed (/usr/bin/busybox): install Debian's busybox package, as .ci/run does");
        foreach (var applet in Applets)
        {
            File.CreateSymbolicLink(Path.Combine(_bin.Path, applet), busybox);
        }

        Exec = new HostProcessExec
        {
            Programs = Applets.ToDictionary(a => a, a => Path.Combine(_bin.Path, a)),
            Environment = new Dictionary<string, string> { ["PATH"] = _bin.Path },
        };
    }

    /// <summary>Runs a Pod's command with BusyBox's applets only.</summary>
    public HostProcessExec Exec { get; }

    /// <summary>Deletes the links.</summary>
    public void Dispose() => _bin.Dispose();
}
