using System.Text.RegularExpressions;

namespace MailMvc.Mail.Outbox;

/// <summary>Tells a server's "no such user" refusal (a 550, 551 or 553 with enhanced status 5.1.1, 5.1.2, 5.1.6 or
/// 5.1.10, or without an enhanced status but saying so) from refusals that say nothing about the address (policy,
/// spam, a full mailbox), which must not suppress anyone.</summary>
internal static partial class UnknownRecipientReply
{
    public static bool Matches(string? reply)
    {
        if (reply is null)
        {
            return false;
        }

        var match = Status().Match(reply);
        if (!match.Success)
        {
            return false;
        }

        var enhanced = match.Groups["enhanced"];
        return enhanced.Success
            ? enhanced.Value is "5.1.1" or "5.1.2" or "5.1.6" or "5.1.10"
            : NoSuchUserText().IsMatch(reply);
    }

    [GeneratedRegex(@"^\s*55[013](?:[\s-]+(?<enhanced>\d\.\d{1,3}\.\d{1,3})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex Status();

    [GeneratedRegex(@"no such (user|mailbox|recipient)|user unknown|unknown (user|recipient|mailbox)|does not exist|mailbox not found",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoSuchUserText();
}
