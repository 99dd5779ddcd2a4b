using Microsoft.AspNetCore.Http;

namespace SessionsServerless.Lambda.Tests.Support;

/// <summary>An event mapped by the host's reader and presented as the HttpContext the app would see.</summary>
internal sealed class MappedEvent : IDisposable
{
    private readonly LambdaResponseFeature _response = new();
    private readonly LambdaRequestLifetimeFeature _lifetime = new(DateTimeOffset.MaxValue, TimeSpan.Zero, TimeProvider.System);

    private MappedEvent(LambdaRequest request)
    {
        Shape = request.Shape;
        Body = request.Body;
        var invocation = new LambdaInvocation("test-request", null, null, DateTimeOffset.MaxValue, TimeProvider.System);
        Context = new DefaultHttpContext(InvocationProcessor.CreateFeatures(request, _response, _lifetime, invocation));
    }

    public EventShape Shape { get; }

    public HttpContext Context { get; }

    public HttpRequest Request => Context.Request;

    public byte[] Body { get; }

    public static MappedEvent FromFile(string path) => new(LambdaEventReader.Read(File.ReadAllBytes(path)));

    public static MappedEvent FromTestFixture(string name) => FromFile(RepositoryPaths.TestFile(Path.Combine("Events", name)));

    public string Header(string name) => Request.Headers[name].ToString();

    public void Dispose()
    {
        _response.Dispose();
        _lifetime.Dispose();
    }
}
