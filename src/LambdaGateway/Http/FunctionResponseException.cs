namespace SessionsServerless.LambdaGateway;

/// <summary>The function's response is not one API Gateway can turn into an HTTP response.</summary>
internal sealed class FunctionResponseException : Exception
{
    public FunctionResponseException()
    {
    }

    public FunctionResponseException(string message)
        : base(message)
    {
    }

    public FunctionResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
