namespace MailMvc.Samples.Sending;

/// <summary>A user of the samples' app, to whom mail is sent.</summary>
/// <param name="Id">The user's id, kept with each bulk send's result.</param>
/// <param name="Name">The user's name.</param>
/// <param name="Email">The user's address.</param>
public sealed record User(int Id, string Name, string Email);
