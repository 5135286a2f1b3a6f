using System.Collections.Concurrent;
using System.Diagnostics;
using System.Dynamic;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MailMvc.Templates.Css;
using MailMvc.Templates.Rendering;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Generation;

namespace MailMvc.Templates;

/// <summary>
/// Renders the email templates with RazorLight; the rest of the app sees <see cref="IEmailRenderer"/>. One
/// instance (a singleton) compiles each template once and keeps it: a render of a compiled template takes
/// microseconds, a compilation about a second or two, which <see cref="TemplateWarmupService"/> does at start-up.
/// </summary>
/// <remarks>
/// <para>Templates read <c>ViewBag.BaseUrl</c> (<see cref="EmailTemplateOptions.BaseUrl"/>) and set
/// <c>ViewBag.Subject</c> and, for the layout, <c>ViewBag.Preheader</c> (both null until set). HTML templates choose their layout
/// (<c>Layout = "_Layout.cshtml"</c>).</para>
/// <para>Unless <see cref="EmailTemplateOptions.InlineCss"/> is off, the rules of the HTML's <c>&lt;style&gt;</c> blocks
/// are inlined into <c>style</c> attributes (media queries stay in a <c>&lt;style&gt;</c> block) before the text part
/// is derived; each distinct stylesheet is parsed once.</para>
/// <para>A file whose name ends in <c>.text.cshtml</c> (a text twin, or a partial it includes) is rendered
/// without HTML encoding: what a person typed appears exactly as typed. Every other file is HTML-encoded.</para>
/// </remarks>
public sealed class RazorLightEmailRenderer : IEmailRenderer
{
    private const string Extension = EmailTemplateCatalog.Extension;
    private const string TextExtension = EmailTemplateCatalog.TextExtension;

    /// <summary>How RazorLight's message begins when the app's <c>.deps.json</c> lists no compile references; it
    /// throws no type of its own for that.</summary>
    private const string NoCompilationContextMessage = "Can't load metadata reference";

    private const int InitialRenderChars = 16 * 1024;

    /// <summary>Encodes what HTML needs (&lt; &gt; &amp; quotes) but leaves letters of every script readable:
    /// mails are sent as UTF-8, so "Zoë" need not become "Zo&amp;#xEB;".</summary>
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly IReadOnlyDictionary<string, TemplateFiles> s_noVariants = new Dictionary<string, TemplateFiles>();

    private readonly RazorLightEngine _engine;
    private readonly DeferredTemplateCompiler _compiler;
    private readonly EmailTemplateProject _project;
    private readonly CompiledTemplateStore? _store;
    private readonly CssInliner? _inliner;
    private readonly string _baseUrl;
    private readonly bool _reloadOnChange;
    private readonly ConcurrentDictionary<string, TemplateFiles> _resolved = new(StringComparer.Ordinal);
    private readonly ILogger<RazorLightEmailRenderer> _logger;

