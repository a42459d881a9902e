using System.Globalization;
using System.Text;
using AlignSharp.Checkpoints;

namespace AlignSharp.Cli.Experiments;

/// <summary>Builds an experiment's <c>report.md</c>: headings, paragraphs, tables and images, written atomically.</summary>
public sealed class MarkdownReport
{
    readonly StringBuilder _text = new();

    public MarkdownReport(string title) => _text.Append("# ").Append(title).Append("\n\n");

    public MarkdownReport Heading(string text)
    {
        _text.Append("## ").Append(text).Append("\n\n");
        return this;
    }

    public MarkdownReport Paragraph(string text)
    {
        _text.Append(text.Trim()).Append("\n\n");
        return this;
    }

    /// <summary>A table; cells are written as given (format numbers before, e.g. with <see cref="Number"/>).</summary>
    public MarkdownReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _text.Append("| ").Append(string.Join(" | ", headers)).Append(" |\n");
        _text.Append('|').Append(string.Concat(headers.Select(_ => "---|"))).Append('\n');
        foreach (var row in rows)
        {
            if (row.Count != headers.Count) throw new ArgumentException($"a table row has {row.Count} cells, the header {headers.Count}");
            _text.Append("| ").Append(string.Join(" | ", row.Select(c => c.Replace("|", "\\|")))).Append(" |\n");
        }
        _text.Append('\n');
        return this;
    }

    /// <summary>An image stored next to the report (give the file name relative to the report's folder).</summary>
    public MarkdownReport Image(string relativePath, string caption)
    {
        _text.Append("![").Append(caption).Append("](").Append(relativePath).Append(")\n\n");
        return this;
    }

    /// <summary>Mean ± sample standard deviation, invariant culture.</summary>
    public static string MeanSd(IReadOnlyList<double> values, string format = "0.000")
    {
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return $"{Number(mean, format)} ± {Number(sd, format)}";
    }

    public static string Number(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);

    public string Text => _text.ToString();

    public string Save(string folder, string fileName = "report.md")
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, fileName);
        AtomicFile.WriteAllText(path, _text.ToString());
        return path;
    }
}
