using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using RazorLight;
using RazorLight.Caching;
using RazorLight.Compilation;
using RazorLight.Generation;
using RazorLight.Razor;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// RazorLight's template cache, kept in memory and on disk: each compiled template is saved as a small assembly
/// named by a fingerprint of its source and of the assemblies it was compiled against, and a later start loads
/// that assembly instead of compiling again. With every template saved (at build time, see
/// <see cref="EmailTemplatePrecompiler"/>) the app never loads the C# compiler, which saves seconds of start-up
/// and over a hundred megabytes of memory.
/// </summary>
/// <remarks>
/// An edited template, a rebuilt app or a new RazorLight changes the fingerprint, so a stale assembly is never
/// used: the template is compiled as before and the new assembly saved. A folder that cannot be written costs
/// only that saving (logged once). With reload on (Development), each template in memory carries the change token
/// of the file it came from, checked on every lookup: an edited file is looked up on disk again by its new
/// fingerprint and, not found there, compiled; what was not edited is loaded as the build saved it.
/// </remarks>
internal sealed partial class CompiledTemplateStore : ICachingProvider, IPrecompileCallback
{
    private const string AssemblyExtension = ".dll";
    private const string SymbolsExtension = ".pdb";

    private readonly EmailTemplateProject _project;
    private readonly byte[] _compilationIdentity;
    private readonly ILogger _logger;
    private readonly bool _reloadOnChange;
    private readonly ConcurrentDictionary<string, CachedTemplate> _templates = new(StringComparer.Ordinal);
    private int _saveFailed;
    private int _loadCount;

