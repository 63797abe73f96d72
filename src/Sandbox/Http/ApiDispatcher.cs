using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Security;

namespace Strata.Sandbox.Http;

/// <summary>Authenticates, authorizes, injects faults, routes, and answers errors as <c>Status</c> objects.</summary>
internal sealed class ApiDispatcher(SandboxApiServer server)
{
    private readonly ObjectRequests _objects = server.Objects;

    public async Task HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref server.RequestCounter);
        server.Addressed(new RequestAddress(http.Features.Get<ITlsHandshakeFeature>()?.HostName ?? string.Empty, http.Request.Host.Value ?? string.Empty, http.Request.Protocol));
        try
        {
            var target = RequestTarget.Parse(http.Request.Path.Value ?? "/", server.Store);
            var user = await AuthenticateAsync(http);
            if (target is not RequestTarget.Version and not RequestTarget.Health && user is null)
            {
                throw ApiError.Unauthorized();
            }

            var verb = Verb(http, target);
            var resource = (target as RequestTarget.Objects)?.Type.Plural;
            if (server.Faults.Next(verb, resource, http.Request.Query.ContainsKey("continue")) is { } fault)
            {
                if (await ApplyFaultAsync(http, fault))
                {
                    return;
                }
            }

            if (user is not null)
            {
                Authorize(user, AccessRequestOf(http, target, verb));
            }

            await RouteAsync(http, target, verb, user!);
        }
        catch (ApiError e)
        {
            if (e.RetryAfterSeconds is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(http, e.Code, e.ToStatus());
        }
    }

    private async Task RouteAsync(HttpContext http, RequestTarget? target, string verb, SandboxUser user)
    {
        var types = server.Store.Types;
        switch (target)
        {
            case RequestTarget.Version:
                await WriteJsonAsync(http, 200, DiscoveryDocuments.Version(server.Options.GitVersion));
                return;
            case RequestTarget.Health:
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync("ok");
                return;
            case RequestTarget.CoreVersions:
                await WriteJsonAsync(http, 200, DiscoveryDocuments.CoreVersions($"{server.Url.Host}:{server.Url.Port}"));
                return;
            case RequestTarget.Groups:
                await WriteJsonAsync(http, 200, DiscoveryDocuments.Groups(types));
                return;
            case RequestTarget.Group g:
                await WriteJsonAsync(http, 200, DiscoveryDocuments.GroupDocument(g.Name, types) ?? throw ApiError.NoSuchResource());
                return;
            case RequestTarget.ResourceList r:
                await WriteJsonAsync(http, 200, DiscoveryDocuments.ResourceList(r.GroupName, r.VersionName, types) ?? throw ApiError.NoSuchResource());
                return;
            case RequestTarget.Objects o:
                await HandleObjectsAsync(http, o, verb, user);
                return;
            default:
                throw ApiError.NoSuchResource();
        }
    }

    private async Task HandleObjectsAsync(HttpContext http, RequestTarget.Objects target, string verb, SandboxUser user)
    {
        var type = target.Type;
        if (target is { Subresource: "exec", Name: not null } && type.Key == "pods" && verb is "get" or "create")
        {
            await PodExec.HandleAsync(http, server, target, user);
            return;
        }

        if (target.Subresource is { } sub && (sub is not ("status" or "finalize") || !type.Subresources.Contains(sub)))
        {
            throw ApiError.NoSuchResource();
        }

        if (target.Subresource == "finalize" && verb != "update")
        {
            // A namespace's finalize subresource takes a PUT only.
            throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                new JsonObject { ["kind"] = "namespaces" });
        }

        if (!type.Verbs.Contains(verb) && target.Subresource is null)
        {
            throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource",
                new JsonObject { ["group"] = type.Group, ["kind"] = type.Plural });
        }

        if (server.Options.RequestDelay > TimeSpan.Zero)
        {
            await Task.Delay(server.Options.RequestDelay, server.Time, http.RequestAborted);
        }

        var agent = http.Request.Headers.UserAgent.ToString().Split('/')[0];
        var manager = http.Request.Query["fieldManager"].FirstOrDefault() ?? (agent.Length > 0 ? agent : "unknown");
        switch (verb)
        {
            case "list":
                await ListRequest.WriteAsync(http, target, server.Store);
                break;
            case "get":
                await WriteJsonAsync(http, 200, _objects.Get(target));
                break;
            case "create":
                // 201 on a dry run too: kube-apiserver's create handler answers Created either way.
                await WriteJsonAsync(http, 201, await _objects.CreateAsync(http, target, manager));
                break;
            case "update":
                await WriteJsonAsync(http, 200, await _objects.ReplaceAsync(http, target, manager));
                break;
            case "patch":
                await WriteJsonAsync(http, 200, await _objects.PatchAsync(http, target, manager));
                break;
            case "delete":
                await WriteJsonAsync(http, 200, _objects.Delete(http, target));
                break;
            case "watch":
                throw ApiError.BadRequest("watch is not supported by the Strata sandbox API server");
            default:
                throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private void Authorize(SandboxUser user, AccessRequest request)
    {
        if (server.Access.Authorize(user, request) is { } reason)
        {
            throw ApiError.Forbidden(user.Name, request, reason);
        }
    }

    /// <summary>
    /// The authorizer's attributes of a request, as kube-apiserver's RequestInfo derives them: an exec is
    /// <c>create</c> on <c>pods/exec</c> (over WebSocket too, since 1.30); a Namespace addressed by name is in
    /// itself (so a RoleBinding inside a namespace may allow reading or deleting that namespace); everything
    /// that is not an object path is a non-resource request on the path, its verb the lower-cased method.
    /// </summary>
    private static AccessRequest AccessRequestOf(HttpContext http, RequestTarget? target, string verb)
    {
        if (target is not RequestTarget.Objects o)
        {
            return AccessRequest.ForPath(http.Request.Method.ToLowerInvariant(), http.Request.Path.Value ?? "/");
        }

        var ns = o.Type.Key == "namespaces" && o.Name is not null ? o.Name : o.Namespace;
        return new AccessRequest(o.Subresource == "exec" ? "create" : verb, o.Type.Group, o.Type.Plural, o.Subresource, ns, o.Name);
    }

    private static string Verb(HttpContext http, RequestTarget? target)
    {
        var named = target is RequestTarget.Objects { Name: not null };
        return http.Request.Method switch
        {
            "GET" when http.Request.Query["watch"] is ["true" or "1"] => "watch",
            "GET" => target is RequestTarget.Objects && !named ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => "unknown",
        };
    }

    private async Task<SandboxUser?> AuthenticateAsync(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return server.Access.Authenticate(authorization[7..].Trim()) ?? throw ApiError.Unauthorized();
        }

        var certificate = http.Connection.ClientCertificate ?? await http.Connection.GetClientCertificateAsync(http.RequestAborted);
        if (certificate is not null && server.Certificates.Verify(certificate))
        {
            var subject = certificate.SubjectName;
            var user = certificate.GetNameInfo(X509NameType.SimpleName, false);
            var groups = subject.EnumerateRelativeDistinguishedNames()
                .Where(n => n.GetSingleElementType().Value == "2.5.4.10")
                .Select(n => n.GetSingleElementValue() ?? string.Empty)
                .ToList();
            return new SandboxUser(user, groups);
        }

        return null;
    }

    private async Task<bool> ApplyFaultAsync(HttpContext http, FaultRule fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(fault.Delay, server.Time, http.RequestAborted);
                return false;
            case FaultKind.TooManyRequests:
                throw ApiError.TooManyRequests(fault.RetryAfterSeconds);
            case FaultKind.ServiceUnavailable:
                throw new ApiError(503, "ServiceUnavailable", "the server is currently unable to handle the request");
            case FaultKind.Abort:
                http.Abort();
                return true;
            case FaultKind.Restart:
                http.Abort();
                server.Restart(fault.Delay);
                return true;
            default:
                throw ApiError.Internal("injected fault");
        }
    }

    private static async Task WriteJsonAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        body.WriteTo(writer);
        await writer.FlushAsync(http.RequestAborted);
    }
}
