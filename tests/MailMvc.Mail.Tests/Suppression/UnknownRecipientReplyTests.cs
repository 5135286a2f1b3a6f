using MailMvc.Mail.Outbox;

namespace MailMvc.Mail.Tests.Suppression;

/// <summary>Which refusals say the address does not exist (and may suppress it), and which say nothing about it.</summary>
public sealed class UnknownRecipientReplyTests
{
    [Theory]
    [InlineData("550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown in virtual mailbox table")]
    [InlineData("550 5.1.1 The email account that you tried to reach does not exist.")]
    [InlineData("551 5.1.6 User has moved; no forwarding address")]
    [InlineData("553 5.1.2 Bad destination system address")]
    [InlineData("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup")]
    [InlineData("550 No such user here")]
    [InlineData("550 <ada@example.com>... User unknown")]
    public void Matches_NoSuchUserRefusal_True(string reply) => Assert.True(UnknownRecipientReply.Matches(reply));

    [Theory]
    [InlineData("550 5.7.1 Message rejected as spam")]
    [InlineData("552 5.2.2 Mailbox full")]
    [InlineData("550 5.7.26 Unauthenticated email is not accepted from this domain")]
    [InlineData("450 4.1.1 <ada@example.com>: Recipient address rejected: unverified address; the user does not exist yet")]
    [InlineData("554 5.1.1 no such user (wrong code for a recipient refusal)")]
    [InlineData("550 Requested action not taken: mailbox unavailable")]
    [InlineData(null)]
    public void Matches_OtherRefusal_False(string? reply) => Assert.False(UnknownRecipientReply.Matches(reply));
}
