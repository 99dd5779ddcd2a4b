using System.Net;
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
}
