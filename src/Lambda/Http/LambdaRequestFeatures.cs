using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace SessionsServerless.Lambda;

/// <summary>
/// The request features an event adds beyond the request itself: the user API Gateway authenticated, the mutual TLS
/// client certificate, the raw event on the invocation, and what the response needs to know of the request.
/// </summary>
internal static class LambdaRequestFeatures
{
    public static void Add(FeatureCollection features, LambdaRequest request, LambdaResponseFeature response, LambdaInvocation invocation)
    {
        response.RequestMethod = request.Method;
        invocation.Event = request.Event;
        invocation.EventSource = request.Source;
        if (request.User is { } user)
        {
            features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature { User = user });
        }

        if (request.ClientCertificatePem is { } pem)
        {
            features.Set<ITlsConnectionFeature>(new LambdaTlsConnectionFeature(pem));
        }
    }
}
