using Microsoft.AspNetCore.Http.Features;

namespace SessionsServerless.Lambda;

/// <summary>Whether the request has a body: events carry it whole, so its length decides.</summary>
internal sealed class RequestBodyDetectionFeature(bool canHaveBody) : IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody { get; } = canHaveBody;
}
