using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Starts the app expecting start-up validation to stop it.</summary>
internal static class StartUp
{
    /// <summary>The validation error that stops the app made by <paramref name="create"/>.</summary>
    /// <remarks>When start-up fails, the app's entry point disposes its services while <c>WebApplicationFactory</c> may
    /// still be reading them: now and then the factory reports that <see cref="ObjectDisposedException"/> instead of the
    /// validation error. A fresh app is tried then, a few times; any other outcome fails at once.</remarks>
    public static async Task<OptionsValidationException> FailsAsync(Func<MailMvcFactory> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var factory = create();
            try
            {
                factory.CreateClient();
            }
            catch (OptionsValidationException e)
            {
                return e;
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
                continue;
            }

            throw new Xunit.Sdk.XunitException("The app started; start-up validation should have stopped it.");
        }
    }
}
