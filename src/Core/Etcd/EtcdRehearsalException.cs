namespace Strata.Core.Etcd;

/// <summary>
/// The rebuild drill could not restore or start etcd, or a throwaway etcd on the runner (the drill's, the demo's) could
/// not be started; the message has the tool's own words.
/// </summary>
public sealed class EtcdRehearsalException(string message, Exception? inner = null) : Exception(message, inner);
