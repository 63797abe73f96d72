using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Core.Kubernetes;

// Reads the text of a JsonPath into its steps, with the position and reason of the first thing it cannot read.
public sealed partial class JsonPath
{
    /// <summary>A recursive-descent reader that stops at the first error, keeping its position.</summary>
    private sealed class Parser(string text)
    {
        private int _at;

        public JsonPathError? Error { get; private set; }

        private bool AtEnd => _at >= text.Length;

        private char Current => text[_at];

        public List<Step> ParseTemplate()
        {
            var trimmed = text.TrimEnd();
            while (_at < trimmed.Length && char.IsWhiteSpace(Current))
            {
                _at++;
            }

            if (_at == trimmed.Length)
            {
                Fail(_at, "the expression is empty (write one such as {.status.readyReplicas})");
                return [];
            }

            var braced = Current == '{';
            var end = trimmed.Length;
            if (braced)
            {
                if (trimmed[^1] != '}')
                {
                    var close = trimmed.IndexOf('}', _at);
                    var after = close + 1;
                    while (close >= 0 && char.IsWhiteSpace(trimmed[after]))
                    {
                        after++;
                    }

                    Fail(close < 0 ? trimmed.Length : after, close < 0
                        ? "expected '}' to close the '{' at character " + (_at + 1)
                        : "unexpected text after '}' (one expression only, e.g. {.status.replicas})");
                    return [];
                }

                end--;
                _at++;
            }

            var steps = ParsePath(end, inFilter: false);
            if (Error is null && _at < end)
            {
                Fail(_at, $"unexpected '{text[_at]}'" + (braced ? "" : " (one expression only, e.g. {.status.replicas})"));
            }

            return steps;
        }

        private List<Step> ParsePath(int end, bool inFilter)
        {
            var steps = new List<Step>();
            SkipSpaces(end);
            if (_at < end && Current == (inFilter ? '@' : '$'))
            {
                _at++;
            }
            else if (inFilter)
            {
                Fail(_at, "a filter's path starts with '@' (the element), e.g. [?(@.type==\"Ready\")]");
                return steps;
            }

            if (_at >= end && !inFilter)
            {
                Fail(_at, "expected a path such as .status.replicas");
                return steps;
            }

            while (Error is null && _at < end)
            {
                if (!inFilter && char.IsWhiteSpace(Current))
                {
                    _at++;
                    continue;
                }

                switch (Current)
                {
                    case '.':
                        if (_at + 1 < end && text[_at + 1] == '.')
                        {
                            Fail(_at, "recursive descent ('..') is not supported; name the full path");
                            return steps;
                        }

                        _at++;
                        if (_at < end && Current == '*')
                        {
                            _at++;
                            steps.Add(new Wildcard());
                        }
                        else if (ReadName(end) is { } name)
                        {
                            steps.Add(new Field(name));
                        }

                        break;
                    case '[':
                        if (ReadBracket(end) is { } step)
                        {
                            steps.Add(step);
                        }

                        break;
                    default:
                        if (inFilter)
                        {
                            return steps; // an operator or the closing parenthesis follows
                        }

                        Fail(_at, $"unexpected '{Current}'; expected '.field' or '[…]'");
                        return steps;
                }

                if (inFilter)
                {
                    SkipSpaces(end);
                }
            }

            return steps;
        }

        private string? ReadName(int end)
        {
            var start = _at;
            var name = new StringBuilder();
            while (_at < end && (char.IsAsciiLetterOrDigit(Current) || Current is '_' or '-' or '/' or '\\'))
            {
                if (Current == '\\')
                {
                    if (_at + 1 >= end || text[_at + 1] != '.')
                    {
                        Fail(_at, "'\\' escapes a '.' in a field name only (e.g. app\\.kubernetes\\.io/name)");
                        return null;
                    }

                    _at++;
                }

                name.Append(Current);
                _at++;
            }

            if (name.Length == 0)
            {
                Fail(start, AtEndOf(end) ? "expected a field name after '.'" : $"expected a field name after '.', found '{text[start]}'");
                return null;
            }

            return name.ToString();
        }

