namespace Strata.Core.Databases;

/// <summary>Reads what a dump holds from its bytes, forward only, as they stream to the store (and again when verified).</summary>
public interface IDumpReader
{
    /// <summary>Reads <paramref name="content"/> to its end; <see cref="InvalidDataException"/> names what is damaged and where.</summary>
    Task<DumpReading> ReadAsync(Stream content, CancellationToken cancellationToken = default);
}
