namespace Strata.Core.Etcd;

/// <summary>The rebuild drill could not restore or start etcd; the message has the tool's own words.</summary>
public sealed class EtcdRehearsalException(string message, Exception? inner = null) : Exception(message, inner);
