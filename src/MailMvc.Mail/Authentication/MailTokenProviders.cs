using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;

namespace MailMvc.Mail.Authentication;

/// <summary>The token provider of one server's settings, cached (<see cref="CachingMailTokenProvider"/>).</summary>
internal static class MailTokenProviders
{
    /// <summary>The provider <see cref="OAuth2Options.Provider"/> names, or null when the server logs in with a password.</summary>
    /// <param name="options">One server's settings (see <see cref="MailOptions.For"/>).</param>
    /// <param name="services">The container: the <c>Custom</c> provider, and an <see cref="IMsalHttpClientFactory"/> if
    /// one is registered. Null outside a container.</param>
    /// <exception cref="InvalidOperationException">The provider is Custom and none is registered, or unknown.</exception>
    public static IMailTokenProvider? Create(MailOptions options, IServiceProvider? services)
    {
        if (options.Authentication != MailAuthentication.OAuth2)
        {
            return null;
        }

        var oauth = options.OAuth2;
        IMailTokenProvider provider =
            oauth.Is(OAuth2Options.MicrosoftProvider) ? CreateMicrosoft(oauth.Microsoft, services)
            : oauth.Is(OAuth2Options.GoogleProvider) ? new GoogleMailTokenProvider(oauth.Google, options.Username)
            : oauth.Is(OAuth2Options.CustomProvider) ? services?.GetService<IMailTokenProvider>() ?? throw new InvalidOperationException(
                "Mail:OAuth2:Provider is Custom but no IMailTokenProvider is registered: call .UseTokenProvider<YourProvider>() on AddMail(...).")
            : throw new InvalidOperationException(
                $"Mail:OAuth2:Provider is '{oauth.Provider}'; give {OAuth2Options.MicrosoftProvider}, {OAuth2Options.GoogleProvider} or {OAuth2Options.CustomProvider}.");
        return new CachingMailTokenProvider(provider, services?.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    // A method of its own, so that an app whose servers log in with a password, or with Google's OAuth2, never loads
    // Microsoft's authentication library (MSAL): compiling a method loads the assemblies of the types it names.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IMailTokenProvider CreateMicrosoft(MicrosoftOAuth2Options options, IServiceProvider? services) =>
        new MicrosoftMailTokenProvider(options, services?.GetService<IMsalHttpClientFactory>());
}
