namespace SessionsServerless.Lambda;

/// <summary>
/// The <see cref="System.Security.Claims.ClaimsIdentity.AuthenticationType"/> of the <c>HttpContext.User</c> the Lambda
/// host builds from what API Gateway authenticated. A request no authorizer vouched for has an unauthenticated user.
/// </summary>
public static class LambdaAuthenticationTypes
{
    /// <summary>An HTTP API JWT authorizer: the token's claims (<c>requestContext.authorizer.jwt.claims</c>) and its scopes as <c>scope</c> claims.</summary>
    public const string Jwt = "ApiGateway.Jwt";

    /// <summary>A REST API Cognito user pool authorizer: the user pool token's claims (<c>requestContext.authorizer.claims</c>).</summary>
    public const string CognitoUserPool = "ApiGateway.CognitoUserPool";

    /// <summary>A Lambda authorizer: the context it returned, one claim per key (REST APIs add <c>principalId</c>).</summary>
    public const string LambdaAuthorizer = "ApiGateway.LambdaAuthorizer";

    /// <summary>IAM authorization (SigV4): the caller's identity (<c>userArn</c>, <c>accountId</c>, <c>accessKey</c>...).</summary>
    public const string Iam = "ApiGateway.Iam";
}
