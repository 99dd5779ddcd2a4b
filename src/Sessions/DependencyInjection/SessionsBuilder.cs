using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SessionsServerless;

/// <summary>Adds stores to the sessions set up by <c>AddSessions</c>.</summary>
public sealed class SessionsBuilder
{
    internal SessionsBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The <c>Sessions</c> configuration section when the sessions were added from configuration, so a store package can
    /// bind its own subsection (<c>Sessions:DynamoDb</c>, <c>Sessions:AzureTables</c>); otherwise <see langword="null"/>.
    /// </summary>
    public IConfiguration? Configuration { get; }

    /// <summary>
    /// Registers a store under a name that <see cref="SessionsOptions.Store"/> (<c>Sessions:Store</c>) selects. The store is a
    /// singleton created from the service provider.
    /// </summary>
    /// <typeparam name="TStore">The store.</typeparam>
    /// <param name="name">The store's name, case-insensitive (e.g. <c>redis</c>).</param>
    /// <returns>This builder.</returns>
    public SessionsBuilder AddStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(string name)
        where TStore : class, ISessionStore
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Services.TryAddKeyedSingleton<ISessionStore, TStore>(SessionStoreNames.Normalize(name));
        return this;
    }

    /// <summary>Registers a store, created by <paramref name="factory"/>, under a name that <see cref="SessionsOptions.Store"/> selects.</summary>
    /// <param name="name">The store's name, case-insensitive.</param>
    /// <param name="factory">Creates the store (once).</param>
    /// <returns>This builder.</returns>
    public SessionsBuilder AddStore(string name, Func<IServiceProvider, ISessionStore> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        Services.TryAddKeyedSingleton(SessionStoreNames.Normalize(name), (services, _) => factory(services));
        return this;
    }

    /// <summary>
    /// Adds a check that runs whenever a request opens a session and can end it (revocation, "log out everywhere").
    /// Validators run in the order added; the first that rejects ends the session.
    /// </summary>
    /// <typeparam name="TValidator">The validator, a singleton created from the service provider.</typeparam>
    /// <returns>This builder.</returns>
    public SessionsBuilder AddValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>()
        where TValidator : class, ISessionValidator
    {
        Services.AddSingleton<ISessionValidator, TValidator>();
        return this;
    }

    /// <summary>Adds a check, as a function, that runs whenever a request opens a session and can end it.</summary>
    /// <param name="validate">Returns <see langword="true"/> to accept the session, <see langword="false"/> to end it.</param>
    /// <returns>This builder.</returns>
    public SessionsBuilder AddValidator(Func<SessionValidationContext, ValueTask<bool>> validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        Services.AddSingleton<ISessionValidator>(new DelegateSessionValidator(validate));
        return this;
    }
}
