namespace MailMvc.Mail;

/// <summary>A <see cref="MessageSendResult"/> with the caller's own state for the message (a CSV row, a user id),
/// so no side table is needed to match a result to what it came from.</summary>
/// <typeparam name="TState">The caller's state type.</typeparam>
/// <param name="Message">The message.</param>
/// <param name="State">What the caller gave with the message.</param>
/// <param name="Receipt">What became of it; null on error.</param>
/// <param name="Error">Why it was not taken, or null.</param>
public sealed record MessageSendResult<TState>(Message Message, TState State, MailReceipt? Receipt, Exception? Error)
    : MessageSendResult(Message, Receipt, Error);
