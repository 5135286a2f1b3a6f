using System.Diagnostics;
using MailMvc.Mail.Telemetry;

namespace MailMvc.Mail.Outbox;

/// <summary>The outbox's spans, under MailMvc's source name (<see cref="MailTelemetry.SourceName"/>): <c>mail queue</c>
/// while a request stores mail, <c>outbox deliver</c> per delivery attempt, continuing the trace that queued the mail.</summary>
internal static class OutboxTelemetry
{
    /// <summary>The outbox row's id.</summary>
    public const string OutboxIdTag = "mailmvc.outbox.id";

    /// <summary>Which attempt this is, 1 for the first.</summary>
    public const string AttemptTag = "mailmvc.outbox.attempt";

    /// <summary>How many mails one <c>mail queue</c> span stored.</summary>
    public const string MessageCountTag = "mailmvc.message_count";

    public static ActivitySource Source { get; } = new(MailTelemetry.SourceName);

    /// <summary>The W3C <c>traceparent</c> of the current span, to store with a queued mail; null without one.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts the span of one delivery attempt, as a child of the span that queued the mail when it was traced.</summary>
    public static Activity? StartDelivery(OutboxItem item)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(item.TraceParent, null, isRemote: true, out var parent);
        var activity = Source.StartActivity("outbox deliver", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MailTelemetry.MessageIdTag, item.MessageId);
            activity.SetTag(OutboxIdTag, item.Id);
            activity.SetTag(AttemptTag, item.Attempts);
            activity.SetTag(MailTelemetry.RecipientCountTag, item.Recipients.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        return activity;
    }
}
