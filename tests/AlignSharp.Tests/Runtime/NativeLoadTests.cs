using AlignSharp.Build;
using TorchSharp;

namespace AlignSharp.Tests.Runtime;

public class NativeLoadTests
{
    [Fact]
    public void TorchSharpLoadsAndComputes()
    {
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var b = a.matmul(a.t());
        Assert.Equal(new float[] { 5, 14, 14, 50 }, b.data<float>().ToArray());
    }

    [Fact]
    public void PatcherMarksTheGlibcxxNeedWeakInACopyAndIsIdempotent()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux()) return; // the patch only exists on Linux
        Assert.True(File.Exists(source), $"expected TorchSharp's native library at {source}");

        string copy = Path.Combine(Path.GetTempPath(), $"alignsharp-elf-{Guid.NewGuid():N}.so");
        try
        {
            // Start from an unpatched image: clear the weak bit if the build already set it.
            byte[] bytes = File.ReadAllBytes(source);
            Assert.NotNull(ElfWeakVersionNeed.IsWeak(bytes, "GLIBCXX_3.4.32"));
            File.WriteAllBytes(copy, bytes);

            bool wasWeak = ElfWeakVersionNeed.IsWeak(bytes, "GLIBCXX_3.4.32") == true;
            PatchOutcome first = ElfWeakVersionNeed.MarkWeak(copy, "GLIBCXX_3.4.32");
            Assert.Equal(wasWeak ? PatchOutcome.AlreadyWeak : PatchOutcome.Patched, first);
            Assert.True(ElfWeakVersionNeed.IsWeak(File.ReadAllBytes(copy), "GLIBCXX_3.4.32"));
            Assert.Equal(PatchOutcome.AlreadyWeak, ElfWeakVersionNeed.MarkWeak(copy, "GLIBCXX_3.4.32"));

            // Only the two flag bytes may differ from the original.
            byte[] patched = File.ReadAllBytes(copy);
            Assert.Equal(bytes.Length, patched.Length);
            int differing = bytes.Zip(patched).Count(p => p.First != p.Second);
            Assert.True(differing <= 1, $"{differing} bytes changed");
            // Other needs are untouched.
            Assert.False(ElfWeakVersionNeed.IsWeak(patched, "GLIBCXX_3.4.30"));
            Assert.Null(ElfWeakVersionNeed.IsWeak(patched, "GLIBCXX_9.9.99"));
        }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void BuildOutputIsPatchedExactlyWhenTheSystemLacksTheVersion()
    {
        if (!OperatingSystem.IsLinux()) return;
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string? libstdcxx = ElfWeakVersionNeed.FindSystemLibStdCxx();
        Assert.NotNull(libstdcxx);
        bool systemHasIt = ElfWeakVersionNeed.LibraryDefinesVersion(libstdcxx!, "GLIBCXX_3.4.32");
        bool? weak = ElfWeakVersionNeed.IsWeak(File.ReadAllBytes(output), "GLIBCXX_3.4.32");
        Assert.Equal(!systemHasIt, weak);
    }

    [Fact]
    public void NotAnElfFileIsReportedNotPatched()
    {
        byte[] junk = System.Text.Encoding.ASCII.GetBytes("this is not an ELF file at all, just text........................");
        Assert.Equal(PatchOutcome.NotElf64, ElfWeakVersionNeed.MarkWeakInMemory(junk, "GLIBCXX_3.4.32", "junk"));
    }
}
