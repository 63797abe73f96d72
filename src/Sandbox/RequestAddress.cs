namespace Strata.Sandbox;

/// <summary>How a request addressed the server: the TLS server name (SNI) its connection sent, its <c>Host</c>, its protocol.</summary>
/// <param name="TlsServerName">The SNI of the request's connection; empty when the client sent none (as for an IP address).</param>
/// <param name="Host">The request's <c>Host</c> header (HTTP/2's <c>:authority</c>), e.g. <c>127.0.0.1:6443</c>.</param>
/// <param name="Protocol">The HTTP version, e.g. <c>HTTP/2</c> (as the TLS handshake settled it) or <c>HTTP/1.1</c>.</param>
public sealed record RequestAddress(string TlsServerName, string Host, string Protocol);
