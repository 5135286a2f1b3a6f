using System.Globalization;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>
/// The app in Development with the outbox on (a SQLite file in a temporary folder), delivering in the background
/// to a real SMTP test server that refuses <see cref="RefusedRecipient"/>. Shared by the tests of a class.
/// </summary>
public sealed class OutboxAppFixture : IAsyncLifetime
{
    /// <summary>The address the SMTP server answers with 550, so a mail to it fails for good.</summary>
    public const string RefusedRecipient = "refused@example.com";

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-outbox-").FullName;
    private SmtpTestServer? _smtp;
    private MailMvcFactory? _factory;

    public MailMvcFactory Factory => _factory ?? throw new InvalidOperationException("The fixture is not started.");

    internal SmtpTestServer Smtp => _smtp ?? throw new InvalidOperationException("The fixture is not started.");

    public IMailOutbox Outbox => Factory.Services.GetRequiredService<IMailOutbox>();

    public async Task InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = RefusedRecipient });
        _factory = new MailMvcFactory("Development", Settings(_smtp.Port, _directory));
    }

    /// <summary>Settings for the app with the outbox on, in <paramref name="directory"/>, delivering to the SMTP server
    /// on <paramref name="port"/>; <paramref name="more"/> adds or replaces some.</summary>
    public static Dictionary<string, string?> Settings(int port, string directory, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mail:SuppressSend"] = "false",
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Debug"] = "false",
            ["Mail:Timeout"] = "00:00:05",
            ["Mail:Outbox:Enabled"] = "true",
            ["Mail:Outbox:ConnectionString"] = $"Data Source={Path.Combine(directory, "outbox.db")}",
            ["Mail:Outbox:PollInterval"] = "00:00:00.200",
            ["Health:SmtpTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Waits (15 s at most) until the outbox holds the mail with <paramref name="messageId"/> and it
    /// satisfies <paramref name="condition"/>.</summary>
    public Task<OutboxEntry> WaitForMailAsync(string messageId, Func<OutboxEntry, bool> condition, string what) =>
        WaitForMailAsync(Outbox, messageId, condition, what);

    /// <inheritdoc cref="WaitForMailAsync(string, Func{OutboxEntry, bool}, string)"/>
    public static async Task<OutboxEntry> WaitForMailAsync(IMailOutbox outbox, string messageId, Func<OutboxEntry, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (true)
        {
            var mail = (await outbox.ListAsync(null, 1000)).FirstOrDefault(m => m.MessageId == messageId);
            if (mail is not null && condition(mail))
            {
                return mail;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"Within {s_wait.TotalSeconds:0} s the mail <{messageId}> did not become {what}; the outbox has {(mail is null ? "no such mail" : mail.ToString())}.");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