    /// <param name="project">The templates' project, which normalizes keys and finds files.</param>
    /// <param name="directory">The folder compiled templates are saved in and loaded from.</param>
    /// <param name="compiledAgainst">The assemblies templates compile against; part of every fingerprint.</param>
    /// <param name="logger">Where loading and saving problems go.</param>
    /// <param name="reloadOnChange">Whether a template whose file changed is looked up again (Development).</param>
    public CompiledTemplateStore(EmailTemplateProject project, string directory, IEnumerable<Assembly> compiledAgainst, ILogger logger,
        bool reloadOnChange = false)
    {
        _project = project;
        _reloadOnChange = reloadOnChange;
        Directory = directory;
        _logger = logger;
        var identity = new StringBuilder("MailMvc compiled email template v1|").Append(Environment.Version);
        foreach (var assembly in compiledAgainst.Append(typeof(RazorLightEngine).Assembly).Distinct())
        {
            identity.Append('|').Append(assembly.FullName).Append('/').Append(assembly.ManifestModule.ModuleVersionId);

            // The .deps.json lists every package (and version) templates compile against, and the compile options.
            var deps = string.IsNullOrEmpty(assembly.Location) ? null : Path.ChangeExtension(assembly.Location, ".deps.json");
            if (deps is not null && File.Exists(deps))
            {
                identity.Append('/').Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(deps))));
            }
        }

        _compilationIdentity = Encoding.UTF8.GetBytes(identity.ToString());
    }

    /// <summary>The absolute path of the folder.</summary>
    public string Directory { get; }

    /// <summary>How many templates were loaded from the folder rather than compiled.</summary>
    public int LoadCount => Volatile.Read(ref _loadCount);

    /// <summary>The file a template's current source would be saved in, or null when the template has no file.</summary>
    public string? AssemblyPathFor(string key)
    {
        var item = EmailTemplateProjectItem.Read(_project.NormalizeKey(key), _project.FilePath(key), expirationToken: null);
        return item.Exists ? AssemblyPath(item) : null;
    }

    public TemplateCacheLookupResult RetrieveTemplate(string key)
    {
        var normalized = _project.NormalizeKey(key);
        if (_templates.TryGetValue(normalized, out var cached))
        {
            if (cached.ExpirationToken?.HasChanged != true)
            {
                return new TemplateCacheLookupResult(cached.Item);
            }

            _templates.TryRemove(new KeyValuePair<string, CachedTemplate>(normalized, cached));
        }

        string? path = null;
        try
        {
            // Taken before the file is read (for its fingerprint), so an edit made meanwhile is never missed.
            var file = _project.FilePath(normalized);
            var token = _reloadOnChange && File.Exists(file) ? new FileWriteChangeToken(file) : null;
            path = AssemblyPathFor(normalized);
            if (path is null || !File.Exists(path))
            {
                return new TemplateCacheLookupResult();
            }

            var loadContext = AssemblyLoadContext.GetLoadContext(typeof(RazorLightEngine).Assembly) ?? AssemblyLoadContext.Default;
            var assembly = loadContext.LoadFromAssemblyPath(path);
            var type = assembly.GetCustomAttribute<RazorLightTemplateAttribute>()?.TemplateType
                ?? throw new BadImageFormatException("The assembly holds no RazorLight template.", path);
            var item = new TemplateCacheItem(normalized, () => CreatePage(type, normalized));
            if (_templates.TryAdd(normalized, new CachedTemplate(item, token)))
            {
                Interlocked.Increment(ref _loadCount);
            }

            return new TemplateCacheLookupResult(_templates.TryGetValue(normalized, out var added) ? added.Item : item);
        }
        catch (Exception exception) when (exception is BadImageFormatException or IOException or UnauthorizedAccessException or TypeLoadException)
        {
            // Unreadable template source or saved assembly: compiling reports (or gets past) the problem.
            LogUnusable(exception, path ?? normalized, normalized);
            return new TemplateCacheLookupResult();
        }
    }

    public void CacheTemplate(string key, Func<ITemplatePage> pageFactory, IChangeToken expirationToken)
    {
        var normalized = _project.NormalizeKey(key);
        _templates[normalized] = new CachedTemplate(new TemplateCacheItem(normalized, pageFactory), _reloadOnChange ? expirationToken : null);
    }

    public bool Contains(string key) => _templates.ContainsKey(_project.NormalizeKey(key));

    public void Remove(string key) => _templates.TryRemove(_project.NormalizeKey(key), out _);

    /// <summary>Called by RazorLight with each assembly it compiled: saves it (and its symbols) under the
    /// fingerprint of the source it was compiled from.</summary>
    void IPrecompileCallback.Invoke(IGeneratedRazorTemplate generatedRazorTemplate, byte[] rawAssembly, byte[] rawSymbolStore)
    {
        if (generatedRazorTemplate.ProjectItem is not EmailTemplateProjectItem { Exists: true } item)
        {
            return;
        }

        var path = AssemblyPath(item);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            if (rawSymbolStore is { Length: > 0 })
            {
                WriteAtomically(Path.ChangeExtension(path, SymbolsExtension), rawSymbolStore);
            }

            // The assembly last: its presence is what says the template is saved.
            WriteAtomically(path, rawAssembly);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (Interlocked.Exchange(ref _saveFailed, 1) == 0)
            {
                LogSaveFailed(exception, Directory);
            }
        }
    }

    /// <summary>Deletes saved templates other than <paramref name="keep"/> (files this store named only).</summary>
    /// <returns>How many files were deleted.</returns>
    public int DeleteAllExcept(IReadOnlySet<string> keep)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            // <fingerprint>.dll, <fingerprint>.pdb, or a <fingerprint>.dll.<guid>.tmp left by a crash mid-write.
            var fileName = Path.GetFileName(file);
            var name = fileName.Split('.')[0];
            var extension = fileName[name.Length..];
            var ours = name.Length == 64 && name.All(char.IsAsciiHexDigitLower)
                && (extension is AssemblyExtension or SymbolsExtension || extension.EndsWith(".tmp", StringComparison.Ordinal));
            if (ours && !keep.Contains(Path.Combine(Directory, name + AssemblyExtension)))
            {
                File.Delete(file);
                deleted++;
            }
        }

        return deleted;
    }

    private string AssemblyPath(EmailTemplateProjectItem item)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_compilationIdentity);
        hash.AppendData(Encoding.UTF8.GetBytes("|" + item.Key + "|"));
        hash.AppendData(item.ContentHash);
        return Path.Combine(Directory, Convert.ToHexStringLower(hash.GetHashAndReset()) + AssemblyExtension);
    }

    /// <summary>The page RazorLight's own factory would make: the template type with its key set, which the
    /// renderer reads to tell text files from HTML.</summary>
    private static ITemplatePage CreatePage(Type type, string key)
    {
        var page = (ITemplatePage)Activator.CreateInstance(type)!;
        page.Key = key;
        return page;
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A template in memory, and with reload on the change token of the file it came from.</summary>
    private sealed record CachedTemplate(TemplateCacheItem Item, IChangeToken? ExpirationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compiled email template {Path} for {Template} could not be loaded; compiling the template instead")]
    private partial void LogUnusable(Exception exception, string path, string template);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compiled email templates cannot be saved in {Directory}; they will be compiled again at the next start")]
    private partial void LogSaveFailed(Exception exception, string directory);
}
