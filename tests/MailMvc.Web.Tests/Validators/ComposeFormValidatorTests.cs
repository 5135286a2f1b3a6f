using System.Text;
using FluentValidation.TestHelper;
using MailMvc.Web.Compose;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Validators;

public sealed class ComposeFormValidatorTests
{
    private readonly ComposeFormValidator _validator = new(Options.Create(new ComposeOptions { MaxAttachmentBytes = 1000, MaxAttachments = 2 }));

    private static ComposeForm ValidForm() => new()
    {
        To = "ann@example.com",
        Subject = "Hello",
        Message = "Hi Ann",
    };

    private static FormFile File(string name, int size)
    {
        var content = new MemoryStream(Encoding.ASCII.GetBytes(new string('x', size)));
        return new FormFile(content, 0, size, "Attachments", name)
        {
            Headers = new HeaderDictionary(),
            ContentType = "text/plain",
        };
    }

    [Fact]
    public void Validate_SendAtAnHourAheadInTokyo_HasNoErrors()
    {
        var form = ValidForm();
        form.TimeZone = "Asia/Tokyo";
        form.SendAt = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime;

        _validator.TestValidate(form).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void Validate_SendAtInThePast_SaysChooseATimeInTheFuture()
    {
        var form = ValidForm();
        form.TimeZone = "Europe/Berlin";
        form.SendAt = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(-10), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DateTime;

        _validator.TestValidate(form).ShouldHaveValidationErrorFor(f => f.SendAt)
            .WithErrorMessage($"Choose a time in the future (it is {Scheduling.SendAtTime.Describe(DateTimeOffset.UtcNow, "Europe/Berlin")} now), or leave Send at empty to send now.");
    }

    [Fact]
    public void Validate_SendAtWithAnUnknownTimeZone_SaysToChooseAgain()
    {
        var form = ValidForm();
        form.TimeZone = "Mars/Olympus_Mons";
        form.SendAt = DateTime.UtcNow.AddDays(1);

        _validator.TestValidate(form).ShouldHaveValidationErrorFor(f => f.SendAt)
            .WithErrorMessage("'Mars/Olympus_Mons' is not a time zone this server knows; reload the page and choose the time again.");
    }

    [Fact]
    public void Validate_ValidForm_HasNoErrors()
    {
        var form = ValidForm();
        form.Cc = "bob@example.com; carl@example.com";
        form.Attachments = [File("a.txt", 400), File("b.txt", 600)];

        _validator.TestValidate(form).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void Validate_InvalidAddressAmongValidInTo_NamesTheInvalidOne()
    {
        var form = ValidForm();
        form.To = "ann@example.com, not-an-address, bob@example.com";

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.To)
            .WithErrorMessage("'not-an-address' is not a valid email address.");
    }

    [Fact]
    public void Validate_TwoInvalidAddressesInCc_NamesEachOne()
    {
        var form = ValidForm();
        form.Cc = "first@@example.com; second";

        var result = _validator.TestValidate(form);

        result.ShouldHaveValidationErrorFor(f => f.Cc).WithErrorMessage("'first@@example.com' is not a valid email address.");
        result.ShouldHaveValidationErrorFor(f => f.Cc).WithErrorMessage("'second' is not a valid email address.");
        result.ShouldNotHaveValidationErrorFor(f => f.To);
    }

    [Fact]
    public void Validate_InvalidAddressInBcc_NamesIt()
    {
        var form = ValidForm();
        form.Bcc = "carl at example.com";

        var result = _validator.TestValidate(form);

        result.ShouldHaveValidationErrorFor(f => f.Bcc).WithErrorMessage("'carl at example.com' is not a valid email address.");
    }

    [Fact]
    public void Validate_NoRecipientAnywhere_AsksForOne()
    {
        var form = ValidForm();
        form.To = " , ";

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.To)
            .WithErrorMessage("Add at least one recipient in To, Cc or Bcc.");
    }

    [Fact]
    public void Validate_OnlyBccRecipient_IsEnough()
    {
        var form = ValidForm();
        form.To = null;
        form.Bcc = "ann@example.com";

        _validator.TestValidate(form).ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("Hello\r\nBcc: victim@example.com")]
    [InlineData("Hello\nthere")]
    public void Validate_SubjectWithLineBreak_SaysOneLine(string subject)
    {
        var form = ValidForm();
        form.Subject = subject;

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.Subject)
            .WithErrorMessage("The subject must be one line.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_EmptyMessage_AsksForOne(string? message)
    {
        var form = ValidForm();
        form.Message = message;

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.Message)
            .WithErrorMessage("Write a message.");
    }

    [Fact]
    public void Validate_AttachmentsOverSizeLimit_SaysTotalAndLimit()
    {
        var form = ValidForm();
        form.Attachments = [File("a.txt", 600), File("b.txt", 600)];

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.Attachments)
            .WithErrorMessage("The attachments come to 1.2 KB; the limit is 1000 bytes in all.");
    }

    [Fact]
    public void Validate_AttachmentsExactlyAtSizeLimit_HasNoError()
    {
        var form = ValidForm();
        form.Attachments = [File("a.txt", 500), File("b.txt", 500)];

        _validator.TestValidate(form).ShouldNotHaveValidationErrorFor(f => f.Attachments);
    }

    [Fact]
    public void Validate_MoreAttachmentsThanAllowed_SaysTheCount()
    {
        var form = ValidForm();
        form.Attachments = [File("a.txt", 1), File("b.txt", 1), File("c.txt", 1)];

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.Attachments)
            .WithErrorMessage("Attach at most 2 files.");
    }

    [Fact]
    public void Validate_MoreRecipientsThanTheLimit_SaysTheLimitBesideTo()
    {
        var form = ValidForm();
        form.To = string.Join(", ", Enumerable.Range(1, 30).Select(i => $"to{i}@example.com"));
        form.Bcc = string.Join("; ", Enumerable.Range(1, 21).Select(i => $"bcc{i}@example.com"));

        _validator.TestValidate(form)
            .ShouldHaveValidationErrorFor(f => f.To)
            .WithErrorMessage("Send to at most 50 addresses in To, Cc and Bcc together.");
    }
}
