using RazorLight;

namespace MailMvc.Templates.Rendering;

/// <summary>RazorLight's template compiler could not be made (a model assembly's file could not be read). A RazorLight
/// exception, so the warm-up logs it as a file that does not compile and goes on; the renderer tells its caller with an
/// <see cref="InvalidOperationException"/>.</summary>
internal sealed class TemplateCompilerSetupException(string message, Exception innerException) : RazorLightException(message, innerException);
