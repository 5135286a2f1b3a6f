namespace MailMvc.Web.Unsubscribe;

/// <summary>What the unsubscribe page shows.</summary>
/// <param name="State">Which of its three pages.</param>
/// <param name="Request">Whose address from which list; null when the link is not valid.</param>
/// <param name="Token">The link's token, for the confirm button's form.</param>
public sealed record UnsubscribePageModel(UnsubscribePageState State, UnsubscribeRequest? Request, string? Token);
