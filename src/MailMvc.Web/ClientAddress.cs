namespace MailMvc.Web;

/// <summary>Who a request counts against for the sending limits: the client's address, as the connection gives it
/// (or as a trusted proxy forwarded it, see <c>ForwardedHeaders:KnownProxies</c>).</summary>
public static class ClientAddress
{
    /// <summary>The partition key of <paramref name="context"/>'s client.</summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
