namespace Strata.Core.Encryption;

/// <summary>What <see cref="PlaintextExport"/> wrote.</summary>
/// <param name="Files">Files written (the manifest, each object document, each other artifact).</param>
/// <param name="Bytes">Bytes written.</param>
/// <param name="SecretsDecrypted">Secret documents whose values were decrypted.</param>
public sealed record PlaintextExportSummary(int Files, long Bytes, int SecretsDecrypted);
