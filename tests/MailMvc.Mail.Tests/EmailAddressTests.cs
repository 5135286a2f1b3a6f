namespace MailMvc.Mail.Tests;

public sealed class EmailAddressTests
{
    [Fact]
    public void Parse_BareAddress_HasNoDisplayName()
    {
        var mailbox = EmailAddress.Parse("to@example.com");

        Assert.Equal(("", "to@example.com"), (mailbox.Name ?? "", mailbox.Address));
    }

    [Fact]
    public void Parse_NameAndAngleAddress_SplitsNameFromAddress()
    {
        var mailbox = EmailAddress.Parse("Jane Doe <jane@example.com>");

        Assert.Equal(("Jane Doe", "jane@example.com"), (mailbox.Name, mailbox.Address));
    }

    [Fact]
    public void Parse_QuotedNameWithComma_KeepsTheCommaInTheName()
    {
        var mailbox = EmailAddress.Parse("\"Doe, Jane\" <jane@example.com>");

        Assert.Equal(("Doe, Jane", "jane@example.com"), (mailbox.Name, mailbox.Address));
    }

    [Fact]
    public void Parse_StrayClosingBracket_IsTolerated()
    {
        var mailbox = EmailAddress.Parse("Jane <jane@example.com>>");

        Assert.Equal("jane@example.com", mailbox.Address);
    }

    [Fact]
    public void Parse_CrLfInsideAddress_IsRemoved()
    {
        var mailbox = EmailAddress.Parse("ja\r\nne@example.com\r\n");

        Assert.Equal("jane@example.com", mailbox.Address);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("@example.com")]
    [InlineData("jane@")]
    [InlineData("Jane <>")]
    [InlineData("")]
    public void Parse_NotAnAddress_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => EmailAddress.Parse(text));
    }

    [Theory]
    [InlineData("jane@example.com", true)]
    [InlineData("Jane <jane@example.com>", true)]
    [InlineData("jane.example.com", false)]
    [InlineData("jane@example.com\r\nBcc: evil@example.com", false)]
    [InlineData("   ", false)]
    [InlineData(null, false)]
    public void IsValid_Text_TellsWhetherItIsAnAddress(string? text, bool expected)
    {
        Assert.Equal(expected, EmailAddress.IsValid(text));
    }

    [Fact]
    public void ToMailboxAddress_Tuple_UsesNameAndAddressAsGiven()
    {
        EmailAddress address = ("Doe, Jane", "jane@example.com");

        var mailbox = address.ToMailboxAddress();

        Assert.Equal(("Doe, Jane", "jane@example.com"), (mailbox.Name, mailbox.Address));
    }

    [Fact]
    public void HasNewline_LineFeedInDisplayName_IsTrue()
    {
        var address = new EmailAddress("Jane\nBcc: evil@example.com", "jane@example.com");

        Assert.True(address.HasNewline);
    }

    [Fact]
    public void Equals_StringAndTupleWritingTheSameAddress_AreEqual()
    {
        EmailAddress fromString = "Jane <jane@example.com>";
        EmailAddress fromTuple = ("Jane", "jane@example.com");

        Assert.Equal(fromString, fromTuple);
    }
}
