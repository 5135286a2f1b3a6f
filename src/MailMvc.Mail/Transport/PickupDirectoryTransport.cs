using System.Globalization;
using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Writes each message as an <c>.eml</c> file, so an app runs with no SMTP server. The envelope goes in
/// <c>X-Sender</c> and <c>X-Receiver</c> lines before the message, the pickup-directory convention, so Bcc
/// recipients are not lost.
/// </summary>
public sealed class PickupDirectoryTransport : IMailTransport, IMailTransportSession, IDisposable
{
    private readonly string _directory;

    /// <summary>Creates the transport.</summary>
    /// <param name="directory">The folder to write to, created when missing; a relative path is under the current directory.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    public PickupDirectoryTransport(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
    }

    /// <inheritdoc />
    public string Description => $"pickup directory {_directory}";

    /// <inheritdoc />
    public bool IsUsable => true;

    /// <inheritdoc />
    public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IMailTransportSession>(this);
    }

    /// <inheritdoc />
    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        var path = Path.Combine(_directory, name);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16384, useAsync: true))
        {
            await using (var writer = new StreamWriter(file, leaveOpen: true) { NewLine = "\r\n" })
            {
                await writer.WriteLineAsync($"X-Sender: <{envelope.Sender.Address}>").ConfigureAwait(false);
                foreach (var recipient in envelope.Recipients)
                {
                    await writer.WriteLineAsync($"X-Receiver: <{recipient.Address}>").ConfigureAwait(false);
                }
            }

            await message.WriteToAsync(WireFormat.Options, file, cancellationToken).ConfigureAwait(false);
        }

        // Readers never see a half-written file.
        File.Move(temporary, path);
        return new TransportReceipt($"written to {path}", null);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }
}
