using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace SessionsServerless.Stores.AzureTables.Tests.Infrastructure;

/// <summary>
/// Sees every request a <see cref="TableClient"/> sends to the service (once per call, not per retry), so tests can count
/// what a session operation really costs, and can act just before a request goes out.
/// </summary>
public sealed class RequestRecorder : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>Runs before each request is sent, e.g. to change the table behind the store's back.</summary>
    public Func<Request, Task>? BeforeSending { get; set; }

    /// <summary>Each request as "METHOD path".</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Requests that read (GET).</summary>
    public int Reads => Requests.Count(request => request.StartsWith("GET ", StringComparison.Ordinal));

    /// <summary>Requests that write (anything but GET).</summary>
    public int Writes => Requests.Count - Reads;

    /// <summary>Client options with this recorder in the pipeline.</summary>
    public TableClientOptions ClientOptions()
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerCall);
        return options;
    }

    public void Clear() => _requests.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The store only makes asynchronous calls.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        _requests.Enqueue($"{message.Request.Method} {message.Request.Uri.Path}");
        if (BeforeSending is { } before)
        {
            await before(message.Request);
        }

        await ProcessNextAsync(message, pipeline);
    }
}
