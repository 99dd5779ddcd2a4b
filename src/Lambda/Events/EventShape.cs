namespace SessionsServerless.Lambda;

/// <summary>The kinds of event the host maps to requests; each is answered in its own response format.</summary>
internal enum EventShape
{
    /// <summary>API Gateway REST API proxy event (and HTTP API payload format 1.0): answered with <c>multiValueHeaders</c>.</summary>
    RestApi,

    /// <summary>API Gateway HTTP API payload format 2.0, and Lambda Function URLs: answered with <c>headers</c> and <c>cookies</c>.</summary>
    HttpApi,

    /// <summary>Application Load Balancer target group without multi-value headers: answered with <c>headers</c>.</summary>
    LoadBalancer,

    /// <summary>Application Load Balancer target group with multi-value headers: answered with <c>multiValueHeaders</c>.</summary>
    LoadBalancerMultiValue,
}
