namespace MailMvc.Web.Unsubscribe;

/// <summary>What a valid unsubscribe token says: whose address, from which list.</summary>
/// <param name="Address">The recipient's address, in lower case.</param>
/// <param name="List">The list the mail came from (<c>welcome</c> for the welcome CSV).</param>
public sealed record UnsubscribeRequest(string Address, string List);
