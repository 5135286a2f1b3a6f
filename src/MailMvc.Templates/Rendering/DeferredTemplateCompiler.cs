using RazorLight;
using RazorLight.Compilation;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// RazorLight's template compiler, made the first time a template must be compiled rather than with the engine: the
/// compiler brings the Razor language engine and the C# compiler's options and references, megabytes of code loaded
/// and run, which an app whose templates were all compiled at build time never needs.
/// </summary>
/// <param name="create">Makes the compiler; called once, by the first compilation.</param>
internal sealed class DeferredTemplateCompiler(Func<IRazorTemplateCompiler> create) : IRazorTemplateCompiler
{
    private readonly Lazy<IRazorTemplateCompiler> _compiler = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the compiler was made, for tests.</summary>
    public bool IsCreated => _compiler.IsValueCreated;

    public ICompilationService CompilationService => _compiler.Value.CompilationService;

    public Task<CompiledTemplateDescriptor> CompileAsync(string templateKey) => _compiler.Value.CompileAsync(templateKey);
}
