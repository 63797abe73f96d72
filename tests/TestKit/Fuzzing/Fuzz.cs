using System.Runtime.ExceptionServices;
using CsCheck;

namespace Strata.TestKit.Fuzzing;

/// <summary>
/// Property-based fuzzing with CsCheck: inputs mutated from valid seeds, and a case runner whose property is "no
/// exception but the documented ones, and done in bounded time". Iterations are sized for a 2-core CI machine.
/// </summary>
public static class Fuzz
{
    /// <summary>The longest one case may take before it counts as a hang.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Characters that break parsers: NUL, controls, a lone surrogate, BOM, non-characters, line ends.</summary>
    public static readonly string[] Awkward = ["\0", "\u0001", "\u001b", "\uD800", "\uDC00", "\uFEFF", "\uFFFE", "\uFFFF", "\r", "\r\n", "\t", "\u2028", "é", "😀", "\\", "\"", "'"];

    /// <summary>Runs <paramref name="body"/> as one case: rethrows an exception <paramref name="documented"/> does not accept; a run past <see cref="CaseTimeout"/> is a hang.</summary>
    public static void Case(Action body, Func<Exception, bool> documented) => Run(Task.Run(body), documented);

    /// <summary>As <see cref="Case(Action, Func{Exception, bool})"/> for asynchronous code.</summary>
    public static void CaseAsync(Func<Task> body, Func<Exception, bool> documented) => Run(Task.Run(body), documented);

    /// <summary>Mutations of <paramref name="seeds"/>: one to six edits each, built from <paramref name="tokens"/> and <see cref="Awkward"/> characters.</summary>
    public static Gen<string> Mutated(IReadOnlyList<string> seeds, IReadOnlyList<string> tokens)
    {
        var all = tokens.Concat(Awkward).ToArray();
        var edit = Gen.Select(Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int[0, all.Length - 1], Gen.Int[1, 64]);
        return Gen.Select(Gen.Int[0, seeds.Count - 1], edit.Array[1, 6]).Select((seed, edits) =>
        {
            var text = seeds[seed];
            foreach (var (kind, at, token, length) in edits)
            {
                text = Edit(text, kind, at, all[token], length);
            }

            return text;
        });
    }

    /// <summary>Mutations of <paramref name="seed"/> bytes: overwritten, inserted, deleted, duplicated or cut, one to six edits.</summary>
    public static Gen<byte[]> MutatedBytes(byte[] seed, Func<int, int>? aim = null)
    {
        var edit = Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte.Array[1, 16], Gen.Int[1, 1024]);
        return edit.Array[1, 6].Select(edits =>
        {
            var bytes = seed.ToList();
            foreach (var (kind, rawAt, value, length) in edits)
            {
                var at = aim is null ? rawAt % (bytes.Count + 1) : Math.Min(aim(rawAt), bytes.Count);
                switch (kind)
                {
                    case 0:
                        for (var i = 0; i < value.Length && at + i < bytes.Count; i++)
                        {
                            bytes[at + i] = value[i];
                        }

                        break;
                    case 1:
                        bytes.InsertRange(at, value);
                        break;
                    case 2:
                        bytes.RemoveRange(at, Math.Min(length, bytes.Count - at));
                        break;
                    case 3:
                        bytes.InsertRange(at, bytes.GetRange(at, Math.Min(length, bytes.Count - at)));
                        break;
                    default:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                }
            }

            return bytes.ToArray();
        });
    }

    private static string Edit(string text, int kind, int rawAt, string token, int length)
    {
        var at = rawAt % (text.Length + 1);
        return kind switch
        {
            0 => text.Insert(at, token),
            1 => text.Remove(at, Math.Min(length, text.Length - at)),
            2 when at < text.Length => text.Remove(at, 1).Insert(at, token),
            3 => text.Insert(at, text.Substring(at, Math.Min(length, text.Length - at))),
            4 => text[..at],
            5 => text.Insert(at, string.Concat(Enumerable.Repeat(token, length * 40))), // deep nesting, long runs
            _ => text.Insert(at, token + token),
        };
    }

    private static void Run(Task task, Func<Exception, bool> documented)
    {
        try
        {
            if (!task.Wait(CaseTimeout))
            {
                throw new TimeoutException($"the case did not finish within {CaseTimeout.TotalSeconds} s (a hang)");
            }
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            if (!documented(e.InnerException!))
            {
                ExceptionDispatchInfo.Throw(e.InnerException!);
            }
        }
    }
}
