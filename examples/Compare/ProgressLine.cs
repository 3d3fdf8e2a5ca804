using Spectre.Console;

namespace TinyNet.Examples.Compare;

/// <summary>A live Spectre.Console status line (interactive terminals) or plain progress lines (redirected output).</summary>
internal sealed class ProgressLine(TextWriter output, bool interactive)
{
    public StatusContext? Context { get; set; }

    public void Show(string text, bool important)
    {
        if (interactive && Context is not null)
        {
            Context.Status(Markup.Escape(text));
        }
        else if (important)
        {
            output.WriteLine(text);
        }
    }
}
