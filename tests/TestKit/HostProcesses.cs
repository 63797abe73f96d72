using Xunit;

namespace Strata.TestKit;

/// <summary>Whether a host process still runs (Linux: <c>/proc</c>), for tests that check a command was killed.</summary>
public static class HostProcesses
{
    /// <summary>Waits (up to five seconds) for <paramref name="pid"/> to stop running, and fails if it does not.</summary>
    public static async Task AssertEndsAsync(int pid)
    {
        for (var i = 0; i < 200 && IsRunning(pid); i++)
        {
            await Task.Delay(25);
        }

        Assert.False(IsRunning(pid), $"process {pid} still runs");
    }

    /// <summary>A zombie (exited, not yet reaped by its parent) no longer runs.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
