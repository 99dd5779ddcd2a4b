namespace SessionsServerless;

/// <summary>An iron token could not be unsealed.</summary>
public sealed class IronException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IronException()
        : this(IronUnsealError.Malformed)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public IronException(string message)
        : base(message)
    {
        Error = IronUnsealError.Malformed;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public IronException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = IronUnsealError.Malformed;
    }

    /// <summary>Creates the exception for an unseal error.</summary>
    /// <param name="error">Why the token did not unseal.</param>
    public IronException(IronUnsealError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Why the token did not unseal.</summary>
    public IronUnsealError Error { get; }

    private static string Describe(IronUnsealError error) => error switch
    {
        IronUnsealError.Malformed => "The iron token is malformed.",
        IronUnsealError.WrongPrefix => "The iron token does not start with Fe26.2.",
        IronUnsealError.Expired => "The iron token has expired.",
        IronUnsealError.UnknownPasswordId => "The iron token names a password id that is not configured.",
        IronUnsealError.BadMac => "The iron token failed its integrity check.",
        IronUnsealError.BadPayload => "The iron token's content is not the JSON expected.",
        _ => "The iron token could not be unsealed.",
    };
}
