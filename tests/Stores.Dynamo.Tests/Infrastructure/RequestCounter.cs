using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>Counts the HTTP requests a DynamoDB client sends, by operation (GetItem, PutItem, ...), retries included.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int this[string operation] => _counts.TryGetValue(operation, out int count) ? count : 0;

    public int Total => _counts.Values.Sum();

    public void Reset() => _counts.Clear();

    public override string ToString() => string.Join(", ", _counts.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}={pair.Value}"));

    internal void Add(string operation) => _counts.AddOrUpdate(operation, 1, (_, count) => count + 1);
}

/// <summary>Makes the SDK's HttpClients count each request in a <see cref="RequestCounter"/>.</summary>
internal sealed class CountingHttpClientFactory(RequestCounter counter) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new CountingHandler(counter) { InnerHandler = new SocketsHttpHandler() });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // X-Amz-Target: DynamoDB_20120810.GetItem
            string target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "unknown";
            counter.Add(target[(target.LastIndexOf('.') + 1)..]);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

internal static class TestDynamoDbClients
{
    /// <summary>
    /// A client for a local server, with fixed credentials (local servers accept any) and, like the store's own client,
    /// 2 retries rather than the DynamoDB client's default of 10.
    /// </summary>
    public static AmazonDynamoDBClient Create(string serviceUrl, RequestCounter? counter = null, int maxErrorRetry = 2)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = maxErrorRetry };
        if (counter is not null)
        {
            config.HttpClientFactory = new CountingHttpClientFactory(counter);
        }

        return new AmazonDynamoDBClient(new BasicAWSCredentials("local", "local"), config);
    }
}
