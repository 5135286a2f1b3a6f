namespace MailMvc.Web.Unsubscribe;

/// <summary>The unsubscribe page's three pages.</summary>
public enum UnsubscribePageState
{
    /// <summary>The link was opened (a GET): a button to confirm; nothing changed yet.</summary>
    Confirm,

    /// <summary>The address is on the suppression list.</summary>
    Done,

    /// <summary>The link is not valid (forged, altered, cut short), or the POST lacked <c>List-Unsubscribe=One-Click</c>; nothing changed.</summary>
    Invalid,
}
