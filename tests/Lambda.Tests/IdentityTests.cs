using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>What API Gateway authenticated (authorizers, IAM, mutual TLS) becomes HttpContext.User and the connection's client certificate.</summary>
[Collection(RuntimeLoopCollection.Name)]
public sealed class IdentityTests
{
    [Fact]
    public void HTTP_API_JWT_authorizer_claims_and_scopes_become_an_authenticated_user_and_the_mTLS_certificate_the_client_certificate()
    {
        using var mapped = MappedEvent.FromTestFixture("http-api-v2-jwt-mtls.json");
        var user = mapped.Context.User;

        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal(LambdaAuthenticationTypes.Jwt, user.Identity.AuthenticationType);
        Assert.Equal("7d3f2a10-1c4e-4b8a-9f00-aa11bb22cc33", user.Identity.Name);
        Assert.Equal("ada@example.com", user.FindFirst("email")!.Value);
        Assert.Equal("true", user.FindFirst("email_verified")!.Value);
        Assert.Equal("1700000000", user.FindFirst("auth_time")!.Value);
        Assert.True(user.IsInRole("admins"));
        Assert.True(user.IsInRole("editors"));
        Assert.Equal(["orders.read", "orders.write"], user.FindAll("scope").Select(c => c.Value));

        var certificate = mapped.Context.Connection.ClientCertificate;
        Assert.NotNull(certificate);
        Assert.Equal("client.example.com", certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false));
        Assert.Equal("CC746D8ACEF9EBA955F242015128BC8DC7D02C53", certificate.Thumbprint);
    }

    [Fact]
    public void An_HTTP_API_Lambda_authorizer_context_and_an_IAM_caller_are_users_of_their_own_kind()
    {
        using var lambda = MappedEvent.FromTestFixture("http-api-v2-lambda-authorizer.json");
        Assert.Equal(LambdaAuthenticationTypes.LambdaAuthorizer, lambda.Context.User.Identity!.AuthenticationType);
        Assert.Equal("user-42", lambda.Context.User.Identity.Name);
        Assert.Equal("acme", lambda.Context.User.FindFirst("tenant")!.Value);
        Assert.Equal("3", lambda.Context.User.FindFirst("tier")!.Value);
        Assert.Equal("false", lambda.Context.User.FindFirst("beta")!.Value);
        Assert.Null(lambda.Context.Connection.ClientCertificate);

        using var iam = MappedEvent.FromTestFixture("http-api-v2-iam.json");
        var user = iam.Context.User;
        Assert.Equal(LambdaAuthenticationTypes.Iam, user.Identity!.AuthenticationType);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/reporting/session", user.Identity.Name);
        Assert.Equal("123456789012", user.FindFirst("accountId")!.Value);
        Assert.Equal("o-example", user.FindFirst("principalOrgId")!.Value);
    }

    [Fact]
    public void REST_Cognito_claims_Lambda_authorizer_context_and_IAM_identity_become_users()
    {
        using var cognito = MappedEvent.FromTestFixture("rest-api-cognito-mtls.json");
        var user = cognito.Context.User;
        Assert.Equal(LambdaAuthenticationTypes.CognitoUserPool, user.Identity!.AuthenticationType);
        Assert.Equal("grace", user.Identity.Name);
        Assert.True(user.IsInRole("admins"));
        Assert.Equal("grace@example.com", user.FindFirst("email")!.Value);
        Assert.Equal("CC746D8ACEF9EBA955F242015128BC8DC7D02C53", cognito.Context.Connection.ClientCertificate!.Thumbprint);

        using var lambda = MappedEvent.FromTestFixture("rest-api-lambda-authorizer.json");
        Assert.Equal(LambdaAuthenticationTypes.LambdaAuthorizer, lambda.Context.User.Identity!.AuthenticationType);
        Assert.Equal("user-7", lambda.Context.User.Identity.Name);
        Assert.Equal("gold", lambda.Context.User.FindFirst("plan")!.Value);
        Assert.Null(lambda.Context.User.FindFirst("integrationLatency"));

        using var iam = MappedEvent.FromTestFixture("rest-api-iam.json");
        Assert.Equal(LambdaAuthenticationTypes.Iam, iam.Context.User.Identity!.AuthenticationType);
        Assert.Equal("arn:aws:iam::123456789012:user/ci", iam.Context.User.Identity.Name);
        Assert.Equal("AKIAEXAMPLEKEY", iam.Context.User.FindFirst("accessKey")!.Value);
        Assert.Null(iam.Context.User.FindFirst("cognitoIdentityId"));
    }

    [Fact]
    public void A_request_no_authorizer_vouched_for_has_an_unauthenticated_user_and_no_client_certificate()
    {
        using var rest = MappedEvent.FromTestFixture("rest-api-get-encoded-path.json");
        Assert.False(rest.Context.User.Identity!.IsAuthenticated);
        Assert.Null(rest.Context.Connection.ClientCertificate);

        using var httpApi = MappedEvent.FromTestFixture("http-api-v2-stage-cookies.json");
        Assert.False(httpApi.Context.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public void Claims_are_bounded_however_many_an_authorizer_context_holds()
    {
        var @event = TestEvents.HttpApi("GET", "/me");
        var context = new System.Text.Json.Nodes.JsonObject();
        for (int i = 0; i < 5000; i++)
        {
            context["key" + i] = "value";
        }

        context["huge"] = new string('x', 100_000);
        @event["requestContext"]!["authorizer"] = new System.Text.Json.Nodes.JsonObject { ["lambda"] = context };
        var request = LambdaEventReader.Read(System.Text.Encoding.UTF8.GetBytes(@event.ToJsonString()));

        Assert.Equal(LambdaIdentityReader.MaxClaims, request.User!.Claims.Count());
        Assert.DoesNotContain(request.User.Claims, c => c.Type == "huge");
    }

    [Fact]
    public async Task Through_the_loop_the_user_the_certificate_and_the_raw_event_reach_the_endpoint()
    {
        await using var runtime = await TestRuntimeApi.StartAsync();
        await using var app = await LambdaApp.StartAsync(runtime, endpoints => endpoints.MapGet("/me", async (HttpContext context) =>
        {
            var invocation = context.GetLambdaInvocation()!;
            using var document = JsonDocument.Parse(invocation.Event);
            var certificate = await context.Connection.GetClientCertificateAsync();
            return $"{context.User.Identity!.AuthenticationType}|{context.User.FindFirstValue("email")}|{certificate?.Thumbprint}|{invocation.EventSource}|"
                + document.RootElement.GetProperty("requestContext").GetProperty("requestId").GetString();
        }));

        var result = await runtime.InvokeAsync(File.ReadAllBytes(RepositoryPaths.TestFile(Path.Combine("Events", "http-api-v2-jwt-mtls.json"))));
        Assert.Equal(200, result.StatusCode);
        Assert.Equal($"{LambdaAuthenticationTypes.Jwt}|ada@example.com|CC746D8ACEF9EBA955F242015128BC8DC7D02C53|HttpApi|Jwt1aEXAMPLE=", result.Body);

        var rest = await runtime.InvokeAsync(File.ReadAllBytes(RepositoryPaths.TestFile(Path.Combine("Events", "rest-api-cognito-mtls.json"))));
        Assert.Equal($"{LambdaAuthenticationTypes.CognitoUserPool}|grace@example.com|CC746D8ACEF9EBA955F242015128BC8DC7D02C53|RestApi|c0ffee00-1111-2222-3333-444455556666", rest.Body);
    }
}
