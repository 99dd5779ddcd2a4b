using Amazon.Runtime;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>
/// Makes the SDK's HttpClients lose the reply to the first request of one operation: the request reaches the server and
/// is carried out, then the client sees a broken connection instead of the answer, as when a network drops mid-reply.
/// </summary>
internal sealed class LostReplyHttpClientFactory(string operation) : HttpClientFactory
{
    private int _lost;

    /// <summary>How many replies were lost (at most one).</summary>
    public int Lost => _lost;

    /// <summary>How many requests of the operation were sent, retries included.</summary>
    public int Sent { get; private set; }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new LosingHandler(this) { InnerHandler = new SocketsHttpHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class LosingHandler(LostReplyHttpClientFactory owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : string.Empty;
            var response = await base.SendAsync(request, cancellationToken);
            if (!target.EndsWith("." + owner.Operation, StringComparison.Ordinal))
            {
                return response;
            }

            owner.Sent++;
            if (Interlocked.CompareExchange(ref owner._lost, 1, 0) == 0)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset while the reply was read.", new IOException("Connection reset by peer"));
            }

            return response;
        }
    }

    private string Operation => operation;
}
