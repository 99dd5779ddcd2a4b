namespace SessionsServerless.Lambda;

/// <summary>The AWS service whose event carried a request; detected from each event's payload.</summary>
public enum LambdaEventSource
{
    /// <summary>An API Gateway HTTP API (payload format 2.0 or 1.0).</summary>
    HttpApi,

    /// <summary>An API Gateway REST API (Lambda proxy integration).</summary>
    RestApi,

    /// <summary>A Lambda Function URL.</summary>
    FunctionUrl,

    /// <summary>An Application Load Balancer target group (with or without multi-value headers).</summary>
    ApplicationLoadBalancer,
}
