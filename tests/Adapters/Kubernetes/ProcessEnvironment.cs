namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>Tests that set process-wide environment variables (the SDK reads KUBECONFIG from the process only).</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;
