using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace SessionsServerless.AzureFunctions.Worker;

/// <summary>
/// Binds a <see cref="Session"/> parameter of an HTTP-triggered function to the request's session, opened
/// asynchronously. When the store cannot be read, the failure reaches the session middleware, which answers 503.
/// </summary>
internal sealed class SessionInputConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        if (context.TargetType != typeof(Session))
        {
            return new(ConversionResult.Unhandled());
        }

        if (context.FunctionContext.GetHttpContext() is not { } httpContext)
        {
            return new(ConversionResult.Failed(new InvalidOperationException(
                $"The function {context.FunctionContext.FunctionDefinition.Name} takes a Session, but it is not HTTP-triggered: only HTTP-triggered functions have a session.")));
        }

        return LoadAsync(httpContext);
    }

    private static async ValueTask<ConversionResult> LoadAsync(HttpContext httpContext)
    {
        try
        {
            return ConversionResult.Success(await httpContext.LoadSessionAsync().ConfigureAwait(false));
        }
        catch (SessionStoreException exception)
        {
            return ConversionResult.Failed(exception);
        }
    }
}
