namespace SessionsServerless.Lambda;

/// <summary>
/// Endpoint metadata that streams the endpoint's responses on Lambda (see
/// <c>LambdaResponseStreamingEndpointConventionBuilderExtensions.WithLambdaResponseStreaming</c>).
/// </summary>
public sealed class LambdaResponseStreamingMetadata
{
    /// <summary>The one instance endpoints carry.</summary>
    public static LambdaResponseStreamingMetadata Instance { get; } = new();

    private LambdaResponseStreamingMetadata()
    {
    }
}
