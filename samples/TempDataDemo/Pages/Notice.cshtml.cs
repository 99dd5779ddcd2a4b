using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TempDataDemo.Pages;

/// <summary>Shows the TempData notice once: reading it marks it for deletion, so a reload shows it no more.</summary>
public sealed class NoticeModel : PageModel
{
    /// <summary>The notice from the previous request, or <see langword="null"/> when there is none.</summary>
    public string? Notice { get; private set; }

    /// <summary>Reads the notice from TempData.</summary>
    public void OnGet() => Notice = TempData["Notice"] as string;
}
