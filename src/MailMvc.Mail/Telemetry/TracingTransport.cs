using System.Diagnostics;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Telemetry;

/// <summary>
/// Around the transport that delivers: one <c>mail send</c> span per message (<see cref="MailTelemetry"/>), a child of
/// whatever is current (the web request, an outbox delivery attempt). Costs one check per message while nobody
/// listens. A batch session stays a batch session, and a pipelining one a pipelining one.
/// </summary>
internal sealed class TracingTransport : IMailTransportWrapper, IAsyncDisposable, IDisposable
{
    private readonly IMailTransport _inner;
    private readonly bool _includeAddresses;

    public TracingTransport(IMailTransport inner, MailTelemetryOptions options)
    {
        _inner = inner;
        _includeAddresses = options.IncludeAddresses;
    }

    public IMailTransport Inner => _inner;

    public string Description => _inner.Description;

    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        var session = await _inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        return session switch
        {
            IMailBatchSession batch => new BatchSession(this, batch),
            IPipelinedSession pipelined => new PipelinedSession(this, pipelined),
            _ => new Session(this, session),
        };
    }

    public ValueTask DisposeAsync() => WrappedTransport.DisposeAsync(_inner);

    public void Dispose() => WrappedTransport.Dispose(_inner);

    private Task<TransportReceipt> SendAsync(IMailTransportSession inner, MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
        MailTelemetry.Source.HasListeners() ? TracedAsync(inner, message, envelope, cancellationToken) : inner.SendAsync(message, envelope, cancellationToken);

    private async Task<TransportReceipt> TracedAsync(IMailTransportSession inner, MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        using var activity = Start(message, envelope);
        try
        {
            var receipt = await inner.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
            Succeeded(activity, receipt);
            return receipt;
        }
        catch (Exception e)
        {
            Failed(activity, e);
            throw;
        }
    }

    private async Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IMailBatchSession inner, IReadOnlyList<OutgoingMessage> messages,
        CancellationToken cancellationToken)
    {
        if (!MailTelemetry.Source.HasListeners())
        {
            return await inner.SendBatchAsync(messages, cancellationToken).ConfigureAwait(false);
        }

        var activities = StartEach(messages);
        try
        {
            var receipts = await inner.SendBatchAsync(messages, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < activities.Count; i++)
            {
                Succeeded(activities[i], receipts[i]);
            }

            return receipts;
        }
        catch (Exception e)
        {
            activities.ForEach(a => Failed(a, e));
            throw;
        }
        finally
        {
            activities.ForEach(a => a?.Dispose());
        }
    }

    private int SendPipelined(IPipelinedSession inner, IReadOnlyList<OutgoingMessage> messages, MessageOutcome outcome,
        CancellationToken cancellationToken)
    {
        if (!MailTelemetry.Source.HasListeners())
        {
            return inner.SendPipelined(messages, outcome, cancellationToken);
        }

        var activities = StartEach(messages);
        try
        {
            return inner.SendPipelined(messages, (index, receipt, error) =>
            {
                if (error is not null)
                {
                    Failed(activities[index], error);
                }
                else
                {
                    Succeeded(activities[index], receipt!);
                }

                activities[index]?.Dispose();
                activities[index] = null;
                outcome(index, receipt, error);
            }, cancellationToken);
        }
        finally
        {
            // The messages a lost connection never sent (the new connection that sends them starts new spans).
            foreach (var activity in activities)
            {
                activity?.SetTag(MailTelemetry.OutcomeTag, "not sent");
                activity?.Dispose();
            }
        }
    }

    /// <summary>One span per message, all children of the current activity (not of one another), which stays current.</summary>
    private List<Activity?> StartEach(IReadOnlyList<OutgoingMessage> messages)
    {
        var current = Activity.Current;
        var activities = new List<Activity?>(messages.Count);
        foreach (var (message, envelope) in messages)
        {
            activities.Add(Start(message, envelope));
            Activity.Current = current;
        }

        return activities;
    }

    private Activity? Start(MimeMessage message, Envelope envelope)
    {
        var activity = MailTelemetry.Source.StartActivity("mail send", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MailTelemetry.MessageIdTag, message.MessageId);
            activity.SetTag(MailTelemetry.RecipientCountTag, envelope.Recipients.Count);
            if (_includeAddresses)
            {
                activity.SetTag(MailTelemetry.SenderTag, envelope.Sender.Address);
                activity.SetTag(MailTelemetry.RecipientsTag, string.Join(", ", envelope.Recipients.Select(r => r.Address)));
            }
        }

        return activity;
    }

    private static void Succeeded(Activity? activity, TransportReceipt receipt)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MailTelemetry.OutcomeTag, receipt.QueueId is null ? "delivered" : "queued");
        if (receipt.Server is { } server)
        {
            activity.SetTag(MailTelemetry.ServerTag, server);
        }
    }

    private void Failed(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MailTelemetry.OutcomeTag, "failed");
        activity.SetTag("error.type", error.GetType().FullName);
        // A server's reply and a message may name an address ("550 <ada@example.com>: no such user").
        activity.SetStatus(ActivityStatusCode.Error, _includeAddresses ? error.Message : error.GetType().Name);
    }

    private sealed class Session(TracingTransport transport, IMailTransportSession inner) : IMailTransportSession
    {
        public bool IsUsable => inner.IsUsable;

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
            transport.SendAsync(inner, message, envelope, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class PipelinedSession(TracingTransport transport, IPipelinedSession inner) : IPipelinedSession
    {
        public bool IsUsable => inner.IsUsable;

        public int PipelineDepth => inner.PipelineDepth;

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
            transport.SendAsync(inner, message, envelope, cancellationToken);

        public int SendPipelined(IReadOnlyList<OutgoingMessage> messages, MessageOutcome outcome, CancellationToken cancellationToken) =>
            transport.SendPipelined(inner, messages, outcome, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class BatchSession(TracingTransport transport, IMailBatchSession inner) : IMailBatchSession
    {
        public bool IsUsable => inner.IsUsable;

        public int MaxBatchSize => inner.MaxBatchSize;

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
            transport.SendAsync(inner, message, envelope, cancellationToken);

        public Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            transport.SendBatchAsync(inner, messages, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
