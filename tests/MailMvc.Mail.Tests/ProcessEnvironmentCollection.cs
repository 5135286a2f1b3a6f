namespace MailMvc.Mail.Tests;

/// <summary>
/// Tests that set process environment variables (MAIL_*). xUnit runs this collection on its own, after the
/// parallel ones, so no other test sees the variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
