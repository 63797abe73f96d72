namespace Strata.Adapters.Azure;

/// <summary>
/// A service's primary endpoint and, for read-access geo-redundant accounts (RA-GRS, RA-GZRS),
/// its secondary: <c>https://ACCOUNT-secondary.blob.core.windows.net</c> in Azure, or the
/// path-style <c>http://127.0.0.1:10000/devstoreaccount1-secondary</c> in Azurite.
/// </summary>
public sealed record StorageEndpoints(Uri Primary, Uri? Secondary = null);
