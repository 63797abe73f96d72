using System.Globalization;
using System.Text;

namespace Strata.Infra.Tests;

/// <summary>
/// Evaluates the few ARM template functions the outputs use — <c>format</c>, <c>replace</c>, <c>split</c> with an
/// index, string literals — with <c>reference(…)</c> and <c>parameters(…)</c> paths answered by the test, so an
/// output's value can be computed for sample endpoints and fed to the code that parses it.
/// </summary>
internal sealed class ArmExpression
{
    private readonly string _text;
    private readonly Func<string, string> _lookup;
    private int _at;

    private ArmExpression(string text, Func<string, string> lookup) => (_text, _lookup) = (text, lookup);

    /// <summary>The value of <paramref name="expression"/> (<c>[…]</c>); <paramref name="lookup"/> answers paths such as <c>reference('account').primaryEndpoints.blob</c>.</summary>
    public static string Evaluate(string expression, Func<string, string> lookup)
    {
        Assert.True(expression.StartsWith('[') && expression.EndsWith(']'), $"not an expression: {expression}");
        var parser = new ArmExpression(expression[1..^1], lookup);
        var value = parser.Value();
        Assert.True(parser._at == parser._text.Length, $"unparsed rest of {expression}: {parser._text[parser._at..]}");
        return value;
    }

    private string Value()
    {
        string value;
        if (Peek() == '\'')
        {
            value = Literal();
        }
        else
        {
            var start = _at;
            while (_at < _text.Length && char.IsLetter(_text[_at]))
            {
                _at++;
            }

            var name = _text[start.._at];
            var arguments = Arguments();
            value = name switch
            {
                "format" => string.Format(CultureInfo.InvariantCulture, arguments[0], arguments[1..].Cast<object>().ToArray()),
                "replace" => arguments[0].Replace(arguments[1], arguments[2], StringComparison.Ordinal),
                "split" => string.Join('\u0001', arguments[0].Split(arguments[1])),
                "reference" or "parameters" => Path($"{name}('{arguments[0]}')"),
                _ => throw new Xunit.Sdk.XunitException($"function {name} is not evaluated by this test"),
            };
        }

        if (Peek() == '[')
        {
            _at++;
            var end = _text.IndexOf(']', _at);
            var index = int.Parse(_text[_at..end], CultureInfo.InvariantCulture);
            _at = end + 1;
            value = value.Split('\u0001')[index];
        }

        return value;
    }

    private string Path(string head)
    {
        var path = new StringBuilder(head);
        while (Peek() == '.')
        {
            var start = _at++;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_'))
            {
                _at++;
            }

            path.Append(_text[start.._at]);
        }

        return _lookup(path.ToString());
    }

    private List<string> Arguments()
    {
        Expect('(');
        var arguments = new List<string>();
        while (Peek() != ')')
        {
            arguments.Add(Value());
            if (Peek() == ',')
            {
                _at++;
                SkipSpaces();
            }
        }

        Expect(')');
        return arguments;
    }

    private string Literal()
    {
        Expect('\'');
        var value = new StringBuilder();
        while (true)
        {
            var c = _text[_at++];
            if (c == '\'')
            {
                if (_at < _text.Length && _text[_at] == '\'')
                {
                    value.Append('\'');
                    _at++;
                    continue;
                }

                return value.ToString();
            }

            value.Append(c);
        }
    }

    private void Expect(char c)
    {
        Assert.True(Peek() == c, $"expected '{c}' at {_at} of {_text}");
        _at++;
    }

    private char Peek()
    {
        SkipSpaces();
        return _at < _text.Length ? _text[_at] : '\0';
    }

    private void SkipSpaces()
    {
        while (_at < _text.Length && _text[_at] == ' ')
        {
            _at++;
        }
    }
}
