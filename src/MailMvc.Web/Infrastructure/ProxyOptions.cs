namespace MailMvc.Web.Infrastructure;

/// <summary>Which reverse proxies may tell the app the client's address and scheme (<c>X-Forwarded-For</c>,
/// <c>X-Forwarded-Proto</c>), section <c>ForwardedHeaders</c>. Empty (the default) trusts no one, so a client cannot
/// pick its own address, and with it its rate-limit budget.</summary>
public sealed class ProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ForwardedHeaders";

    /// <summary>The proxies' own addresses, such as <c>10.0.0.5</c>.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks the proxies are in, such as <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a row to believe (the entries read from the right of <c>X-Forwarded-For</c>).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>True when any proxy is trusted.</summary>
    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
