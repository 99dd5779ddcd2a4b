using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// An add whose reply is lost: the SDK sends it again, the repeat finds the entity (409), and the store recognises it
/// as its own write by its token instead of answering a conflict. Rotation deletes the old entity only while its ETag is
/// the one read.
/// </summary>
public sealed class RetriedWriteTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task An_add_whose_reply_was_lost_and_that_the_SDK_retried_succeeds()
    {
        var losing = new LoseFirstPostReply();
        var options = new TableClientOptions();
        options.AddPolicy(losing, HttpPipelinePosition.PerRetry);
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        using var subject = await StoreUnderTest.CreateAsync(azurite, options);
        string key = StoreUnderTest.NewKey();
        losing.Armed = true;

        string? version = await subject.Store.SetAsync(key, subject.Session("""{"a":1}"""), default);

        Assert.Equal(1, losing.Lost);
        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal(("""{"a":1}""", version), (stored!.Data, stored.Version));
        await Assert.ThrowsAsync<SessionConcurrencyException>(() => subject.Store.SetAsync(key, subject.Session("""{"other":1}"""), default));
    }

    [Fact]
    public async Task A_delete_with_a_version_removes_the_entity_only_while_it_has_that_ETag()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? first = await subject.Store.SetAsync(key, subject.Session("{}"), default);
        string? second = await subject.Store.SetAsync(key, subject.Session("""{"b":2}""", version: first), default);

        await subject.Store.DeleteAsync(key, first, default);
        Assert.NotNull(await subject.Store.GetAsync(key, default));

        await subject.Store.DeleteAsync(key, second, default);
        Assert.Null(await subject.Store.GetAsync(key, default));
    }

    /// <summary>Lets the first POST (an add) reach the service, then reports a broken connection instead of its reply.</summary>
    private sealed class LoseFirstPostReply : HttpPipelinePolicy
    {
        private int _lost;

        public int Lost => _lost;

        /// <summary>Set once the table exists (creating it is a POST too).</summary>
        public bool Armed { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store only makes asynchronous calls.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (Armed && message.Request.Method == RequestMethod.Post && Interlocked.CompareExchange(ref _lost, 1, 0) == 0)
            {
                throw new IOException("Connection reset by peer");
            }
        }
    }
}
