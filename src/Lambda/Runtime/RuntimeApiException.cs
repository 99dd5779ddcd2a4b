using System.Net;

namespace SessionsServerless.Lambda;

/// <summary>The Lambda Runtime API answered with an unexpected status.</summary>
internal sealed class RuntimeApiException : Exception
{
    public RuntimeApiException(string operation, HttpStatusCode status)
        : base($"The Lambda Runtime API answered {(int)status} ({status}) to {operation}.")
    {
        Status = status;
    }

    public RuntimeApiException()
    {
    }

    public RuntimeApiException(string message)
        : base(message)
    {
    }

    public RuntimeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The status the Runtime API answered with.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>A 5xx: the Runtime API says the execution environment is broken and the runtime should exit.</summary>
    public bool IsContainerError => (int)Status >= 500;
}
