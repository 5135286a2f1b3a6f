using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Samples.Web;

/// <summary>How an app gives its users the role that <c>Sending:Role</c> names: any authentication that puts the role
/// in the user's claims will do; this one uses cookies.</summary>
public static class SendingRoleSample
{
    /// <summary>Cookie authentication and a sign-in that grants the sending role.</summary>
    public static void Configure(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // <snippet:sending-role>
        // Program.cs, with "Sending": { "Role": "mailer" } in appsettings.json
        app.UseAuthentication();
        app.MapPost("/sign-in", async (HttpContext http) =>
        {
            // check the person's credentials first; then:
            var user = new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, "mailer")],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(new ClaimsPrincipal(user));
        });
        // </snippet:sending-role>
    }

    /// <summary>The services the sign-in needs.</summary>
    public static void AddServices(IServiceCollection services) =>
        // <snippet:sending-role-services>
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
    // </snippet:sending-role-services>
}
