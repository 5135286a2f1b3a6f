using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Makes every request come from a user in <paramref name="role"/>, as an authentication scheme would.</summary>
internal sealed class SignedInUser(string role) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ann"), new Claim(ClaimTypes.Role, role)], "Test"));
            return nextMiddleware(context);
        });
        next(app);
    };
}
