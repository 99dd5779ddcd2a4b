using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TempDataDemo.Pages;

/// <summary>The form: a post puts the message in TempData and redirects (post/redirect/get) to the notice page.</summary>
public sealed class IndexModel : PageModel
{
    /// <summary>The message the user typed.</summary>
    [BindProperty]
    public string Message { get; set; } = string.Empty;

    /// <summary>Keeps the message for the next request and redirects to <c>/Notice</c>.</summary>
    /// <returns>The redirect.</returns>
    public IActionResult OnPost()
    {
        TempData["Notice"] = Message;
        return RedirectToPage("/Notice");
    }
}
