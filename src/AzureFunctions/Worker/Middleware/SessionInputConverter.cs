using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace SessionsServerless.AzureFunctions.Worker;

/// <summary>Binds a <see cref="Session"/> parameter of an HTTP-triggered function to the request's session.</summary>
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

        return new(ConversionResult.Success(httpContext.GetSession()));
    }
}
