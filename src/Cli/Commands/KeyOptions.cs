using System.CommandLine;
using Azure.Core;
using Azure.Identity;
using Strata.Adapters.Encryption;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Encryption;

namespace Strata.Cli.Commands;

/// <summary><c>--key</c> (repeatable): key-encryption keys that unwrap an encrypted backup's data key, tried before strata.yaml's.</summary>
internal sealed class KeyOptions(string description = "A key that unwraps the backup's data key (repeatable; tried before strata.yaml's): file:/path/key.pem (RSA private key), "
    + "file:/path/aes.key or env:VARIABLE (base64 AES-256 key), keyVault:VAULT/KEY[/VERSION].")
{
    public Option<string[]> Keys { get; } = new("--key") { Description = description, AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command) => command.Options.Add(Keys);

    /// <summary>
    /// strata.yaml's keyring (when <paramref name="configuration"/> is given) with the keys given tried first; an error
    /// message when the configuration or a reference is wrong.
    /// </summary>
    public async Task<(Keyring? Keyring, string? Error)> ResolveAsync(ParseResult parsed, CliEnvironment environment, string? configuration, CancellationToken cancellationToken)
    {
        if (configuration is not { Length: > 0 })
        {
            return Resolve(parsed, environment);
        }

        TokenCredential? credential = environment.AzureCredential;
        TokenCredential Credential() => credential ??= new DefaultAzureCredential();
        try
        {
            var parsedConfiguration = ConfigurationLoader.Parse(
                await ControlPlaneFactory.ReadAsync(configuration, Credential, cancellationToken), configuration, SystemTimeZones.Instance);
            return Resolve(parsed, environment, KeyringFactory.Create(parsedConfiguration, new SecretResolver(environment.Variable, Credential()), Credential));
        }
        catch (ConfigurationException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary><paramref name="keyring"/> with the keys given tried first; an error message when a reference is not one.</summary>
    public (Keyring? Keyring, string? Error) Resolve(ParseResult parsed, CliEnvironment environment, Keyring? keyring = null)
    {
        var references = parsed.GetValue(Keys) ?? [];
        TokenCredential? credential = environment.AzureCredential;
        TokenCredential Credential() => credential ??= new DefaultAzureCredential();
        var secrets = new SecretResolver(environment.Variable, environment.AzureCredential);
        var keys = new List<IKeyEncryptionKey>();
        foreach (var reference in references)
        {
            try
            {
                keys.Add(KeyringFactory.FromReference(reference, secrets, Credential));
            }
            catch (KeyUnwrapException e)
            {
                return (null, $"--key {reference}: {e.Message}");
            }
        }

        return ((keyring ?? Keyring.None).With(keys), null);
    }
}