    /// <summary>Creates the renderer for the folder in <see cref="EmailTemplateOptions.TemplatesPath"/>.</summary>
    /// <param name="options">The template settings, resolved by <c>AddEmailTemplates</c>.</param>
    /// <param name="logger">Where warm-up and compilation problems are logged.</param>
    /// <exception cref="InvalidOperationException">The templates folder does not exist.</exception>
    public RazorLightEmailRenderer(IOptions<EmailTemplateOptions> options, ILogger<RazorLightEmailRenderer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.TemplatesPath) || !Directory.Exists(settings.TemplatesPath))
        {
            throw new InvalidOperationException(
                $"The email templates folder '{settings.TemplatesPath}' does not exist; set EmailTemplates:TemplatesPath.");
        }

        TemplatesPath = Path.GetFullPath(settings.TemplatesPath);
        _reloadOnChange = settings.ReloadOnChange ?? false;
        _baseUrl = settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/";
        _logger = logger;
        _inliner = settings.InlineCss ? new CssInliner() : null;
        _project = new EmailTemplateProject(TemplatesPath, _reloadOnChange);
        var operatingAssembly = ChooseOperatingAssembly();
        var modelAssemblies = settings.ModelAssemblies.Distinct().ToList();
        ICachingProvider cache;
        if (!string.IsNullOrEmpty(settings.CompiledTemplatesPath))
        {
            // With reload on too (Development): what the build saved loads in milliseconds; only an edited file compiles.
            cache = _store = new CompiledTemplateStore(
                _project, Path.GetFullPath(settings.CompiledTemplatesPath, AppContext.BaseDirectory), [operatingAssembly, .. modelAssemblies], logger,
                _reloadOnChange);
        }
        else
        {
            cache = new MemoryCachingProvider();
        }

        // The engine that renders: it finds each template in the cache, and asks the compiler only for one not there.
        // RazorLight's builder makes its compiler at once (the Razor language engine and the C# compiler's options and
        // references: megabytes of code loaded and run at start-up); here it is made the first time a file must be
        // compiled, which, with every template compiled at build time, is never.
        // Of its options the engine reads only the callbacks run before each page and DisableEncoding (unset: encode);
        // the namespaces and references are the compiler's.
        var namespaces = settings.Namespaces.Distinct(StringComparer.Ordinal).ToArray();
        var engineOptions = new RazorLightOptions { PreRenderCallbacks = [PrepareEncoding] };
        _compiler = new DeferredTemplateCompiler(() => CreateCompiler(_project, cache, operatingAssembly, modelAssemblies, namespaces));
        _engine = new RazorLightEngine(new ModelTypeKeepingHandler(new EngineHandler(engineOptions, _compiler, new TemplateFactoryProvider(), cache)));
    }

    /// <summary>RazorLight's compiler for the templates, as its engine builder makes it. A method of its own, never
    /// inlined: compiling the method that names the compiler's types loads their assemblies.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IRazorTemplateCompiler CreateCompiler(EmailTemplateProject project, ICachingProvider cache, Assembly operatingAssembly,
        IReadOnlyList<Assembly> modelAssemblies, string[] namespaces) =>
        new RazorLightEngineBuilder()
            .UseProject(project)
            .UseCachingProvider(cache)
            .SetOperatingAssembly(operatingAssembly)
            .AddMetadataReferences(modelAssemblies
                .Where(assembly => assembly != operatingAssembly)
                .Select(assembly => (MetadataReference)MetadataReference.CreateFromFile(assembly.Location))
                .ToArray())
            .AddDefaultNamespaces(namespaces)
            .Build()
            .Handler.Compiler;

    /// <summary>The absolute path of the templates folder.</summary>
    public string TemplatesPath { get; }

    /// <summary>How many times a template file was compiled, for tests: it stays put once every template is.</summary>
    internal int CompilationCount => _project.LoadCount;

    /// <summary>Whether RazorLight's compiler was made, for tests: not while every template loads compiled.</summary>
    internal bool IsCompilerCreated => _compiler.IsCreated;

    /// <summary>How many stylesheets the CSS inliner parsed, for tests: once per distinct stylesheet.</summary>
    internal int StylesheetParseCount => _inliner?.ParseCount ?? 0;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="template"/> is empty or not a plain template name
    /// (no <c>..</c>, no rooted path, no <c>.text</c> suffix).</exception>
    /// <exception cref="EmailTemplateCompilationException">The template, its layout or a partial does not compile.</exception>
    /// <exception cref="InvalidOperationException">The app's project sets <c>PreserveCompilationContext</c> to false,
    /// so templates have no references to compile against; or a template must be compiled and the compiler could not be
    /// set up (a model assembly's file could not be read).</exception>
    public Task<RenderedEmail> RenderAsync<TModel>(string template, TModel model, CancellationToken cancellationToken = default) =>
        RenderAsync(template, model, culture: null, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="template"/> is empty or not a plain template name
    /// (no <c>..</c>, no rooted path, no <c>.text</c> suffix).</exception>
    /// <exception cref="EmailTemplateCompilationException">The template, its layout or a partial does not compile.</exception>
    /// <exception cref="InvalidOperationException">The app's project sets <c>PreserveCompilationContext</c> to false,
    /// so templates have no references to compile against; or a template must be compiled and the compiler could not be
    /// set up (a model assembly's file could not be read).</exception>
    public async Task<RenderedEmail> RenderAsync<TModel>(string template, TModel model, CultureInfo? culture, CancellationToken cancellationToken = default)
    {
        var (files, variant) = Resolve(template, culture);
        cancellationToken.ThrowIfCancellationRequested();

        // Dates and numbers the template formats follow the culture asked for (de-CH even when the variant is de); the
        // caller's culture is untouched, as an async method's changes to it do not flow back.
        if (culture is not null)
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
        }

        var viewBag = new ExpandoObject();
        IDictionary<string, object?> values = viewBag;
        values["BaseUrl"] = _baseUrl;
        values["Culture"] = variant;

        // ExpandoObject throws on a member never set, so what a template may leave unset starts out null.
        values["Subject"] = null;
        values["Preheader"] = null;

        var html = await RenderFileAsync(template, files.Html, model, viewBag, _inliner).ConfigureAwait(false);
        ViewBagShapes.Keep(viewBag);

        var subject = values.TryGetValue("Subject", out var value) ? value?.ToString() ?? string.Empty : string.Empty;
        if (files.Text is null)
        {
            // Derived when first read: a caller with its own text (the compose form) never parses the HTML.
            return new RenderedEmail(subject, html, HtmlTextConverter.Convert) { Culture = variant };
        }

        cancellationToken.ThrowIfCancellationRequested();
        var text = (await RenderFileAsync(template, files.Text, model, viewBag).ConfigureAwait(false))
            .ReplaceLineEndings("\n")
            .Trim('\n');
        return new RenderedEmail(subject, html, text) { Culture = variant };
    }

    /// <summary>
    /// Compiles every <c>.cshtml</c> file in the folder (templates, text twins, layouts, partials) that is not
    /// compiled yet, one after another on a pool thread; with <see cref="EmailTemplateOptions.CompiledTemplatesPath"/>
    /// set, a file compiled before (and unchanged since) is loaded from there instead. A render that needs a
    /// template being compiled waits for that compilation rather than starting another. A template that does not
    /// compile is logged and skipped; rendering it throws the compiler's errors.
    /// </summary>
    /// <param name="cancellationToken">Stops before the next file.</param>
    /// <returns>How many files compile.</returns>
    public async Task<int> WarmUpAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var (compiledBefore, loadedBefore) = (_project.LoadCount, _store?.LoadCount ?? 0);
        var ready = 0;
        foreach (var key in EmailTemplateCatalog.EnumerateFiles(TemplatesPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await PrepareAsync(key, cancellationToken).ConfigureAwait(false);
                ready++;
            }
            catch (RazorLightException exception)
            {
                // Not compiling, or deleted since the folder was listed: rendering it reports the problem.
                _logger.LogError(exception, "Email template file {Template} could not be compiled", key);
            }
        }

        // The first text part derived from HTML pays tens of milliseconds of JIT for the HTML parser; pay it here.
        await Task.Run(() => HtmlTextConverter.Convert("<p>warm-up</p>"), cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (_store is null)
        {
            _logger.LogInformation("Compiled {Count} email template files from {TemplatesPath} in {ElapsedMilliseconds:0} ms",
                ready, TemplatesPath, elapsed);
        }
        else
        {
            _logger.LogInformation(
                "Prepared {Count} email template files from {TemplatesPath} in {ElapsedMilliseconds:0} ms: {Loaded} loaded from {CompiledTemplatesPath}, {Compiled} compiled",
                ready, TemplatesPath, elapsed, _store.LoadCount - loadedBefore, _store.Directory, _project.LoadCount - compiledBefore);
        }

        return ready;
    }

    /// <summary>
    /// Saves every template file, compiled, in <see cref="EmailTemplateOptions.CompiledTemplatesPath"/> (compiling
    /// only what is not there yet) and deletes the compiled templates no file needs any more, so an app started
    /// afterwards never compiles. <see cref="EmailTemplatePrecompiler"/> runs it at build time.
    /// </summary>
    /// <param name="cancellationToken">Stops before the next file.</param>
    /// <returns>How many files there are, how many were compiled now, and how many old files were deleted.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="EmailTemplateOptions.CompiledTemplatesPath"/> is
    /// set, or a compiled template could not be saved.</exception>
    /// <exception cref="EmailTemplateCompilationException">A file does not compile.</exception>
    internal async Task<(int Files, int Compiled, int Deleted)> PrecompileAsync(CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            throw new InvalidOperationException("Set EmailTemplates:CompiledTemplatesPath to the folder compiled email templates are saved in.");
        }

        var compiledBefore = _project.LoadCount;
        var saved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in EmailTemplateCatalog.EnumerateFiles(TemplatesPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await PrepareAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (RazorLightException exception)
            {
                throw Describe(Path.GetFileNameWithoutExtension(key), key, exception) ?? throw new InvalidOperationException(
                    $"The email template file {key} could not be compiled: {exception.Message}", exception);
            }

            var path = _store.AssemblyPathFor(key);
            if (path is null || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The compiled email template {key} could not be saved in {_store.Directory}; see the log for why.");
            }

            saved.Add(path);
        }

        return (saved.Count, _project.LoadCount - compiledBefore, _store.DeleteAllExcept(saved));
    }

    /// <summary>Compiles a file, or loads it compiled; RazorLight compiles synchronously inside
    /// <c>CompileTemplateAsync</c>, so this keeps that off the caller's thread.</summary>
    private Task PrepareAsync(string key, CancellationToken cancellationToken) =>
        Task.Run(() => _engine.CompileTemplateAsync(key), cancellationToken);

    /// <summary>The file rendered; with <paramref name="inliner"/>, its CSS inlined, from the text it was rendered into,
    /// so only the inlined mail becomes a string.</summary>
    private async Task<string> RenderFileAsync<TModel>(string template, string key, TModel model, ExpandoObject viewBag, CssInliner? inliner = null)
    {
        try
        {
            var page = await _engine.CompileTemplateAsync(key).ConfigureAwait(false);

            // Rendered into a builder the thread keeps for the next render (RazorLight's own render grows a new one from
            // empty each time); the writer has the render's culture, as RazorLight's would.
            var rendered = ThreadKeptBuilder.Take(InitialRenderChars);
            using (var writer = new StringWriter(rendered, CultureInfo.CurrentCulture))
            {
                await _engine.RenderTemplateAsync(page, model, writer, viewBag).ConfigureAwait(false);
            }

            var result = inliner is null ? rendered.ToString()
                : OnlyChunk(rendered) is { } text ? inliner.Inline(text.Span) ?? rendered.ToString()
                : inliner.Inline(rendered.ToString());
            ThreadKeptBuilder.Keep(rendered);
            return result;
        }
        catch (RazorLightException exception)
        {
            var described = Describe(template, key, exception);
            if (described is null)
            {
                throw;
            }

            throw described;
        }
    }

    /// <summary>The builder's text when it is in one piece (as a kept builder's is once it has grown to a mail's size);
    /// null when it is not.</summary>
    internal static ReadOnlyMemory<char>? OnlyChunk(StringBuilder builder)
    {
        ReadOnlyMemory<char>? only = null;
        foreach (var chunk in builder.GetChunks())
        {
            if (only is not null)
            {
                return null;
            }

            only = chunk;
        }

        return only ?? ReadOnlyMemory<char>.Empty;
    }

    /// <summary>RazorLight's exception as this library's, naming the template file and line, or the setting the app
    /// lacks; null for any other.</summary>
    private Exception? Describe(string template, string key, RazorLightException exception)
    {
        switch (exception)
        {
            case RazorLight.TemplateNotFoundException:
                return new TemplateNotFoundException(template, TemplatesPath, exception);
            case TemplateCompilationException compilation:
                {
                    var errors = compilation.CompilationDiagnostics
                        .Select(diagnostic => diagnostic.LineSpan is { } span
                            ? $"{FileName(span.Path, key)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.ErrorMessage}"
                            : diagnostic.ErrorMessage)
                        .DefaultIfEmpty(compilation.Message)
                        .ToList();
                    var file = FileName(compilation.CompilationDiagnostics.Select(diagnostic => diagnostic.LineSpan?.Path).FirstOrDefault(), key);
                    return new EmailTemplateCompilationException(template, file, errors, compilation);
                }

            case TemplateGenerationException generation:
                {
                    var errors = generation.Diagnostics.Select(diagnostic => diagnostic.ToString()).DefaultIfEmpty(generation.Message).ToList();
                    var file = FileName(generation.Diagnostics.Select(diagnostic => diagnostic.Span.FilePath).FirstOrDefault(), key);
                    return new EmailTemplateCompilationException(template, file, errors, generation);
                }

            case TemplateCompilerSetupException setup:
                return new InvalidOperationException($"The email template '{template}' cannot be compiled. {setup.Message}", setup);

            case RazorLightException when exception.Message.StartsWith(NoCompilationContextMessage, StringComparison.Ordinal):
                return new InvalidOperationException(
                    $"The email template '{template}' cannot be compiled: the app's project must set " +
                    "<PreserveCompilationContext>true</PreserveCompilationContext> (the MailMvc.Templates package sets it " +
                    "unless the project sets it to false), so that the app's .deps.json lists the references templates " +
                    "compile against.", exception);

            default:
                return null;
        }
    }

    /// <summary>The template file a compiler diagnostic points into (a layout or partial, perhaps), relative to the
    /// folder; the page being rendered when the diagnostic names no <c>.cshtml</c> file.</summary>
    private static string FileName(string? path, string key) =>
        path is not null && path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) ? path.TrimStart('/') : key;

    /// <summary>The files of <paramref name="template"/> in the most specific variant <paramref name="culture"/> falls
    /// back to (<c>de-CH</c>, <c>de</c>, then the template itself), and that variant's culture name ("" for none).</summary>
    private (TemplateFiles Files, string Culture) Resolve(string template, CultureInfo? culture)
    {
        var resolved = Resolve(template);
        foreach (var name in TemplateVariants.FallbackChain(culture))
        {
            if (resolved.Variants.TryGetValue(name, out var variant))
            {
                return (variant, name);
            }
        }

        return (resolved, string.Empty);
    }

    private TemplateFiles Resolve(string template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        if (!_reloadOnChange && _resolved.TryGetValue(template, out var known))
        {
            return known;
        }

        var name = template.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) ? template[..^Extension.Length] : template;
        if (!IsTemplateName(name))
        {
            throw new ArgumentException(
                $"'{template}' is not a template name; give the file name without .cshtml, such as Welcome.", nameof(template));
        }

        if (!File.Exists(Path.Combine(TemplatesPath, name + Extension)))
        {
            throw new TemplateNotFoundException(name, TemplatesPath);
        }

        var files = new TemplateFiles(name + Extension, TextFile(name), FindVariants(name));

        // Only names that exist are remembered, so unknown names cannot grow the dictionary. With reload on,
        // the folder is looked at every time, so a text twin or a variant added while developing is picked up.
        if (!_reloadOnChange)
        {
            _resolved.TryAdd(template, files);
        }

        return files;
    }

    private string? TextFile(string name) => File.Exists(Path.Combine(TemplatesPath, name + TextExtension)) ? name + TextExtension : null;

    /// <summary>The per-culture variants of <paramref name="name"/> (<c>Welcome.de.cshtml</c>), by culture name. A variant
    /// without a text twin of its own gets its text part derived from its HTML, never the default language's text.</summary>
    private Dictionary<string, TemplateFiles> FindVariants(string name)
    {
        var variants = new Dictionary<string, TemplateFiles>(StringComparer.OrdinalIgnoreCase);
        var folder = Path.GetDirectoryName(Path.Combine(TemplatesPath, name))!;
        var prefix = Path.GetFileName(name) + ".";
        foreach (var path in Directory.EnumerateFiles(folder, prefix + "*" + Extension))
        {
            var file = Path.GetFileName(path);
            if (file.EndsWith(TextExtension, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var variantName = name[..^Path.GetFileName(name).Length] + file[..^Extension.Length];
            if (TemplateVariants.TryParse(variantName, template => template == name, out _, out var culture))
            {
                variants[culture] = new TemplateFiles(variantName + Extension, TextFile(variantName), s_noVariants);
            }
        }

        return variants;
    }

    private static bool IsTemplateName(string name) =>
        name.Length > 0
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
        && !name.StartsWith('/')
        && !name.Split('/').Any(segment => segment is "" or "." or "..")
        && !name.EndsWith(".text", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// RazorLight compiles templates against the references listed in the operating assembly's <c>.deps.json</c>.
    /// The running app's lists them when it sets <c>PreserveCompilationContext</c>, so it is the first choice. For
    /// hosts without compilation context (test hosts, for one) this library is the fallback: RazorLight then
    /// compiles against the assemblies it references. Either way <see cref="EmailTemplateOptions.ModelAssemblies"/>
    /// are added, so templates always see their models.
    /// </summary>
    private static Assembly ChooseOperatingAssembly()
    {
        var entry = Assembly.GetEntryAssembly();
        return entry is not null && DependencyContext.Load(entry)?.CompileLibraries.Count > 0
            ? entry
            : typeof(RazorLightEmailRenderer).Assembly;
    }

    /// <summary>Runs before every page, layouts and partials included, after RazorLight set its defaults.</summary>
    private static void PrepareEncoding(ITemplatePage page)
    {
        page.DisableEncoding = IsTextFile(page.Key);
        if (page is TemplatePageBase html)
        {
            html.HtmlEncoder = s_encoder;
        }
    }

    private static bool IsTextFile(string? key) => key?.EndsWith(TextExtension, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The files that make up one template, as RazorLight keys.</summary>
    private sealed record TemplateFiles(string Html, string? Text, IReadOnlyDictionary<string, TemplateFiles> Variants);
}
