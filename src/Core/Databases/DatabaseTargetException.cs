namespace Strata.Core.Databases;

/// <summary>A database target cannot be reached or signed in to (pod not found, Secret missing): one line that says which and why, never a secret.</summary>
public sealed class DatabaseTargetException(string message, Exception? inner = null) : Exception(message, inner);
