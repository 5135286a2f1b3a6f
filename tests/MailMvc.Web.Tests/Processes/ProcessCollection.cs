namespace MailMvc.Web.Tests.Processes;

/// <summary>Tests that run the app as a separate process and time it against a real SMTP server. xUnit runs this
/// collection on its own, after the parallel ones, so the rest of the suite does not take its cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Separate app process";
}
