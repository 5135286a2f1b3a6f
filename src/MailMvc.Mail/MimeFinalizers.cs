using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>
/// Takes the messages this library makes off the finalization queue. MimeKit gives <see cref="MimeMessage"/>,
/// <see cref="MimeEntity"/> and <see cref="MimeContent"/> finalizers that call <c>Dispose(false)</c>, which releases
/// nothing in any of them; but an object with a finalizer outlives its first collection, with everything it references,
/// so each mail (six such objects for a text and HTML mail) was copied into the older generations before it could go.
/// Bulk sending made 60 of 63 collections generation 1 ones and spent 14% of its time paused in them.
/// </summary>
/// <remarks>Only the exact MimeKit types whose finalizers are known to do nothing (read in MimeKit 4.17-4.18; the
/// tests check that a finalized part leaves its content's stream open), and this library's own parts, are taken off:
/// an entity of another type (an app's own part type registered with MimeKit's parser and parsed back from the outbox,
/// say) keeps its finalizer.</remarks>
internal static class MimeFinalizers
{
    /// <summary>Takes <paramref name="message"/> and its parts and their content off the finalization queue.</summary>
    public static MimeMessage Suppress(MimeMessage message)
    {
        if (message.GetType() == typeof(MimeMessage))
        {
            GC.SuppressFinalize(message);
        }

        Suppress(message.Body);
        return message;
    }

    private static void Suppress(MimeEntity? entity)
    {
        switch (entity)
        {
            case Multipart multipart when IsKnown(multipart):
                GC.SuppressFinalize(multipart);
                foreach (var child in multipart)
                {
                    Suppress(child);
                }

                break;
            case MimePart part when IsKnown(part):
                GC.SuppressFinalize(part);
                if (part.Content is { } content && content.GetType() == typeof(MimeContent))
                {
                    GC.SuppressFinalize(content);
                }

                break;
            case StoredBody body:
                GC.SuppressFinalize(body);
                break;
        }
    }

    private static bool IsKnown(MimeEntity entity)
    {
        var type = entity.GetType();
        return type == typeof(Multipart) || type == typeof(MultipartAlternative) || type == typeof(MultipartRelated)
            || type == typeof(MimePart) || type == typeof(TextPart) || type == typeof(CheckedTextPart);
    }
}
