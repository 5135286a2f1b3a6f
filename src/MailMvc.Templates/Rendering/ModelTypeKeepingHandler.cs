using System.Dynamic;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Internal.Buffering;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// RazorLight's engine handler, rendering pages and their partials with the description of each model type
/// (<see cref="ModelTypeInfo"/>) made once per type. RazorLight's own makes it for every page it renders, a partial
/// included by the page as well, working out by reflection over the type's attributes whether it is anonymous and
/// building the type's name: a few per cent of a render. Everything else is the handler it wraps.
/// </summary>
internal sealed class ModelTypeKeepingHandler(IEngineHandler inner) : IEngineHandler
{
    /// <summary>The description of each model type rendered (weakly keyed: a type's assembly can unload).</summary>
    private static readonly ConditionalWeakTable<Type, ModelTypeInfo> s_modelTypes = new();

    public ICachingProvider Cache => inner.Cache;

    public IRazorTemplateCompiler Compiler => inner.Compiler;

    public ITemplateFactoryProvider FactoryProvider => inner.FactoryProvider;

    public RazorLightOptions Options => inner.Options;

    public bool IsCachingEnabled => inner.IsCachingEnabled;

    public Task<ITemplatePage> CompileTemplateAsync(string key) => inner.CompileTemplateAsync(key);

    public async Task<string> CompileRenderAsync<T>(string key, T model, ExpandoObject? viewBag = null) =>
        await RenderTemplateAsync(await CompileTemplateAsync(key).ConfigureAwait(false), model, viewBag).ConfigureAwait(false);

    public Task<string> CompileRenderStringAsync<T>(string key, string content, T model, ExpandoObject? viewBag = null) =>
        inner.CompileRenderStringAsync(key, content, model, viewBag);

    public async Task<string> RenderTemplateAsync<T>(ITemplatePage templatePage, T model, ExpandoObject? viewBag = null)
    {
        using var writer = new StringWriter();
        await RenderTemplateAsync(templatePage, model, writer, viewBag).ConfigureAwait(false);
        return writer.ToString();
    }

    public async Task RenderTemplateAsync<T>(ITemplatePage templatePage, T model, TextWriter textWriter, ExpandoObject? viewBag = null)
    {
        SetModelContext(templatePage, textWriter, model, viewBag);
        using var buffers = new MemoryPoolViewBufferScope();
        await new TemplateRenderer(this, HtmlEncoder.Default, buffers).RenderAsync(templatePage).ConfigureAwait(false);
    }

    public async Task RenderIncludedTemplateAsync<T>(ITemplatePage templatePage, T model, TextWriter textWriter, ExpandoObject viewBag,
        TemplateRenderer templateRenderer)
    {
        ArgumentNullException.ThrowIfNull(templateRenderer);
        SetModelContext(templatePage, textWriter, model, viewBag);
        await templateRenderer.RenderAsync(templatePage).ConfigureAwait(false);
    }

    /// <summary>The page's context and model, as RazorLight's handler sets them.</summary>
    private static void SetModelContext<T>(ITemplatePage page, TextWriter writer, T model, ExpandoObject? viewBag)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(writer);
        var context = new PageContext(viewBag) { ExecutingPageKey = page.Key, Writer = writer };
        if (model is not null)
        {
            var modelType = s_modelTypes.GetValue(model.GetType(), type => new ModelTypeInfo(type));
            var pageModel = modelType.CreateTemplateModel(model);
            page.SetModel(pageModel);
            context.ModelTypeInfo = modelType;
            context.Model = pageModel;
        }

        page.PageContext = context;
    }
}
