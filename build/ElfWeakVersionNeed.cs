// Marks one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK), so that the
// dynamic loader accepts the library on a system whose libstdc++ lacks that version.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so was linked with GCC 13 and therefore asks for
// GLIBCXX_3.4.32, which Debian 12's libstdc++ does not define. Its only use of that version is
// GCC 13's marker symbol _ZSt21ios_base_library_initv, which nothing calls, so a weak need is safe.
// This file is compiled twice: into the build (an MSBuild inline task, see TorchSharpNative.targets)
// and into the tests (with ALIGNSHARP_TESTS defined), so the logic the build runs is the logic tested.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace AlignSharp.Build
{
    public enum PatchOutcome { Patched, AlreadyWeak, VersionNotNeeded, NotElf64 }

    public static class ElfWeakVersionNeed
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        /// <summary>True when the library file defines the given symbol version (e.g. GLIBCXX_3.4.32).</summary>
        public static bool LibraryDefinesVersion(string libraryPath, string version)
        {
            byte[] bytes = File.ReadAllBytes(libraryPath);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle) >= 0;
        }

        /// <summary>Finds the system libstdc++.so.6 in the usual Linux library folders, or null.</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] dirs =
            {
                "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            };
            foreach (string dir in dirs)
            {
                string candidate = Path.Combine(dir, "libstdc++.so.6");
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the version need named <paramref name="version"/> in the file's
        /// .gnu.version_r section. Writes through a temporary file and a rename, so a hard link into
        /// a package cache is never modified in place.
        /// </summary>
        public static PatchOutcome MarkWeak(string libraryPath, string version)
        {
            byte[] elf = File.ReadAllBytes(libraryPath);
            PatchOutcome outcome = MarkWeakInMemory(elf, version, libraryPath);
            if (outcome != PatchOutcome.Patched) return outcome;
            string temporary = libraryPath + ".patching";
            File.WriteAllBytes(temporary, elf);
            File.Delete(libraryPath);
            File.Move(temporary, libraryPath);
            return outcome;
        }

        public static PatchOutcome MarkWeakInMemory(byte[] elf, string version, string nameForErrors)
        {
            // ELF64, little-endian only: the platforms TorchSharp ships Linux binaries for.
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
                || elf[4] != 2 || elf[5] != 1)
                return PatchOutcome.NotElf64;

            ulong sectionHeaderOffset = U64(elf, 0x28, nameForErrors);
            ushort sectionHeaderSize = U16(elf, 0x3A, nameForErrors);
            ushort sectionCount = U16(elf, 0x3C, nameForErrors);

            for (int i = 0; i < sectionCount; i++)
            {
                long header = checked((long)sectionHeaderOffset + (long)i * sectionHeaderSize);
                if (U32(elf, header + 4, nameForErrors) != ShtGnuVerneed) continue;

                long sectionOffset = (long)U64(elf, header + 0x18, nameForErrors);
                uint stringSectionIndex = U32(elf, header + 0x28, nameForErrors);
                long stringHeader = checked((long)sectionHeaderOffset + (long)stringSectionIndex * sectionHeaderSize);
                long stringsOffset = (long)U64(elf, stringHeader + 0x18, nameForErrors);

                long need = sectionOffset;
                while (true)
                {
                    ushort auxCount = U16(elf, need + 2, nameForErrors);
                    long aux = need + U32(elf, need + 8, nameForErrors);
                    for (int a = 0; a < auxCount; a++)
                    {
                        uint nameOffset = U32(elf, aux + 8, nameForErrors);
                        if (CStringEquals(elf, stringsOffset + nameOffset, version))
                        {
                            ushort flags = U16(elf, aux + 4, nameForErrors);
                            if ((flags & VerFlgWeak) != 0) return PatchOutcome.AlreadyWeak;
                            ushort weak = (ushort)(flags | VerFlgWeak);
                            elf[aux + 4] = (byte)(weak & 0xff);
                            elf[aux + 5] = (byte)(weak >> 8);
                            return PatchOutcome.Patched;
                        }
                        uint nextAux = U32(elf, aux + 12, nameForErrors);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint nextNeed = U32(elf, need + 12, nameForErrors);
                    if (nextNeed == 0) break;
                    need += nextNeed;
                }
            }
            return PatchOutcome.VersionNotNeeded;
        }

        /// <summary>Reads the flags of a version need, or null when the file does not need that version.</summary>
        public static bool? IsWeak(byte[] elf, string version)
        {
            byte[] copy = (byte[])elf.Clone();
            return MarkWeakInMemory(copy, version, "<memory>") switch
            {
                PatchOutcome.AlreadyWeak => true,
                PatchOutcome.Patched => false,
                _ => null,
            };
        }

        static bool CStringEquals(byte[] bytes, long offset, string value)
        {
            if (offset < 0 || offset + value.Length >= bytes.Length) return false;
            for (int k = 0; k < value.Length; k++)
                if (bytes[offset + k] != (byte)value[k]) return false;
            return bytes[offset + value.Length] == 0;
        }

        static void Check(byte[] bytes, long offset, int size, string name)
        {
            if (offset < 0 || offset + size > bytes.Length)
                throw new InvalidDataException($"{name}: ELF structure points outside the file (offset {offset}).");
        }

        static ushort U16(byte[] b, long o, string n) { Check(b, o, 2, n); return BitConverter.ToUInt16(b, (int)o); }
        static uint U32(byte[] b, long o, string n) { Check(b, o, 4, n); return BitConverter.ToUInt32(b, (int)o); }
        static ulong U64(byte[] b, long o, string n) { Check(b, o, 8, n); return BitConverter.ToUInt64(b, (int)o); }

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            // Plain loop: this file also compiles against netstandard2.0 inside MSBuild.
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < needle.Length && haystack[i + k] == needle[k]) k++;
                if (k == needle.Length) return i;
            }
            return -1;
        }
    }

#if !ALIGNSHARP_TESTS
    /// <summary>MSBuild task: patch every libLibTorchSharp.so under a folder, if the system needs it.</summary>
    public sealed class MarkLibTorchSharpVersionWeak : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string Directory { get; set; } = "";
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !System.IO.Directory.Exists(Directory)) return true;
            string? libstdcxx = ElfWeakVersionNeed.FindSystemLibStdCxx();
            if (libstdcxx != null && ElfWeakVersionNeed.LibraryDefinesVersion(libstdcxx, Version))
                return true; // the system already provides the version: nothing to do
            foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                PatchOutcome outcome = ElfWeakVersionNeed.MarkWeak(path, Version);
                if (outcome == PatchOutcome.Patched)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                        $"AlignSharp: marked the {Version} need of {path} weak (system libstdc++ lacks it; see README, Troubleshooting).");
            }
            return true;
        }
    }
#endif
}
