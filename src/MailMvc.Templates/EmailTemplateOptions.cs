using System.Reflection;
using MailMvc.Templates.Lint;

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
    /// path is under the host's content root. Unset means the first <c>Templates</c> folder found among:
    /// <list type="number">
    /// <item>the content root's <c>Templates</c> folder (run from a source folder, the source templates, so an
    /// edited template shows without a rebuild);</item>
    /// <item>the <c>Templates</c> folder beside the app (<see cref="AppContext.BaseDirectory"/>), where a build or
    /// <c>dotnet publish</c> may copy it.</item>
    /// </list>
    /// After start-up this holds the absolute path in use.
    /// </summary>
    public string? TemplatesPath { get; set; }

    /// <summary>
    /// The assemblies that hold the types templates use, such as their <c>@model</c> types. Templates are compiled
    /// against them (and against the app's own references when its project sets <c>PreserveCompilationContext</c>),
    /// and they are part of the fingerprint of every template saved in <see cref="CompiledTemplatesPath"/>, so a
    /// rebuilt models assembly makes the templates compile afresh. Fill it with <see cref="AddModelsFrom{TModel}"/>.
    /// </summary>
    public IList<Assembly> ModelAssemblies { get; } = [];

    /// <summary>
    /// The namespaces every template imports, as if each began with an <c>@using</c> line for them; bound from
    /// configuration too (<c>EmailTemplates:Namespaces:0</c>). <see cref="AddModelsFrom{TModel}"/> adds its model's.
    /// </summary>
    public IList<string> Namespaces { get; } = [];

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
    /// (<see cref="AppContext.BaseDirectory"/>). Unset (the default) means nothing is saved. With
    /// <see cref="ReloadOnChange"/> on, the saved templates are used too while their files are unchanged; an edited
    /// file is compiled (and saved) on its next render. Apps that set <c>PrecompileEmailTemplates</c> in their
    /// project fill it at build time (see <see cref="EmailTemplatePrecompiler"/>).
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

    /// <summary>
    /// Move the rules of each rendered mail's <c>&lt;style&gt;</c> blocks (the layout's shared stylesheet, a template's
    /// own) into <c>style</c> attributes, for the clients that drop <c>&lt;style&gt;</c>, keeping <c>@media</c> queries
    /// and rules with pseudo-classes in a <c>&lt;style&gt;</c> block for the clients that honour them. On by default;
    /// each distinct stylesheet is parsed once and kept, and a mail without <c>&lt;style&gt;</c> costs one search.
    /// </summary>
    public bool InlineCss { get; set; } = true;

    /// <summary>What <see cref="EmailLint"/> checks rendered mails against (<c>EmailTemplates:Lint</c>): the size
    /// budget and the mail clients CSS must work in.</summary>
    public EmailLintOptions Lint { get; } = new();

    /// <summary>
    /// Lets templates use the types in <typeparamref name="TModel"/>'s assembly, and name those in its namespace
    /// without qualifying them: adds the assembly to <see cref="ModelAssemblies"/> and the namespace to
    /// <see cref="Namespaces"/>, each once.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddEmailTemplates(configuration.GetSection("EmailTemplates"), templates => templates
    ///     .AddModelsFrom&lt;OrderModel&gt;()
    ///     .AddModelsFrom&lt;InvoiceModel&gt;());
    /// </code>
    /// </example>
    /// <typeparam name="TModel">A type templates use, usually a template's <c>@model</c>.</typeparam>
    /// <returns>These options, for chaining.</returns>
    public EmailTemplateOptions AddModelsFrom<TModel>()
    {
        var type = typeof(TModel);
        if (!ModelAssemblies.Contains(type.Assembly))
        {
            ModelAssemblies.Add(type.Assembly);
        }

        if (!string.IsNullOrEmpty(type.Namespace) && !Namespaces.Contains(type.Namespace))
        {
            Namespaces.Add(type.Namespace);
        }

        return this;
    }

    /// <summary>Where the templates folder was looked for when <see cref="TemplatesPath"/> was not set, for the
    /// start-up error message.</summary>
    internal IReadOnlyList<string> SearchedPaths { get; set; } = [];
}
