namespace SessionsServerless;

/// <summary>Why an iron token did not unseal.</summary>
public enum IronUnsealError
{
    /// <summary>The token unsealed.</summary>
    None = 0,

    /// <summary>The token does not have the eight <c>*</c>-separated parts of <c>Fe26.2</c>, or a part is not valid base64url or digits.</summary>
    Malformed,

    /// <summary>The token's first part is not <c>Fe26.2</c>.</summary>
    WrongPrefix,

    /// <summary>The token was sealed with a time to live that has passed.</summary>
    Expired,

    /// <summary>The token names a password id that none of the configured keys has.</summary>
    UnknownPasswordId,

    /// <summary>The integrity check failed: the token was altered, or sealed with a password that is not configured.</summary>
    BadMac,

    /// <summary>The integrity check passed but the content did not decrypt to the JSON expected.</summary>
    BadPayload,
}
