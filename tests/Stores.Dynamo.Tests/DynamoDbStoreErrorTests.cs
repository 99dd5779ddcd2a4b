using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

namespace SessionsServerless.Stores.DynamoDB.Tests;

/// <summary>
/// Failures dynalite cannot produce, answered by a server that speaks DynamoDB's error format: each becomes a
/// <see cref="SessionStoreException"/> that names the table, where the client sent the request, and the fix, after the
/// SDK's retries where DynamoDB asks for them, and never contains the key.
/// </summary>
public sealed class DynamoDbStoreErrorTests
{
    private const string Table = "app-sessions";

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/app/fn is not authorized to perform: dynamodb:GetItem", 1, "was denied. Allow the app's role dynamodb:GetItem, dynamodb:PutItem and dynamodb:DeleteItem")]
    [InlineData(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded.", 3, "kept throttling requests")]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException", "Throughput exceeds the current capacity for one or more global secondary indexes.", 3, "kept throttling requests")]
    [InlineData(HttpStatusCode.BadRequest, "RequestLimitExceeded", "Throughput exceeds the current throughput limit for your account.", 3, "kept throttling requests")]
    [InlineData(HttpStatusCode.BadRequest, "UnrecognizedClientException", "The security token included in the request is invalid.", 1, "rejected the app's AWS credentials")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServerError", "Internal server error", 3, "refused a request on table 'app-sessions' (InternalServerError, HTTP 500)")]
    public async Task A_DynamoDB_error_becomes_a_store_error_that_names_the_table_and_the_fix(
        HttpStatusCode status, string errorCode, string message, int expectedAttempts, string expectedText)
    {
        await using var server = await CannedDynamoDbServer.StartAsync(status, errorCode, message);
        using var client = TestDynamoDbClients.Create(server.ServiceUrl);
        using var store = CreateStore(client);
        string key = SessionTable.RandomKey();

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(key, default));

        Assert.IsNotType<SessionConcurrencyException>(failure);
        Assert.Contains(expectedText, failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Table}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(server.ServiceUrl, failure.Message, StringComparison.Ordinal);
        Assert.Equal(expectedAttempts, server.Requests);
        Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_and_deletes_fail_the_same_way_as_reads()
    {
        await using var server = await CannedDynamoDbServer.StartAsync(HttpStatusCode.BadRequest, "AccessDeniedException", "not authorized");
        using var client = TestDynamoDbClients.Create(server.ServiceUrl);
        using var store = CreateStore(client);
        string key = SessionTable.RandomKey();

        var write = await Assert.ThrowsAsync<SessionStoreException>(() => store.SetAsync(key, new StoredSession { Data = "{}", Version = "3" }, default));
        var delete = await Assert.ThrowsAsync<SessionStoreException>(() => store.DeleteAsync(key, default));

        Assert.Contains("was denied", write.Message, StringComparison.Ordinal);
        Assert.Contains("was denied", delete.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_store_error_that_says_where_the_client_looked()
    {
        int closedPort = DynaliteServer.FreeLoopbackPort();
        using var client = TestDynamoDbClients.Create($"http://127.0.0.1:{closedPort}");
        using var store = CreateStore(client);
        string key = SessionTable.RandomKey();

        var failure = await Assert.ThrowsAsync<SessionStoreException>(() => store.GetAsync(key, default));

        Assert.Contains($"DynamoDB could not be reached at http://127.0.0.1:{closedPort}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Table}'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_answers_503_on_a_denied_read_keeps_the_cookie_and_logs_the_fix_but_no_id()
    {
        await using var server = await CannedDynamoDbServer.StartAsync(HttpStatusCode.BadRequest, "AccessDeniedException", "not authorized");
        using var client = TestDynamoDbClients.Create(server.ServiceUrl);
        await using var demo = await DemoServer.StartOnDynamoDbAsync(client, Table);
        string sessionId = "Zm9yZ2VkLWJ1dC13ZWxsLWZvcm1lZC1zZXNzaW9uLWlk";
        using var browser = new SessionBrowser { Cookie = sessionId };

        using var response = await browser.SendAsync(demo, HttpMethod.Get, "/counter");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Null(SessionBrowser.SessionCookieSetBy(response));
        string logs = demo.AllLogText();
        Assert.Contains($"Access to the DynamoDB table '{Table}'", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(sessionId, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionTable.KeyOf(sessionId), logs, StringComparison.Ordinal);
    }

    private static DynamoDbSessionStore CreateStore(Amazon.DynamoDBv2.IAmazonDynamoDB client) =>
        new(client, Options.Create(new DynamoDbSessionStoreOptions { TableName = Table }), TimeProvider.System, NullLogger<DynamoDbSessionStore>.Instance);
}
