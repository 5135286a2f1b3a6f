namespace MailMvc.Templates;

/// <summary>
/// Settings for the email templates, bound from the <c>EmailTemplates</c> configuration section.
/// </summary>
public sealed class EmailTemplateOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "EmailTemplates";

    /// <summary>The default <see cref="BaseUrl"/>: the web app as <c>dotnet run</c> serves it.</summary>
    public const string DefaultBaseUrl = "http://localhost:5000/";

    /// <summary>
    /// The folder that holds the <c>.cshtml</c> email templates. An absolute path is used as it is; a relative
    /// path is under the content root. Unset means the first <c>Templates</c> folder found among:
    /// <list type="number">
    /// <item>the content root's <c>Templates</c> folder;</item>
    /// <item>the repository's <c>Templates</c> folder, found by walking up from the content root to the folder
    /// that holds <c>MailMvc.sln</c> (so <c>dotnet run --project src/MailMvc.Web</c> finds it);</item>
    /// <item>the <c>Templates</c> folder beside the app (<see cref="AppContext.BaseDirectory"/>), where the build
    /// and <c>dotnet publish</c> copy it.</item>
    /// </list>
    /// In Development the repository's folder (found from the content root or from the app's folder) comes first,
    /// so an edited template shows without a rebuild. After start-up this holds the absolute path in use.
    /// </summary>
    public string? TemplatesPath { get; set; }

    /// <summary>
    /// Recompile a template on its next render after its file changed (compared by last-write time and size),
    /// layouts and partials included. Unset means on in Development and off elsewhere, where compiled templates
    /// are cached for the life of the app.
    /// </summary>
    public bool? ReloadOnChange { get; set; }

    /// <summary>
    /// A folder where compiled templates are saved, so that a later start loads them instead of compiling: the C#
    /// compiler then never runs in the app, which starts sooner and uses over a hundred megabytes less memory.
    /// Each file is named by a fingerprint of its template's source and of the app's assemblies, so an edited
    /// template or a rebuilt app is compiled afresh, never served stale. A relative path is under the app's folder
    /// (<see cref="AppContext.BaseDirectory"/>). Unset (the default) means nothing is saved. Ignored while
    /// <see cref="ReloadOnChange"/> is on. Apps that set <c>PrecompileEmailTemplates</c> in their project fill it
    /// at build time (see <see cref="EmailTemplatePrecompiler"/>).
    /// </summary>
    public string? CompiledTemplatesPath { get; set; }

    /// <summary>Compile every template in the background at start-up, so no request waits for the compiler.
    /// On by default.</summary>
    public bool WarmUpOnStart { get; set; } = true;

    /// <summary>
    /// The absolute address of the web app that links in mails point to, <see cref="DefaultBaseUrl"/> by default.
    /// Templates read it as <c>ViewBag.BaseUrl</c>, always ending in <c>/</c>.
    /// </summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Where the templates folder was looked for when <see cref="TemplatesPath"/> was not set, for the
    /// start-up error message.</summary>
    internal IReadOnlyList<string> SearchedPaths { get; set; } = [];
}
