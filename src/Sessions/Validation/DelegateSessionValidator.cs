namespace SessionsServerless;

/// <summary>An <see cref="ISessionValidator"/> made of a function.</summary>
internal sealed class DelegateSessionValidator(Func<SessionValidationContext, ValueTask<bool>> validate) : ISessionValidator
{
    public ValueTask<bool> ValidateAsync(SessionValidationContext context) => validate(context);
}
