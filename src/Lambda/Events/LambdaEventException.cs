namespace SessionsServerless.Lambda;

/// <summary>An event that cannot be turned into an HTTP request: malformed JSON or a shape this host does not know.</summary>
internal sealed class LambdaEventException : Exception
{
    public LambdaEventException()
    {
    }

    public LambdaEventException(string message)
        : base(message)
    {
    }

    public LambdaEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
