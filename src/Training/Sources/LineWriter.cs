namespace Vicreg.Training.Sources;

/// <summary>Adapts line-oriented callbacks to the TextWriter the data loaders log to.</summary>
public sealed class LineWriter : TextWriter
{
    private readonly Action<string> sink;
    public LineWriter(Action<string> sink) => this.sink = sink;
    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    public override void WriteLine(string? value) => sink(value ?? "");
    public override void Write(char value) { }
}
