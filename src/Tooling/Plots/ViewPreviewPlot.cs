using SkiaSharp;
using Vicreg.Data;
using Vicreg.Data.Audio;

namespace Vicreg.Tooling.Plots;

/// <summary>
/// Draws a <see cref="ViewPreview"/> as one PNG: a header, a column per branch, and a row per sample with branch A's
/// view beside branch B's and the drawn parameters under each. An image view is shown beside its source with the
/// crop box; an audio view as its clip (the crop shaded), its waveform and its log-mel. Drawn with SkiaSharp, the
/// canvas ScottPlot renders on, because a grid of pictures and captions is not a chart.
/// </summary>
public static class ViewPreviewPlot
{
    public const int Margin = 16, ColumnGap = 28;
    /// <summary>Side of the boxes an image panel draws the source and the view in.</summary>
    public const int ImageBox = 128, ImagePanelWidth = 2 * ImageBox + 12;
    public const int AudioPanelWidth = 320, ClipHeight = 26, WaveHeight = 60, MelHeight = 84, AudioGap = 4;
    private const float TitleSize = 15, TextSize = 12, CaptionSize = 11.5f;
    private const int LineHeight = 16, CaptionLine = 15, RowTitle = 20, RowGap = 18;

    private static readonly SKColor Ink = new(0x22, 0x22, 0x22), Muted = new(0x66, 0x66, 0x66), Rule = new(0xDD, 0xDD, 0xDD);
    private static readonly SKColor CropColour = new(0xE4, 0x57, 0x2E), WaveColour = new(0x1F, 0x5F, 0xA8), ClipColour = new(0x99, 0x99, 0x99);

    public static int PanelWidth(ViewPreview.Panel p) => p is ViewPreview.AudioPanel ? AudioPanelWidth : ImagePanelWidth;
    public static int PanelHeight(ViewPreview.Panel p) => p is ViewPreview.AudioPanel ? ClipHeight + WaveHeight + MelHeight + 2 * AudioGap : ImageBox;
    private static int CaptionLines(ViewPreview.Panel p) => p is ViewPreview.AudioPanel ? 3 : 4;

    /// <summary>Height of one sample's row (the same for every row of a preview).</summary>
    public static int RowHeight(ViewPreview.Row r) =>
        RowTitle + Math.Max(PanelHeight(r.A), PanelHeight(r.B)) + 6 + CaptionLine * Math.Max(CaptionLines(r.A), CaptionLines(r.B)) + RowGap;

    /// <summary>The PNG's width: both columns and the margins, whatever the text.</summary>
    public static int Width(ViewPreview p) => p.Rows.Count == 0 ? 2 * Margin + 2 * ImagePanelWidth + ColumnGap
        : 2 * Margin + PanelWidth(p.Rows[0].A) + ColumnGap + PanelWidth(p.Rows[0].B);

    /// <summary>Writes the PNG (atomically) and returns its (width, height).</summary>
    public static (int Width, int Height) Save(ViewPreview preview, string path)
    {
        using var regular = Typeface(SKFontStyle.Normal);
        using var bold = Typeface(SKFontStyle.Bold);
        using var title = new SKFont(bold, TitleSize);
        using var text = new SKFont(regular, TextSize);
        using var heading = new SKFont(bold, TextSize + 1);
        using var caption = new SKFont(regular, CaptionSize);
        int width = Width(preview);
        int colA = Margin, colB = Margin + (preview.Rows.Count > 0 ? PanelWidth(preview.Rows[0].A) : ImagePanelWidth) + ColumnGap;
        int widthA = colB - ColumnGap - colA, widthB = width - Margin - colB;

        var titleLines = Wrap(preview.Title, title, width - 2 * Margin);
        var noteLines = Wrap(Note(preview), text, width - 2 * Margin);
        var first = preview.Rows.FirstOrDefault();
        var columnA = Wrap(preview.A.Summary, text, widthA).Prepend("Branch A").Concat(Wrap(Legend(first?.A), text, widthA)).ToList();
        var columnB = Wrap(preview.B.Summary, text, widthB).Prepend("Branch B").Concat(Wrap(Legend(first?.B), text, widthB)).ToList();
        int headerHeight = Margin + (titleLines.Count + 0) * (LineHeight + 3) + noteLines.Count * LineHeight + 8
            + Math.Max(columnA.Count, columnB.Count) * LineHeight + 10;
        int height = headerHeight + preview.Rows.Sum(RowHeight) + Margin;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"preview: cannot allocate a {width}×{height} canvas");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var muted = new SKPaint { Color = Muted, IsAntialias = true };

