using SessionsServerless.Lambda;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Marks endpoints whose responses Lambda streams.</summary>
public static class LambdaResponseStreamingEndpointConventionBuilderExtensions
{
    /// <summary>
    /// On Lambda, streams this endpoint's responses: the status, headers and cookies go first (once the response starts,
    /// after the session was committed), then each body write as the app makes it. Needs a Function URL with
    /// <c>InvokeMode: RESPONSE_STREAM</c> or an API Gateway integration that streams; elsewhere (Kestrel) nothing changes.
    /// Responses to load balancer events are always buffered.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The builder.</returns>
    public static TBuilder WithLambdaResponseStreaming<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(LambdaResponseStreamingMetadata.Instance));
        return builder;
    }
}