        private Step? ReadBracket(int end)
        {
            var open = _at++;
            SkipSpaces(end);
            if (_at >= end)
            {
                Fail(open, "'[' is not closed");
                return null;
            }

            Step? step;
            if (Current == '*')
            {
                _at++;
                step = new Wildcard();
            }
            else if (Current is '\'' or '"')
            {
                step = ReadString(end) is { } name ? new Field(name) : null;
            }
            else if (Current == '?')
            {
                step = ReadFilter(end);
            }
            else if (Current == '-' || char.IsAsciiDigit(Current))
            {
                step = ReadIndex(end);
            }
            else
            {
                Fail(_at, $"expected an index, '*', a quoted field name or a filter '?(…)' inside '[', found '{Current}'");
                return null;
            }

            if (step is null)
            {
                return null;
            }

            SkipSpaces(end);
            if (_at >= end || Current != ']')
            {
                Fail(_at, _at < end && Current is ':' or ','
                    ? $"'{Current}' (slices and unions) is not supported; use one index, [*] or a filter"
                    : $"expected ']' to close the '[' at character {open + 1}");
                return null;
            }

            _at++;
            return step;
        }

        private Index? ReadIndex(int end)
        {
            var start = _at;
            if (Current == '-')
            {
                _at++;
            }

            while (_at < end && char.IsAsciiDigit(Current))
            {
                _at++;
            }

            if (!int.TryParse(text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            {
                Fail(start, $"'{text[start.._at]}' is not an index");
                return null;
            }

            return new Index(index);
        }

        private Filter? ReadFilter(int end)
        {
            var question = _at++;
            if (_at >= end || Current != '(')
            {
                Fail(_at, "expected '(' after '?' (a filter reads [?(@.field==\"value\")])");
                return null;
            }

            _at++;
            var close = FindFilterEnd(end);
            if (close < 0)
            {
                Fail(question, "the filter's '(' is not closed by ')'");
                return null;
            }

            var relative = ParsePath(close, inFilter: true);
            if (Error is not null)
            {
                return null;
            }

            if (relative.Count == 0)
            {
                Fail(_at, "expected a field after '@', e.g. @.type");
                return null;
            }

            SkipSpaces(close);
            string? op = null;
            JsonNode? literal = null;
            if (_at < close)
            {
                op = new[] { "==", "!=", "<=", ">=", "<", ">" }.FirstOrDefault(o => string.CompareOrdinal(text, _at, o, 0, o.Length) == 0);
                if (op is null)
                {
                    Fail(_at, $"expected a comparison (==, !=, <, <=, >, >=) or ')', found '{Current}'");
                    return null;
                }

                _at += op.Length;
                SkipSpaces(close);
                literal = ReadLiteral(close);
                if (literal is null)
                {
                    return null;
                }

                SkipSpaces(close);
                if (_at < close)
                {
                    Fail(_at, $"expected ')' after the value, found '{Current}' (one comparison per filter)");
                    return null;
                }
            }

            _at = close + 1;
            return new Filter(relative, op, literal);
        }

        private JsonNode? ReadLiteral(int end)
        {
            if (_at >= end)
            {
                Fail(_at, "expected a value to compare with: a quoted string, a number, true or false");
                return null;
            }

            if (Current is '\'' or '"')
            {
                return ReadString(end) is { } s ? JsonValue.Create(s) : null;
            }

            var start = _at;
            while (_at < end && !char.IsWhiteSpace(Current) && Current != ')')
            {
                _at++;
            }

            var word = text[start.._at];
            if (word is "true" or "false")
            {
                return JsonValue.Create(word == "true");
            }

            if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            Fail(start, $"'{word}' is not a value: quote strings (\"{word}\"), or write a number, true or false");
            return null;
        }

        private string? ReadString(int end)
        {
            var quote = Current;
            var open = _at++;
            var value = new StringBuilder();
            while (_at < end && Current != quote)
            {
                if (Current == '\\' && _at + 1 < end)
                {
                    _at++;
                }

                value.Append(Current);
                _at++;
            }

            if (_at >= end)
            {
                Fail(open, $"the string opened with {quote} is not closed");
                return null;
            }

            _at++;
            return value.ToString();
        }

        /// <summary>The ')' that closes the filter starting at the current position, outside quotes; -1 when none does.</summary>
        private int FindFilterEnd(int end)
        {
            char? quote = null;
            for (var i = _at; i < end; i++)
            {
                var c = text[i];
                if (quote is { } q)
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == q)
                    {
                        quote = null;
                    }
                }
                else if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == ')')
                {
                    return i;
                }
            }

            return -1;
        }

        private void SkipSpaces(int end)
        {
            while (_at < end && char.IsWhiteSpace(Current))
            {
                _at++;
            }
        }

        private bool AtEndOf(int end) => _at >= end;

        private void Fail(int at, string message) => Error ??= new JsonPathError(at, message);
    }
}
