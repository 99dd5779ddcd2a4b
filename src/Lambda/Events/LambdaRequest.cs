using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace SessionsServerless.Lambda;

/// <summary>The HTTP request an event describes, in the form ASP.NET Core's request feature takes.</summary>
internal sealed class LambdaRequest
{
    public required EventShape Shape { get; init; }

    public required string Method { get; init; }

    public required string Scheme { get; init; }

    public required string Protocol { get; init; }

    /// <summary>The API Gateway stage or custom-domain base path, decoded (empty when there is none).</summary>
    public required string PathBase { get; init; }

    /// <summary>The path, decoded as Kestrel decodes it (<c>%2F</c> stays encoded).</summary>
    public required string Path { get; init; }

    /// <summary>The query string with its leading <c>?</c>, percent-encoded, or empty.</summary>
    public required string QueryString { get; init; }

    /// <summary>The request target as it would appear on the request line.</summary>
    public required string RawTarget { get; init; }

    public required HeaderDictionary Headers { get; init; }

    public required byte[] Body { get; init; }

    public IPAddress? RemoteIpAddress { get; init; }

    public int LocalPort { get; init; }

    /// <summary>The service that sent the event.</summary>
    public required LambdaEventSource Source { get; init; }

    /// <summary>The event document as Lambda delivered it.</summary>
    public required ReadOnlyMemory<byte> Event { get; init; }

    /// <summary>Who API Gateway authenticated (authorizer claims or context, IAM caller), or <see langword="null"/>.</summary>
    public ClaimsPrincipal? User { get; init; }

    /// <summary>The PEM of the client certificate of a mutual TLS connection, or <see langword="null"/>.</summary>
    public string? ClientCertificatePem { get; init; }
}
