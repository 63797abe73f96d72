namespace Strata.Core.Restore;

/// <summary>Tuning for <see cref="BackupRestore"/>.</summary>
public sealed record RestoreOptions
{
    /// <summary>Objects applied at once within a tier. Default 16 (the client's connection pool).</summary>
    public int Parallelism { get; init; } = 16;

    /// <summary>How long to wait for a restored CustomResourceDefinition to be Established. Default 60 s.</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look while waiting. Default 250 ms.</summary>
    public TimeSpan EstablishPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Scratch space for the archive's documents between verification and apply (one stream per
    /// resource type; read back once, then disposed). Default: memory. The CLI passes temporary files.
    /// </summary>
    public Func<Stream> Scratch { get; init; } = () => new MemoryStream();
}
