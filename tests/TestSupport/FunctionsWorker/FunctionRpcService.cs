using Grpc.Core;
using SessionsServerless.TestSupport.FunctionsWorker.Rpc;

namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>The FunctionRpc gRPC service the worker connects to (its <c>--functions-uri</c>): hands the stream to the host's channel.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunAsync(requestStream, responseStream, context.CancellationToken);
}
