namespace MailMvc.Mail.Outbox;

/// <summary>A claimed mail the server took: its outbox id, the server's reply and the server that took it (for SMTP
/// <c>host:port</c>), as a worker records it with <see cref="IOutboxStore.MarkSentAsync(IReadOnlyList{OutboxDelivery}, string, CancellationToken)"/>.</summary>
public sealed record OutboxDelivery(long Id, string? Reply, string? Server);
