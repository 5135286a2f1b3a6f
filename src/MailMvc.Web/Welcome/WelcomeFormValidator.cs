using FluentValidation;
using MailMvc.Mail;
using MailMvc.Web.Infrastructure;
using MailMvc.Web.Scheduling;

namespace MailMvc.Web.Welcome;

/// <summary>Checks a name and address, from the form or from one CSV row.</summary>
public sealed class WelcomeFormValidator : AbstractValidator<WelcomeForm>
{
    public WelcomeFormValidator(TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        RuleFor(f => f.Name)
            .NotEmpty().WithMessage("Enter a name.")
            .MaximumLength(100).WithMessage("Keep the name under 100 characters.")
            .Must(n => n is null || n.AsSpan().IndexOfAny('\r', '\n') < 0).WithMessage("The name must be one line.");
        RuleFor(f => f.Email)
            .NotEmpty().WithMessage("Enter an email address.")
            .Must(EmailAddress.IsValid).When(f => !string.IsNullOrEmpty(f.Email), ApplyConditionTo.CurrentValidator)
            .WithMessage(f => $"'{f.Email}' is not a valid email address.");
        RuleFor(f => f.Locale)
            .Must(locale => MailLocale.TryParse(locale, out _))
            .WithMessage(f => $"'{f.Locale}' is not a language code; use one such as de, fr or de-CH, or leave it empty for English.");

        RuleFor(f => f.SendAt).Custom((sendAt, context) =>
        {
            if (SendAtTime.Problem(sendAt, context.InstanceToValidate.TimeZone, clock.GetUtcNow()) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }
}
