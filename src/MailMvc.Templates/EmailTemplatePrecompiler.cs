using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates;

/// <summary>
/// Compiles the email templates at build time, the way ASP.NET Core compiles its Razor views: an app whose project
/// sets <c>&lt;PrecompileEmailTemplates&gt;true&lt;/PrecompileEmailTemplates&gt;</c> is run once after each build
/// with <see cref="Command"/> as its first argument, and saves every template, compiled, in
/// <see cref="EmailTemplateOptions.CompiledTemplatesPath"/> (the repository's <c>Directory.Build.targets</c> does
/// this, and copies the folder into a publish). A template that does not compile fails the build, naming the file
/// and line.
/// </summary>
/// <example>
/// <code>
/// var precompile = EmailTemplatePrecompiler.IsRequested(args);
/// var builder = WebApplication.CreateBuilder(precompile ? args[1..] : args);
/// // … services …
/// var app = builder.Build();
/// if (precompile)
/// {
///     return await EmailTemplatePrecompiler.RunAsync(app.Services, Console.Out);
/// }
/// </code>
/// </example>
public static class EmailTemplatePrecompiler
{
    /// <summary>The first argument that asks an app to precompile its templates and exit.</summary>
    public const string Command = "--precompile-email-templates";

    /// <summary>Whether <paramref name="args"/> start with <see cref="Command"/>.</summary>
    /// <param name="args">The app's command-line arguments.</param>
    /// <returns>True when the app should precompile its templates instead of running.</returns>
    public static bool IsRequested(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count > 0 && args[0] == Command;
    }

    /// <summary>
    /// Compiles every template the app's <see cref="RazorLightEmailRenderer"/> can render into
    /// <see cref="EmailTemplateOptions.CompiledTemplatesPath"/> (keeping what is up to date there, deleting what no
    /// template needs any more) and reports what it did on <paramref name="output"/>.
    /// </summary>
    /// <param name="services">The built app's services, registered with <c>AddEmailTemplates</c>; the app need
    /// not be started.</param>
    /// <param name="output">Where the one-line report (or the error) is written.</param>
    /// <param name="cancellationToken">Stops before the next file.</param>
    /// <returns>0 when every template was saved; 1 with the reason written to <paramref name="output"/>.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        var options = services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;
        try
        {
            var renderer = services.GetRequiredService<RazorLightEmailRenderer>();
            var (files, compiled, deleted) = await renderer.PrecompileAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"Email templates: {files} files from {renderer.TemplatesPath} saved compiled in {options.CompiledTemplatesPath} " +
                $"({compiled} compiled now, {files - compiled} up to date, {deleted} old files deleted)").ConfigureAwait(false);
            return 0;
        }
        catch (Exception exception) when (exception is EmailTemplateCompilationException or TemplateNotFoundException
            or InvalidOperationException or OptionsValidationException or IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"error: email templates could not be precompiled: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
