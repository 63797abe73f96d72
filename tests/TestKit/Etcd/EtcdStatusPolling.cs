using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>Reads a member's status until it shows what a test waits for (raft catching up, a leader lost), for up to 30 s.</summary>
public static class EtcdStatusPolling
{
    /// <summary>The first reading <paramref name="done"/> accepts, or the last one read when 30 s have passed (the test's assertion then says what it saw).</summary>
    public static async Task<EtcdMemberStatus> UntilAsync(Func<Task<EtcdMemberStatus>> read, Func<EtcdMemberStatus, bool> done)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (30 * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var status = await read();
            if (done(status) || TimeProvider.System.GetTimestamp() > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }
}
