namespace MailMvc.Mail;

/// <summary>How a connection picks one of <see cref="MailOptions.Servers"/>.</summary>
public enum ServerStrategy
{
    /// <summary>The first server that can be reached, in the order listed.</summary>
    Failover,

    /// <summary>Each new connection starts at the next server in turn, still moving on when one cannot be reached.</summary>
    RoundRobin,
}
