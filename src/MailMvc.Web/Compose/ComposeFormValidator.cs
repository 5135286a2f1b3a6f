using FluentValidation;
using MailMvc.Mail;
using MailMvc.Web.Scheduling;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Compose;

/// <summary>Checks every field of the compose form before anything is sent.</summary>
public sealed class ComposeFormValidator : AbstractValidator<ComposeForm>
{
    public ComposeFormValidator(IOptions<ComposeOptions> options, TimeProvider? time = null)
    {
        var limits = options.Value;
        var clock = time ?? TimeProvider.System;

        RuleFor(f => f.To).Custom(EachAddressValid)
            .Must((form, _) => form.RecipientCount > 0)
            .WithMessage("Add at least one recipient in To, Cc or Bcc.")
            .Must((form, _) => form.RecipientCount <= limits.MaxRecipients)
            .WithMessage($"Send to at most {limits.MaxRecipients} addresses in To, Cc and Bcc together.");
        RuleFor(f => f.Cc).Custom(EachAddressValid);
        RuleFor(f => f.Bcc).Custom(EachAddressValid);

        RuleFor(f => f.Subject)
            .NotEmpty().WithMessage("Enter a subject.")
            .MaximumLength(200).WithMessage("Keep the subject under 200 characters.")
            .Must(s => s is null || s.AsSpan().IndexOfAny('\r', '\n') < 0).WithMessage("The subject must be one line.");

        RuleFor(f => f.Message)
            .NotEmpty().WithMessage("Write a message.")
            .MaximumLength(100_000).WithMessage("Keep the message under 100,000 characters.");

        RuleFor(f => f.Attachments)
            .Must(files => files.Count <= limits.MaxAttachments)
            .WithMessage($"Attach at most {limits.MaxAttachments} files.")
            .Must(files => files.Sum(f => f.Length) <= limits.MaxAttachmentBytes)
            .WithMessage(form => $"The attachments come to {Size.Format(form.Attachments.Sum(f => f.Length))}; the limit is {Size.Format(limits.MaxAttachmentBytes)} in all.");

        RuleFor(f => f.SendAt).Custom((sendAt, context) =>
        {
            if (SendAtTime.Problem(sendAt, context.InstanceToValidate.TimeZone, clock.GetUtcNow()) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }

    private static void EachAddressValid(string? value, ValidationContext<ComposeForm> context)
    {
        foreach (var address in AddressList.Split(value))
        {
            if (!EmailAddress.IsValid(address))
            {
                context.AddFailure($"'{address}' is not a valid email address.");
            }
        }
    }
}
