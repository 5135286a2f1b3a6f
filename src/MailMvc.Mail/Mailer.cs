using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail;

/// <summary>The <see cref="IMailer"/> on MailKit: SMTP, a pickup directory, or suppressed, as configured.</summary>
public sealed partial class Mailer : IMailer
{
    private readonly IMailTransport? _transport;
    private readonly ILogger<Mailer> _logger;

    /// <summary>Creates a mailer from options bound by <see cref="MailServiceCollectionExtensions.AddMail"/>.</summary>
    public Mailer(IOptions<MailOptions> options, ILoggerFactory? loggerFactory = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), loggerFactory)
    {
    }

    /// <summary>Creates a mailer from options set in code.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public Mailer(MailOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        Options = options;
        _logger = loggerFactory.CreateLogger<Mailer>();
        DeliveryMethod = options.SuppressSend == true ? MailDeliveryMethod.Suppressed : options.DeliveryMethod ?? MailDeliveryMethod.Smtp;
        _transport = DeliveryMethod switch
        {
            MailDeliveryMethod.Smtp => new SmtpMailTransport(options, loggerFactory),
            MailDeliveryMethod.PickupDirectory => new PickupDirectoryTransport(
                Path.GetFullPath(options.PickupDirectory ?? Path.Combine("App_Data", "mail-pickup"))),
            _ => null,
        };
    }

    /// <inheritdoc />
    public event EventHandler<MessageDispatchedEventArgs>? Dispatched;

    /// <inheritdoc />
    public MailOptions Options { get; }

    /// <inheritdoc />
    public MailDeliveryMethod DeliveryMethod { get; }

    /// <summary>Where mail goes, in words, for a start-up log line.</summary>
    public string TransportDescription => _transport?.Description ?? "nowhere (SuppressSend is on)";

    /// <inheritdoc />
    public async Task SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The connection opens on the first send, after the message is checked: bad input never costs a connection.
        await using var connection = new MailConnection(this, _transport, _logger);
        await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MailConnection(this, _transport, _logger);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public MessageRecorder RecordMessages() => new(this);

    internal void OnDispatched(MessageDispatchedEventArgs e) => Dispatched?.Invoke(this, e);
}
