using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MailMvc.Web.Access;

/// <summary>
/// Lets everyone in during Development; elsewhere asks <see cref="IsAllowedOutsideDevelopment"/>, and answers
/// 404 to anyone it refuses, so the page does not reveal that it exists. It runs before the antiforgery check,
/// so a refused POST is a 404 too, not a 400. The app's one gate for pages that are not for everyone:
/// <see cref="DevelopmentOnlyAttribute"/>, <see cref="SendingAccessAttribute"/> and
/// <c>OutboxAccessAttribute</c> are its rules.
/// </summary>
public abstract class DevelopmentOrAllowedAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
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

    /// <summary>True when the request may use the page.</summary>
    public bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment() || IsAllowedOutsideDevelopment(context);
    }

    /// <summary>The rule outside Development.</summary>
    protected abstract bool IsAllowedOutsideDevelopment(HttpContext context);
}
