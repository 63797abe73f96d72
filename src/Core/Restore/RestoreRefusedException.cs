namespace Strata.Core.Restore;

/// <summary>A restore that must not proceed: the backup is missing, incomplete or fails a safety check. Nothing was applied.</summary>
public sealed class RestoreRefusedException(string message, Exception? inner = null) : Exception(message, inner);
