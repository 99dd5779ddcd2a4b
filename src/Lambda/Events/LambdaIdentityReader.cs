using System.Globalization;
using System.Security.Claims;
using System.Text.Json;

namespace SessionsServerless.Lambda;

/// <summary>
/// Builds the user API Gateway authenticated from an event's <c>requestContext</c>: JWT authorizer claims, Cognito user
/// pool claims, a Lambda authorizer's context or the IAM caller. Bounded: at most <see cref="MaxClaims"/> claims, each
/// value at most <see cref="MaxValueLength"/> characters; longer values and deeper structures are left out.
/// </summary>
internal static class LambdaIdentityReader
{
    public const int MaxClaims = 256;

    public const int MaxValueLength = 8192;

    private const string RoleClaim = "cognito:groups";

    private static readonly string[] IamFields =
        ["accountId", "caller", "callerId", "user", "userId", "userArn", "accessKey", "principalOrgId", "cognitoIdentityId", "cognitoIdentityPoolId", "cognitoAuthenticationType", "cognitoAuthenticationProvider"];

    /// <summary>HTTP API payload 2.0 and Function URLs: <c>requestContext.authorizer.jwt</c>, <c>.lambda</c> or <c>.iam</c>.</summary>
    public static ClaimsPrincipal? FromHttpApi(JsonElement context)
    {
        if (Object(context, "authorizer") is not { } authorizer)
        {
            return null;
        }

        if (Object(authorizer, "jwt") is { } jwt)
        {
            var claims = new List<Claim>();
            if (Object(jwt, "claims") is { } jwtClaims)
            {
                AddClaims(claims, jwtClaims, skip: null);
            }

            if (Property(jwt, "scopes") is { ValueKind: JsonValueKind.Array } scopes)
            {
                AddValues(claims, "scope", scopes);
            }

            return Principal(claims, LambdaAuthenticationTypes.Jwt, "sub");
        }

        if (Object(authorizer, "lambda") is { } lambda)
        {
            var claims = new List<Claim>();
            AddClaims(claims, lambda, skip: null);
            return Principal(claims, LambdaAuthenticationTypes.LambdaAuthorizer, "principalId");
        }

        if (Object(authorizer, "iam") is { } iam)
        {
            return Iam(iam);
        }

        return null;
    }

    /// <summary>REST APIs and HTTP API payload 1.0: <c>requestContext.authorizer</c> (claims or a Lambda authorizer's context), or an IAM caller in <c>requestContext.identity</c>.</summary>
    public static ClaimsPrincipal? FromRestApi(JsonElement context, bool isHttpApi)
    {
        if (Object(context, "authorizer") is { } authorizer)
        {
            var claims = new List<Claim>();
            if (Object(authorizer, "claims") is { } tokenClaims)
            {
                AddClaims(claims, tokenClaims, skip: null);
                if (Property(authorizer, "scopes") is { ValueKind: JsonValueKind.Array } scopes)
                {
                    AddValues(claims, "scope", scopes);
                }

                return isHttpApi
                    ? Principal(claims, LambdaAuthenticationTypes.Jwt, "sub")
                    : Principal(claims, LambdaAuthenticationTypes.CognitoUserPool, "cognito:username");
            }

            // A Lambda authorizer: principalId (REST) plus the context it returned; integrationLatency is API Gateway's own.
            AddClaims(claims, authorizer, skip: "integrationLatency");
            if (claims.Count > 0)
            {
                return Principal(claims, LambdaAuthenticationTypes.LambdaAuthorizer, "principalId");
            }
        }

        if (Object(context, "identity") is { } identity && Property(identity, "userArn") is { ValueKind: JsonValueKind.String } userArn && userArn.GetString() is { Length: > 0 })
        {
            return Iam(identity);
        }

        return null;
    }

    private static ClaimsPrincipal Iam(JsonElement identity)
    {
        var claims = new List<Claim>();
        foreach (string field in IamFields)
        {
            if (Property(identity, field) is { ValueKind: JsonValueKind.String } value && Value(value) is { Length: > 0 } text)
            {
                claims.Add(new Claim(field, text));
            }
        }

        return Principal(claims, LambdaAuthenticationTypes.Iam, "userArn");
    }

    private static ClaimsPrincipal Principal(List<Claim> claims, string authenticationType, string nameType) =>
        new(new ClaimsIdentity(claims, authenticationType, nameType, RoleClaim));

    private static void AddClaims(List<Claim> claims, JsonElement values, string? skip)
    {
        foreach (var property in values.EnumerateObject())
        {
            string type = Name(property);
            if (type == skip || type.Length == 0 || type.Length > MaxValueLength)
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                AddValues(claims, type, property.Value);
            }
            else if (Value(property.Value) is { } value)
            {
                Add(claims, type, value);
            }
        }
    }

    private static void AddValues(List<Claim> claims, string type, JsonElement array)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (Value(item) is { } value)
            {
                Add(claims, type, value);
            }
        }
    }

    private static void Add(List<Claim> claims, string type, string value)
    {
        if (claims.Count < MaxClaims && value.Length <= MaxValueLength)
        {
            claims.Add(new Claim(type, value));
        }
    }

    /// <summary>A claim value: a string as it is, a number or boolean as its JSON text; objects, arrays and nulls give none.</summary>
    private static string? Value(JsonElement value)
    {
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => bool.TrueString.ToLower(CultureInfo.InvariantCulture),
                JsonValueKind.False => bool.FalseString.ToLower(CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        catch (InvalidOperationException)
        {
            throw new LambdaEventException("The event's 'requestContext.authorizer' holds text that is not valid Unicode (a lone surrogate or bytes that are not UTF-8).");
        }
    }

    private static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw new LambdaEventException("The event's 'requestContext.authorizer' holds text that is not valid Unicode (a lone surrogate or bytes that are not UTF-8).");
        }
    }

    private static JsonElement? Property(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
}
