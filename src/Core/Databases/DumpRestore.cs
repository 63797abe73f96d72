using Strata.Core.Artifacts;
using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Core.Databases;

/// <summary>
/// Streams a stored dump into a database through the target's executor (<c>pg_restore</c>, <c>mariadb</c>): read from
/// the store, SHA-256 checked on the way against the manifest, never whole in memory. Refuses to restore over a
/// database that has tables unless asked to clean it.
/// </summary>
public static class DumpRestore
{
    /// <summary>
    /// Restores <paramref name="dump"/> of the backup at <paramref name="backupPrefix"/> into <paramref name="name"/>
    /// (created when missing). <see cref="DatabaseTargetException"/> says why it was refused or what failed.
    /// </summary>
    public static async Task RestoreAsync(
        DatabaseSession session, IArtifactStore store, string backupPrefix, DatabaseDump dump, string name, bool clean, CancellationToken cancellationToken = default)
    {
        var (exists, _) = await session.FindAsync(name, cancellationToken);
        if (!exists)
        {
            await session.CreateAsync(name, null, cancellationToken);
        }
        else if (!clean && await session.HasTablesAsync(name, cancellationToken))
        {
            throw new DatabaseTargetException($"database {name} on {session.Database} is not empty: restoring over it needs --clean (which drops what the dump recreates)");
        }

        await StreamAsync(session, store, backupPrefix, dump, name, clean && exists, scratch: false, cancellationToken);
    }

    /// <summary>Streams <paramref name="dump"/> into the existing database <paramref name="name"/> (<paramref name="scratch"/>: a drill's).</summary>
    public static async Task StreamAsync(
        DatabaseSession session, IArtifactStore store, string backupPrefix, DatabaseDump dump, string name, bool clean, bool scratch, CancellationToken cancellationToken = default)
    {
        await using var stored = await store.OpenReadAsync(ArtifactLayout.ArtifactKey(backupPrefix, dump.Path), cancellationToken);
        await using var hashing = new HashingStream(stored);
        var watched = new WatchedStream(hashing);
        var command = session.Restore(name, dump.Size, clean, scratch);
        CommandExit exit;
        try
        {
            exit = await session.Database.Executor.RunAsync(command, new CommandStreams(Stdin: watched), cancellationToken);
        }
        catch (Exception) when (watched.Failure is { } failure)
        {
            // The stored dump failed as it was read (an encrypted dump truncated or altered): that, not the aborted exec, is what went wrong.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        if (!exit.Succeeded)
        {
            throw new DatabaseTargetException($"{command.Program} into {name} on {session.Database} failed: {exit.Describe()}");
        }

        if (hashing.BytesHashed != dump.Size || hashing.Sha256Hex != dump.Sha256)
        {
            throw new DatabaseTargetException(
                $"{dump.Path} in the store is not the dump the manifest recorded ({hashing.BytesHashed} bytes, SHA-256 {hashing.Sha256Hex[..12]}…; expected {dump.Size} bytes, {dump.Sha256[..12]}…): "
                + $"database {name} was restored from bytes that cannot be trusted — drop it, and verify the backup ('strata backup verify')");
        }
    }

    /// <summary>
    /// Reads <paramref name="dump"/> once to its end through <paramref name="store"/> (a decrypting view for an encrypted
    /// backup), every chunk authenticated and the plaintext's size and SHA-256 held to the manifest, keeping nothing: an
    /// encrypted dump truncated or altered is refused before anything is applied, not found out after a partial restore.
    /// </summary>
    /// <exception cref="Encryption.ArtifactDecryptionException">A chunk does not authenticate, or the dump is truncated.</exception>
    /// <exception cref="DatabaseTargetException">The plaintext is not the dump the manifest recorded.</exception>
    public static async Task CheckAsync(IArtifactStore store, string backupPrefix, DatabaseDump dump, CancellationToken cancellationToken = default)
    {
        await using var stored = await store.OpenReadAsync(ArtifactLayout.ArtifactKey(backupPrefix, dump.Path), cancellationToken);
        await using var hashing = new HashingStream(stored);
        await hashing.CopyToAsync(Stream.Null, cancellationToken);
        if (hashing.BytesHashed != dump.Size || hashing.Sha256Hex != dump.Sha256)
        {
            throw new DatabaseTargetException(
                $"{dump.Path} in the store is not the dump the manifest recorded ({hashing.BytesHashed} bytes, SHA-256 {hashing.Sha256Hex[..12]}…; expected {dump.Size} bytes, {dump.Sha256[..12]}…): nothing was restored");
        }
    }

    /// <summary>Remembers the first failure reading the stored dump (<see cref="ObservedReadStream.ReadFailure"/>), which the executor only sees as its input breaking off.</summary>
    private sealed class WatchedStream(Stream inner) : ObservedReadStream(inner)
    {
        public Exception? Failure => ReadFailure as Encryption.ArtifactDecryptionException;

        protected override void Observe(ReadOnlySpan<byte> read)
        {
        }
    }
}
