using FluentValidation;
using MailMvc.Mail;

namespace MailMvc.Web.Suppressions;

/// <summary>Checks the address and note an administrator adds to the suppression list.</summary>
public sealed class SuppressionFormValidator : AbstractValidator<SuppressionForm>
{
    public SuppressionFormValidator()
    {
        RuleFor(f => f.Address)
            .NotEmpty().WithMessage("Enter the email address to suppress.")
            .Must(EmailAddress.IsValid).When(f => !string.IsNullOrEmpty(f.Address), ApplyConditionTo.CurrentValidator)
            .WithMessage(f => $"'{f.Address}' is not a valid email address.");
        RuleFor(f => f.Note)
            .MaximumLength(500).WithMessage("Keep the note under 500 characters.")
            .Must(n => n is null || n.AsSpan().IndexOfAny('\r', '\n') < 0).WithMessage("The note must be one line.");
    }
}
