using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Outbox;

/// <summary>
/// Lets everyone in during Development, and elsewhere only users in <see cref="OutboxPageOptions.AdminRole"/>;
/// anyone else gets 404, so the page does not reveal that it exists. It runs before the antiforgery check,
/// so a stranger's POST is a 404 too, not a 400.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class OutboxAccessAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    /// <summary>Before the antiforgery filter (order 1000) and every other authorization filter.</summary>
    public int Order => -2000;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsAllowed(context.HttpContext))
        {
            context.Result = new NotFoundResult();
        }
    }

    /// <summary>True when the request may see the outbox page.</summary>
    public static bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return true;
        }

        var role = services.GetRequiredService<IOptions<OutboxPageOptions>>().Value.AdminRole;
        return !string.IsNullOrWhiteSpace(role) && context.User.IsInRole(role);
    }
}
