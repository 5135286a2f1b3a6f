using FluentValidation;
using MailMvc.Web.Scheduling;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Checks the uploaded list before any row is read.</summary>
public sealed class BulkWelcomeFormValidator : AbstractValidator<BulkWelcomeForm>
{
    public BulkWelcomeFormValidator(IOptions<BulkWelcomeOptions> options, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var limit = options.Value.MaxUploadBytes;
        RuleFor(f => f.List)
            .NotNull().WithMessage("Choose a CSV file.")
            .Must(f => f!.Length > 0).When(f => f.List is not null, ApplyConditionTo.CurrentValidator).WithMessage("The file is empty.")
            .Must(f => f!.Length <= limit).When(f => f.List is not null, ApplyConditionTo.CurrentValidator).WithMessage($"The file is larger than {Size.Format(limit)}.")
            .Must(f => f!.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.ContentType.Contains("csv", StringComparison.OrdinalIgnoreCase))
            .When(f => f.List is not null, ApplyConditionTo.CurrentValidator).WithMessage("Choose a .csv file.");
        RuleFor(f => f.SendAt).Custom((sendAt, context) =>
        {
            if (SendAtTime.Problem(sendAt, context.InstanceToValidate.TimeZone, clock.GetUtcNow()) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }
}
