using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

namespace SessionsServerless.Stores.AzureTables.Tests;

/// <summary>
/// An add or a replace whose reply is lost: the SDK sends it again, the repeat finds the entity (409) or a moved ETag
/// (412), and the store recognises its own write by its token instead of answering a conflict; another writer's change
/// is still a conflict. Rotation deletes the old entity only while its ETag is the one read.
/// </summary>
public sealed class RetriedWriteTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task An_add_whose_reply_was_lost_and_that_the_SDK_retried_succeeds()
    {
        var losing = new LoseFirstReply(RequestMethod.Post);
        using var subject = await StoreUnderTest.CreateAsync(azurite, Lossy(losing));
        string key = StoreUnderTest.NewKey();
        losing.Armed = true;

        string? version = await subject.Store.SetAsync(key, subject.Session("""{"a":1}"""), default);

        Assert.Equal(1, losing.Lost);
        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal(("""{"a":1}""", version), (stored!.Data, stored.Version));
        await Assert.ThrowsAsync<SessionConcurrencyException>(() => subject.Store.SetAsync(key, subject.Session("""{"other":1}"""), default));
    }

    [Fact]
    public async Task An_update_whose_reply_was_lost_and_that_the_SDK_retried_succeeds_and_the_next_update_builds_on_it()
    {
        var losing = new LoseFirstReply(RequestMethod.Put);
        using var subject = await StoreUnderTest.CreateAsync(azurite, Lossy(losing));
        string key = StoreUnderTest.NewKey();
        string? first = await subject.Store.SetAsync(key, subject.Session("""{"a":1}"""), default);
        losing.Armed = true;

        string? second = await subject.Store.SetAsync(key, subject.Session("""{"b":2}""", version: first), default);

        Assert.Equal((1, 2), (losing.Lost, losing.Sent));
        var stored = await subject.Store.GetAsync(key, default);
        Assert.Equal(("""{"b":2}""", second), (stored!.Data, stored.Version));
        Assert.NotEqual(first, second);
        losing.Armed = false;
        string? third = await subject.Store.SetAsync(key, subject.Session("""{"c":3}""", version: second), default);
        Assert.Equal("""{"c":3}""", (await subject.Store.GetAsync(key, default))!.Data);
        Assert.NotEqual(second, third);
    }

    [Fact]
    public async Task A_retried_update_that_finds_another_writers_change_on_the_entity_is_a_conflict_and_leaves_that_change()
    {
        var losing = new LoseFirstReply(RequestMethod.Put);
        using var subject = await StoreUnderTest.CreateAsync(azurite, Lossy(losing));
        using var rival = StoreUnderTest.Over(azurite.TableClient(subject.Table.Name));
        string key = StoreUnderTest.NewKey();
        string? first = await subject.Store.SetAsync(key, subject.Session("""{"a":1}"""), default);
        losing.BeforeResending = async () =>
        {
            // Between the lost reply and the repeat, another request reads this write's result and replaces it.
            var current = await rival.Store.GetAsync(key, default);
            await rival.Store.SetAsync(key, rival.Session("""{"rival":1}""", version: current!.Version), default);
        };
        losing.Armed = true;

        await Assert.ThrowsAsync<SessionConcurrencyException>(
            () => subject.Store.SetAsync(key, subject.Session("""{"b":2}""", version: first), default));

        Assert.Equal((1, 2), (losing.Lost, losing.Sent));
        Assert.Equal("""{"rival":1}""", (await subject.Store.GetAsync(key, default))!.Data);
    }

    [Fact]
    public async Task An_update_from_a_version_another_writer_already_replaced_is_a_conflict()
    {
        using var subject = await StoreUnderTest.CreateAsync(azurite);
        string key = StoreUnderTest.NewKey();
        string? first = await subject.Store.SetAsync(key, subject.Session("{}"), default);
        await subject.Store.SetAsync(key, subject.Session("""{"winner":1}""", version: first), default);

        await Assert.ThrowsAsync<SessionConcurrencyException>(
            () => subject.Store.SetAsync(key, subject.Session("""{"loser":1}""", version: first), default));

        Assert.Equal("""{"winner":1}""", (await subject.Store.GetAsync(key, default))!.Data);
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

    /// <summary>Client options that pass every attempt through <paramref name="losing"/> and retry quickly.</summary>
    private static TableClientOptions Lossy(LoseFirstReply losing)
    {
        var options = new TableClientOptions();
        options.AddPolicy(losing, HttpPipelinePosition.PerRetry);
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        return options;
    }

    /// <summary>
    /// Lets the first request of one method reach the service, then reports a broken connection instead of its reply, so
    /// the SDK's retry policy sends it again.
    /// </summary>
    private sealed class LoseFirstReply(RequestMethod method) : HttpPipelinePolicy
    {
        private int _lost;
        private int _sent;

        public int Lost => _lost;

        /// <summary>How many times a request of the method was sent while armed, first attempt and repeats.</summary>
        public int Sent => _sent;

        /// <summary>Set once the table exists (creating it is a POST too) and any setup writes are done.</summary>
        public bool Armed { get; set; }

        /// <summary>Runs just before the SDK sends the request again, e.g. to let another writer in.</summary>
        public Func<Task>? BeforeResending { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store only makes asynchronous calls.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            bool watched = Armed && message.Request.Method == method;
            if (watched && Interlocked.Increment(ref _sent) == 2 && BeforeResending is { } before)
            {
                await before();
            }

            await ProcessNextAsync(message, pipeline);
            if (watched && Interlocked.CompareExchange(ref _lost, 1, 0) == 0)
            {
                throw new IOException("Connection reset by peer");
            }
        }
    }
}
