using MailMvc.Web.Access;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Outbox;

/// <summary>The outbox page: everyone in Development; elsewhere only users in <see cref="OutboxPageOptions.AdminRole"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OutboxAccessAttribute : DevelopmentOrAllowedAttribute
{
    protected override bool IsAllowedOutsideDevelopment(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = context.RequestServices.GetRequiredService<IOptions<OutboxPageOptions>>().Value.AdminRole;
        return !string.IsNullOrWhiteSpace(role) && context.User.IsInRole(role);
    }
}
