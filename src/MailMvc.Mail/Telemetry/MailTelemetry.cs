using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MailMvc.Mail.Telemetry;

/// <summary>
/// The names MailMvc's traces and metrics are published under, to hand to OpenTelemetry (<c>AddSource</c>,
/// <c>AddMeter</c>) or <c>dotnet-counters</c>. MailMvc traces one span per message a transport sends
/// (<c>mail send</c>: server, outcome, recipient count, Message-ID), one per batch the outbox stores (<c>mail queue</c>)
/// and one per outbox delivery attempt (<c>outbox deliver</c>), which continues the trace of the request that queued
/// the mail. Addresses appear only with <see cref="MailTelemetryOptions.IncludeAddresses"/>; content never.
/// </summary>
public static class MailTelemetry
{
    /// <summary>The activity source and meter name of MailMvc (the outbox's metrics are published on it too).</summary>
    public const string SourceName = "MailMvc.Mail";

    /// <summary>The Message-ID of the mail, without angle brackets.</summary>
    public const string MessageIdTag = "mailmvc.message_id";

    /// <summary>How many envelope recipients the mail has.</summary>
    public const string RecipientCountTag = "mailmvc.recipient_count";

    /// <summary>The server that took the mail (<c>host:port</c> for SMTP).</summary>
    public const string ServerTag = "mailmvc.server";

    /// <summary>What became of it: <c>delivered</c>, <c>queued</c> or <c>failed</c> (a send); <c>sent</c>, <c>retry</c>
    /// or <c>failed</c> (an outbox attempt).</summary>
    public const string OutcomeTag = "mailmvc.outcome";

    /// <summary>The envelope sender, only with <see cref="MailTelemetryOptions.IncludeAddresses"/>.</summary>
    public const string SenderTag = "mailmvc.sender";

    /// <summary>The envelope recipients, comma separated, only with <see cref="MailTelemetryOptions.IncludeAddresses"/>.</summary>
    public const string RecipientsTag = "mailmvc.recipients";

    /// <summary>The activity source of MailKit's own SMTP client spans (connect, authenticate, send).</summary>
    public static string MailKitSourceName => MailKit.Telemetry.SmtpClient.ActivitySourceName;

    /// <summary>The meter of MailKit's own SMTP client metrics.</summary>
    public static string MailKitMeterName => MailKit.Telemetry.SmtpClient.MeterName;

    /// <summary>MailMvc's spans; a span is made only while someone listens (OpenTelemetry, a test's listener).</summary>
    internal static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Switches on MailKit's own SMTP client telemetry (its spans under <see cref="MailKitSourceName"/>, its
    /// metrics under <see cref="MailKitMeterName"/>); call once at start-up, before the first mail.</summary>
    /// <param name="meterFactory">The host's meter factory, or null for MailKit's own meter.</param>
    public static void EnableMailKitInstrumentation(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            MailKit.Telemetry.SmtpClient.Configure();
        }
        else
        {
            MailKit.Telemetry.SmtpClient.Configure(meterFactory);
        }
    }
}
