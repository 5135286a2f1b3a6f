using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using RazorLight.Razor;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// A template file read once, when RazorLight asks for it: the compiler reads these bytes, and
/// <see cref="ContentHash"/> is their hash, so a compiled template saved to disk is filed under exactly the
/// source it was compiled from, even if the file changes while it compiles.
/// </summary>
internal sealed class EmailTemplateProjectItem : RazorLightProjectItem
{
    private readonly byte[]? _content;

    private EmailTemplateProjectItem(string key, byte[]? content, IChangeToken? expirationToken)
    {
        Key = key;
        _content = content;
        ContentHash = content is null ? [] : SHA256.HashData(content);
        ExpirationToken = expirationToken;
    }

    public override string Key { get; }

    public override bool Exists => _content is not null;

    /// <summary>SHA-256 of the bytes compiled; empty when the file does not exist.</summary>
    public byte[] ContentHash { get; }

    /// <summary>Reads <paramref name="path"/> now; a missing file makes an item that does not exist.</summary>
    /// <param name="key">The normalized template key (<c>/Welcome.cshtml</c>).</param>
    /// <param name="path">The file's absolute path.</param>
    /// <param name="expirationToken">Taken before the read, so an edit made meanwhile is never missed.</param>
    public static EmailTemplateProjectItem Read(string key, string path, IChangeToken? expirationToken)
    {
        byte[]? content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            content = null;
        }

        return new EmailTemplateProjectItem(key, content, expirationToken);
    }

    public override Stream Read() =>
        _content is null
            ? throw new InvalidOperationException($"The email template '{Key}' does not exist.")
            : new MemoryStream(_content, writable: false);
}
