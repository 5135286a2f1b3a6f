using FluentValidation.TestHelper;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Validators;

public sealed class WelcomeFormValidatorTests
{
    private readonly WelcomeFormValidator _validator = new();

    [Fact]
    public void Validate_NameAndAddress_HasNoErrors()
    {
        _validator.TestValidate(new WelcomeForm { Name = "Tom & Jerry <b>", Email = "tom@example.com" })
            .ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("tom")]
    [InlineData("tom@")]
    [InlineData("tom@@example.com")]
    public void Validate_BadEmail_NamesIt(string email)
    {
        _validator.TestValidate(new WelcomeForm { Name = "Tom", Email = email })
            .ShouldHaveValidationErrorFor(f => f.Email)
            .WithErrorMessage($"'{email}' is not a valid email address.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("de")]
    [InlineData("de-CH")]
    [InlineData("FR")]
    public void Validate_NoLocaleOrALanguageCode_HasNoErrors(string? locale)
    {
        _validator.TestValidate(new WelcomeForm { Name = "Tom", Email = "tom@example.com", Locale = locale })
            .ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("german")]
    [InlineData("xx-YY")]
    [InlineData("de;drop")]
    public void Validate_LocaleThatIsNoLanguageCode_SaysWhatToType(string locale)
    {
        _validator.TestValidate(new WelcomeForm { Name = "Tom", Email = "tom@example.com", Locale = locale })
            .ShouldHaveValidationErrorFor(f => f.Locale)
            .WithErrorMessage($"'{locale}' is not a language code; use one such as de, fr or de-CH, or leave it empty for English.");
    }

    [Fact]
    public void Validate_NoEmail_AsksForOne()
    {
        _validator.TestValidate(new WelcomeForm { Name = "Tom", Email = "" })
            .ShouldHaveValidationErrorFor(f => f.Email)
            .WithErrorMessage("Enter an email address.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_EmptyName_AsksForOne(string? name)
    {
        var result = _validator.TestValidate(new WelcomeForm { Name = name, Email = "tom@example.com" });

        result.ShouldHaveValidationErrorFor(f => f.Name).WithErrorMessage("Enter a name.");
        result.ShouldNotHaveValidationErrorFor(f => f.Email);
    }

    [Fact]
    public void Validate_NameWithLineBreak_SaysOneLine()
    {
        _validator.TestValidate(new WelcomeForm { Name = "Tom\r\nBcc: x@example.com", Email = "tom@example.com" })
            .ShouldHaveValidationErrorFor(f => f.Name)
            .WithErrorMessage("The name must be one line.");
    }
}
