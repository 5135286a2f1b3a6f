using RazorLight;
using RazorLight.Compilation;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// RazorLight's template compiler, made the first time a template must be compiled rather than with the engine: the
/// compiler brings the Razor language engine and the C# compiler's options and references, megabytes of code loaded
/// and run, which an app whose templates were all compiled at build time never needs.
/// </summary>
/// <param name="create">Makes the compiler; called by the first compilation, and again by the next one if it threw.</param>
internal sealed class DeferredTemplateCompiler(Func<IRazorTemplateCompiler> create) : IRazorTemplateCompiler
{
    private readonly Lock _gate = new();
    private volatile IRazorTemplateCompiler? _compiler;

    /// <summary>Whether the compiler was made, for tests.</summary>
    public bool IsCreated => _compiler is not null;

    public ICompilationService CompilationService => Compiler.CompilationService;

    /// <exception cref="RazorLightException">The template does not compile.</exception>
    /// <exception cref="TemplateCompilerSetupException">The compiler could not be made; the next compilation tries again.</exception>
    public Task<CompiledTemplateDescriptor> CompileAsync(string templateKey) => Compiler.CompileAsync(templateKey);

    // One compiler for every template: RazorLight's compiler keeps what it compiled and compiles each key once.
    private IRazorTemplateCompiler Compiler
    {
        get
        {
            if (_compiler is { } made)
            {
                return made;
            }

            lock (_gate)
            {
                try
                {
                    return _compiler ??= create();
                }
                // What reading a model assembly's file for the compiler's references throws: missing, unreadable, not
                // an assembly, or a path it cannot use.
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or ArgumentException)
                {
                    throw new TemplateCompilerSetupException(
                        $"The email template compiler could not be set up ({e.Message}): the files of the assemblies in " +
                        "EmailTemplates:ModelAssemblies must be readable by the app. Templates compiled at build time still render.", e);
                }
            }
        }
    }
}
