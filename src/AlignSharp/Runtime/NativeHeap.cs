using System.Runtime.InteropServices;

namespace AlignSharp.Runtime;

/// <summary>
/// Gives freed native memory back to the OS. libtorch allocates CPU tensors with glibc malloc; after a
/// backward pass the freed activations stay in malloc's heap, fragmented, and the next pass's
/// differently-sized tensors often cannot reuse them, so resident memory grows with every extra pass
/// (a DPO step that back-propagates chosen and rejected rows separately peaked 1.3x an SFT step with
/// the same live tensors). Trimming between passes keeps the peak at what one pass needs, at a price:
/// the next pass page-faults its memory back in (measured: about 1 s of CPU per reference DPO step of
/// ~6.5 s, for two trims). So it is a memory setting, not a default for every step; the pair recipes' split step
/// (<c>Recipes.PairSplitPassStep</c>) turns it on by default because saving memory is that step's purpose.
/// </summary>
public static class NativeHeap
{
    /// <summary>Returns free heap pages to the OS (glibc <c>malloc_trim(0)</c>); a no-op elsewhere. True if memory was released.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl)
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int malloc_trim(nuint pad);
}
