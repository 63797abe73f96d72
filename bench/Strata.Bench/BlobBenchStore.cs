using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Core.Ports;

/// <summary>The store <see cref="BlobBench"/> measures: this build's, on the Azure SDK.</summary>
internal static class BlobBenchStore
{
    public static IArtifactStore Open(string connectionString, string container) =>
        new BlobArtifactStore(StorageAccount.Parse(connectionString).CreateBlobServiceClient().GetBlobContainerClient(container));
}
