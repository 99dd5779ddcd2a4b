namespace SessionsServerless.LambdaGateway;

/// <summary>The API Gateway event format the gateway sends to the app.</summary>
internal enum EventFormat
{
    /// <summary>HTTP API, payload format 2.0 (<c>--event v2</c>, the default): <c>rawPath</c>, <c>cookies</c>, answered with <c>headers</c> and <c>cookies</c>.</summary>
    HttpApi,

    /// <summary>REST API proxy integration (<c>--event v1</c>): <c>multiValueHeaders</c>, answered with <c>headers</c> and <c>multiValueHeaders</c>.</summary>
    RestApi,
}
