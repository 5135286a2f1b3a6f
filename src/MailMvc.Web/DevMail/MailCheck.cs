namespace MailMvc.Web.DevMail;

/// <summary>One check of a mail, passed or not, with what it found.</summary>
/// <param name="Name">What is checked, for example "Unsubscribe link in the body".</param>
/// <param name="Passed">True when the mail meets it.</param>
/// <param name="Detail">What was found, or what to change.</param>
public sealed record MailCheck(string Name, bool Passed, string Detail);
