using RazorLight.Razor;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// RazorLight's file-system project with change detection that needs no file watcher. With reload on, every
/// compiled template carries a <see cref="FileWriteChangeToken"/>, which RazorLight's caches check on each
/// lookup, so an edit shows on the next render; with reload off there is no token, and after the first compile
/// a render never touches the disk.
/// </summary>
internal sealed class EmailTemplateProject : FileSystemRazorProject
{
    private readonly bool _reloadOnChange;
    private int _loadCount;

    public EmailTemplateProject(string root, bool reloadOnChange)
        : base(root)
    {
        _reloadOnChange = reloadOnChange;
    }

    /// <summary>How many template sources RazorLight has asked for: it asks once per compilation.</summary>
    public int LoadCount => Volatile.Read(ref _loadCount);

    /// <summary>"_Layout" and "_Layout.cshtml" name one file, so they share one compiled template.</summary>
    public override string NormalizeKey(string templateKey)
    {
        var key = base.NormalizeKey(templateKey);
        return key.EndsWith(Extension, StringComparison.Ordinal) ? key : key + Extension;
    }

    public override Task<RazorLightProjectItem> GetItemAsync(string templateKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(templateKey);
        if (!templateKey.EndsWith(Extension, StringComparison.Ordinal))
        {
            templateKey += Extension;
        }

        var path = FilePath(templateKey);

        // Taken before the file is read, so an edit made during compilation is never missed.
        var token = _reloadOnChange && File.Exists(path) ? new FileWriteChangeToken(path) : null;
        var item = EmailTemplateProjectItem.Read(templateKey, path, token);
        Interlocked.Increment(ref _loadCount);
        return Task.FromResult<RazorLightProjectItem>(item);
    }

    /// <summary>The absolute path of the file a template key names.</summary>
    public string FilePath(string templateKey) => GetAbsoluteFilePathFromKey(templateKey);
}
