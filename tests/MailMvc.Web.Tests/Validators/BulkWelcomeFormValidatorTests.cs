using System.Text;
using FluentValidation.TestHelper;
using MailMvc.Web.Welcome;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Validators;

public sealed class BulkWelcomeFormValidatorTests
{
    private readonly BulkWelcomeFormValidator _validator = new(Options.Create(new BulkWelcomeOptions { MaxUploadBytes = 1024 }));

    private static FormFile Upload(string fileName, string contentType, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        return new FormFile(new MemoryStream(bytes), 0, bytes.Length, "Bulk.List", fileName)
        {
            Headers = new HeaderDictionary(),
            ContentType = contentType,
        };
    }

    [Fact]
    public void Validate_CsvFile_HasNoErrors()
    {
        _validator.TestValidate(new BulkWelcomeForm { List = Upload("people.CSV", "application/octet-stream", "name,email\nTom,tom@example.com\n") })
            .ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void Validate_NoFile_AsksForOne()
    {
        _validator.TestValidate(new BulkWelcomeForm())
            .ShouldHaveValidationErrorFor(f => f.List)
            .WithErrorMessage("Choose a CSV file.");
    }

    [Fact]
    public void Validate_NotCsv_AsksForCsv()
    {
        _validator.TestValidate(new BulkWelcomeForm { List = Upload("people.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK") })
            .ShouldHaveValidationErrorFor(f => f.List)
            .WithErrorMessage("Choose a .csv file.");
    }

    [Fact]
    public void Validate_EmptyFile_SaysEmpty()
    {
        _validator.TestValidate(new BulkWelcomeForm { List = Upload("people.csv", "text/csv", "") })
            .ShouldHaveValidationErrorFor(f => f.List)
            .WithErrorMessage("The file is empty.");
    }

    [Fact]
    public void Validate_FileOverLimit_SaysTheLimit()
    {
        _validator.TestValidate(new BulkWelcomeForm { List = Upload("people.csv", "text/csv", new string('x', 1025)) })
            .ShouldHaveValidationErrorFor(f => f.List)
            .WithErrorMessage("The file is larger than 1 KB.");
    }
}