        float y = Margin + TitleSize;
        foreach (var line in titleLines) { canvas.DrawText(line, Margin, y, SKTextAlign.Left, title, ink); y += LineHeight + 3; }
        foreach (var line in noteLines) { canvas.DrawText(line, Margin, y, SKTextAlign.Left, text, muted); y += LineHeight; }
        y += 8;
        float top = y;
        for (int k = 0; k < columnA.Count; k++)
            canvas.DrawText(columnA[k], colA, top + k * LineHeight, SKTextAlign.Left, k == 0 ? heading : text, k == 0 ? ink : muted);
        for (int k = 0; k < columnB.Count; k++)
            canvas.DrawText(columnB[k], colB, top + k * LineHeight, SKTextAlign.Left, k == 0 ? heading : text, k == 0 ? ink : muted);

        int rowTop = headerHeight;
        using var rule = new SKPaint { Color = Rule, StrokeWidth = 1 };
        for (int r = 0; r < preview.Rows.Count; r++)
        {
            var row = preview.Rows[r];
            canvas.DrawLine(Margin, rowTop - 6, width - Margin, rowTop - 6, rule);
            var s = row.Sample;
            canvas.DrawText($"{r + 1}. batch row {s.Position}: sample {s.Index}, class {row.ClassName}" + (s.Padded ? " (zero-padded)" : ""),
                Margin, rowTop + 13, SKTextAlign.Left, heading, ink);
            int panelTop = rowTop + RowTitle;
            float scale = WaveScale(row);
            DrawPanel(canvas, row.A, colA, panelTop, scale, caption, muted);
            DrawPanel(canvas, row.B, colB, panelTop, scale, caption, muted);
            int panelHeight = Math.Max(PanelHeight(row.A), PanelHeight(row.B));
            DrawCaption(canvas, row.A, colA, panelTop + panelHeight + 6, caption, ink);
            DrawCaption(canvas, row.B, colB, panelTop + panelHeight + 6, caption, ink);
            rowTop += RowHeight(row);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".tmp.png");
        using (var image = surface.Snapshot())
        using (var png = image.Encode(SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(tmp, png.ToArray());
        File.Move(tmp, path, overwrite: true);
        return (width, height);
    }

    /// <summary>What the reader needs to read the rows: what is shown and how.</summary>
    private static string Note(ViewPreview p)
    {
        var parts = new List<string> { "Each row: one sample, the view branch A is fed (left) and branch B's (right), exactly as in the batch; normalisation undone for display." };
        bool image = p.Rows.Any(r => r.A is ViewPreview.ImagePanel || r.B is ViewPreview.ImagePanel);
        bool audio = p.Rows.Any(r => r.A is ViewPreview.AudioPanel || r.B is ViewPreview.AudioPanel);
        if (image) parts.Add("Image: the source with the crop box (orange), then the view, enlarged. Jitter lists its steps in the order applied: b brightness, c contrast, s saturation factors, h hue shift.");
        if (audio) parts.Add("Audio: the clip with the crop shaded (orange), the view's waveform (same amplitude scale across the row), and its log-mel (low bands at the bottom).");
        return string.Join(" ", parts);
    }

    private static void DrawPanel(SKCanvas canvas, ViewPreview.Panel panel, int x, int y, float waveScale, SKFont small, SKPaint muted)
    {
        switch (panel)
        {
            case ViewPreview.ImagePanel p: DrawImagePanel(canvas, p, x, y, small, muted); break;
            case ViewPreview.AudioPanel p: DrawAudioPanel(canvas, p, x, y, waveScale, small, muted); break;
        }
    }

    private static void DrawImagePanel(SKCanvas canvas, ViewPreview.ImagePanel p, int x, int y, SKFont small, SKPaint muted)
    {
        // The source, fitted into its box, with the crop box drawn in source pixels scaled alike.
        float f = (float)ImageBox / Math.Max(p.SourceWidth, p.SourceHeight);
        var sourceRect = SKRect.Create(x, y, p.SourceWidth * f, p.SourceHeight * f);
        DrawPixels(canvas, p.Source, p.SourceWidth, p.SourceHeight, sourceRect);
        if (p.Drawn is DrawnImageView d)
        {
            var box = SKRect.Create(x + d.Crop.X * f, y + d.Crop.Y * f, d.Crop.Width * f, d.Crop.Height * f);
            // Inset by the stroke so the box stays inside the source; a thin white halo keeps it visible on dark images.
            using var halo = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
            using var line = new SKPaint { Color = CropColour, Style = SKPaintStyle.Stroke, StrokeWidth = 2 };
            canvas.DrawRect(SKRect.Inflate(box, -1, -1), line);
            canvas.DrawRect(SKRect.Inflate(box, -2.5f, -2.5f), halo);
        }
        // The view, enlarged by a whole factor when it is small, so its pixels stay square.
        int shown = p.Size <= ImageBox ? p.Size * (ImageBox / p.Size) : ImageBox;
        var viewRect = SKRect.Create(x + ImageBox + 12, y, shown, shown);
        DrawPixels(canvas, p.View, p.Size, p.Size, viewRect);
        using var frame = new SKPaint { Color = Rule, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        canvas.DrawRect(viewRect, frame);
    }

    /// <summary>The column's last header line: what its panels show.</summary>
    private static string Legend(ViewPreview.Panel? panel) => panel switch
    {
        ViewPreview.ImagePanel p => $"left: the {p.SourceWidth}×{p.SourceHeight} source and the crop; right: the {p.Size}×{p.Size} view" +
                                    (p.Size < ImageBox ? $", shown ×{ImageBox / p.Size}" : ""),
        ViewPreview.AudioPanel p => FormattableString.Invariant($"the {p.Clip.Length / (double)p.SampleRate:0.##} s clip, the view, its log-mel ({p.Bands} bands × {p.Frames} frames)"),
        _ => "",
    };

    private static void DrawAudioPanel(SKCanvas canvas, ViewPreview.AudioPanel p, int x, int y, float scale, SKFont small, SKPaint muted)
    {
        // The clip, with the crop shaded where it was cut from.
        var clipRect = SKRect.Create(x, y, AudioPanelWidth, ClipHeight);
        DrawWave(canvas, p.Clip, clipRect, scale, ClipColour);
        if (p.Drawn is DrawnAudioView d && p.Clip.Length > 0)
        {
            // Over the trace, so a loud clip does not hide it; its edges in full colour.
            float x0 = x + AudioPanelWidth * (float)d.Offset / p.Clip.Length;
            float x1 = x + AudioPanelWidth * (float)Math.Min(p.Clip.Length, d.Offset + d.CropSamples) / p.Clip.Length;
            using var shade = new SKPaint { Color = CropColour.WithAlpha(70) };
            using var edge = new SKPaint { Color = CropColour, StrokeWidth = 2 };
            canvas.DrawRect(new SKRect(x0, clipRect.Top, x1, clipRect.Bottom), shade);
            canvas.DrawLine(x0 + 1, clipRect.Top, x0 + 1, clipRect.Bottom, edge);
            canvas.DrawLine(x1 - 1, clipRect.Top, x1 - 1, clipRect.Bottom, edge);
        }
        Label(canvas, "clip", x, clipRect.Top, small, muted);

        var waveRect = SKRect.Create(x, clipRect.Bottom + AudioGap, AudioPanelWidth, WaveHeight);
        DrawWave(canvas, p.View, waveRect, scale, WaveColour);
        Label(canvas, FormattableString.Invariant($"view, ±{scale:0.##} full scale"), x, waveRect.Top, small, muted);

        var melRect = SKRect.Create(x, waveRect.Bottom + AudioGap, AudioPanelWidth, MelHeight);
        DrawLogMel(canvas, p, melRect);
        Label(canvas, "log-mel", x, melRect.Top, small, muted);
    }

    /// <summary>A small label in the top-left corner of a strip, on a white ground so the trace under it stays legible around it.</summary>
    private static void Label(SKCanvas canvas, string text, float x, float top, SKFont font, SKPaint paint)
    {
        using var ground = new SKPaint { Color = SKColors.White.WithAlpha(215) };
        canvas.DrawRect(SKRect.Create(x, top, font.MeasureText(text) + 6, font.Size + 4), ground);
        canvas.DrawText(text, x + 3, top + font.Size, SKTextAlign.Left, font, paint);
    }

    private static void DrawCaption(SKCanvas canvas, ViewPreview.Panel panel, int x, int y, SKFont font, SKPaint paint)
    {
        var lines = panel.Drawn?.Describe() ?? new[] { "(no drawn parameters reported)" };
        for (int k = 0; k < lines.Count; k++) canvas.DrawText(lines[k], x, y + font.Size + k * CaptionLine, SKTextAlign.Left, font, paint);
    }

    /// <summary>Row-major 8-bit RGB into <paramref name="dest"/>: nearest neighbour when enlarged (pixels stay visible).</summary>
    private static void DrawPixels(SKCanvas canvas, byte[] rgb, int w, int h, SKRect dest)
    {
        var rgba = new byte[4 * w * h];
        for (int i = 0; i < w * h; i++)
        {
            rgba[4 * i] = rgb[3 * i];
            rgba[4 * i + 1] = rgb[3 * i + 1];
            rgba[4 * i + 2] = rgb[3 * i + 2];
            rgba[4 * i + 3] = 255;
        }
        using var image = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba, 4 * w);
        var sampling = dest.Width >= w ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        canvas.DrawImage(image, dest, sampling);
    }

    /// <summary>A waveform as the min–max of its samples per pixel column, ±<paramref name="scale"/> over the strip's height.</summary>
    private static void DrawWave(SKCanvas canvas, float[] x, SKRect rect, float scale, SKColor colour)
    {
        using var axis = new SKPaint { Color = Rule, StrokeWidth = 1 };
        float mid = rect.MidY, half = rect.Height / 2 - 1;
        canvas.DrawLine(rect.Left, mid, rect.Right, mid, axis);
        if (x.Length == 0 || scale <= 0) return;
        using var pen = new SKPaint { Color = colour, StrokeWidth = 1, IsAntialias = false };
        int columns = (int)rect.Width;
        for (int c = 0; c < columns; c++)
        {
            // Each column also takes the last sample of the one before, so a trace that crosses between columns stays joined.
            int from = (int)((long)c * x.Length / columns), to = Math.Max(from + 1, (int)((long)(c + 1) * x.Length / columns));
            from = Math.Max(0, from - 1);
            float lo = float.MaxValue, hi = float.MinValue;
            for (int i = from; i < to && i < x.Length; i++) { lo = Math.Min(lo, x[i]); hi = Math.Max(hi, x[i]); }
            canvas.DrawLine(rect.Left + c + 0.5f, mid - half * Math.Clamp(hi / scale, -1, 1), rect.Left + c + 0.5f, mid - half * Math.Clamp(lo / scale, -1, 1) + 1, pen);
        }
    }

    /// <summary>The log-mel as viridis colours, min–max scaled (the front end's own [0, 1] when it normalises), low bands at the bottom.</summary>
    private static void DrawLogMel(SKCanvas canvas, ViewPreview.AudioPanel p, SKRect rect)
    {
        if (p.Bands == 0 || p.Frames == 0) return;
        float lo = p.LogMel.Min(), hi = p.LogMel.Max(), range = Math.Max(hi - lo, 1e-12f);
        var colormap = new ScottPlot.Colormaps.Viridis();
        var rgb = new byte[3 * p.Bands * p.Frames];
        for (int b = 0; b < p.Bands; b++)
            for (int t = 0; t < p.Frames; t++)
            {
                var c = colormap.GetColor((p.LogMel[b * p.Frames + t] - lo) / range);
                int i = 3 * ((p.Bands - 1 - b) * p.Frames + t);
                rgb[i] = c.R; rgb[i + 1] = c.G; rgb[i + 2] = c.B;
            }
        DrawPixels(canvas, rgb, p.Frames, p.Bands, rect);
    }

    /// <summary>One amplitude scale for every waveform of a row, so a gain difference between the views shows.</summary>
    private static float WaveScale(ViewPreview.Row row)
    {
        float max = 0;
        foreach (var panel in new[] { row.A, row.B })
            if (panel is ViewPreview.AudioPanel a)
                foreach (var x in a.View.Concat(a.Clip)) max = Math.Max(max, Math.Abs(x));
        return max;
    }

    /// <summary>A sans-serif face: the first of a few common ones that is installed, else ScottPlot's choice.</summary>
    private static SKTypeface Typeface(SKFontStyle style)
    {
        foreach (var family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" })
            if (SKFontManager.Default.MatchFamily(family, style) is { } face) return face;
        return SKTypeface.FromFamilyName(ScottPlot.Fonts.Default, style);
    }

    /// <summary>Greedy word wrap to <paramref name="width"/> pixels.</summary>
    private static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > width) { lines.Add(line); line = word; }
            else line = candidate;
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }
}
