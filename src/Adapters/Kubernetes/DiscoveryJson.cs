using System.Text.Json.Serialization;
using k8s.Models;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// The SDK's models Strata's own typed calls read (version and discovery), source-generated here.
/// <see cref="KubernetesClient"/> puts this ahead of the SDK's resolver, which answers every type
/// through one switch over all of its ~900 models: about 30 ms of a CLI run the first time.
/// </summary>
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(V1APIVersions))]
[JsonSerializable(typeof(V1APIGroupList))]
[JsonSerializable(typeof(V1APIResourceList))]
internal sealed partial class DiscoveryJson : JsonSerializerContext;
