using Microsoft.Extensions.Primitives;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// Reports a change once a file's last-write time or size differs from when the token was made, or the file is
/// gone. It is checked when asked (memory caches ask on every lookup) rather than by a file watcher, whose
/// events arrive late and not at all on some file systems.
/// </summary>
internal sealed class FileWriteChangeToken : IChangeToken
{
    private readonly string _path;
    private readonly DateTime _lastWriteTimeUtc;
    private readonly long _length;

    public FileWriteChangeToken(string path)
    {
        _path = path;
        (_lastWriteTimeUtc, _length) = Stamp(path);
    }

    public bool HasChanged => Stamp(_path) != (_lastWriteTimeUtc, _length);

    public bool ActiveChangeCallbacks => false;

    public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => NoRegistration.Instance;

    private static (DateTime LastWriteTimeUtc, long Length) Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
    }

    private sealed class NoRegistration : IDisposable
    {
        public static readonly NoRegistration Instance = new();

        public void Dispose()
        {
        }
    }
}
