package io.decide.format;

/**
 * A strict RFC 8259 syntax check (no values built). Used to refuse a METADATA section that a JSON reader
 * would choke on later, at load rather than in {@code decide inspect}.
 */
final class JsonSyntax
{
    private final String text;
    private final int maxDepth;
    private int pos;

    private JsonSyntax(final String text, final int maxDepth)
    {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /**
     * @param text     candidate document.
     * @param maxDepth deepest nesting allowed.
     * @return null when {@code text} is exactly one JSON object, else what is wrong and where.
     */
    static String checkObject(final String text, final int maxDepth)
    {
        final JsonSyntax p = new JsonSyntax(text, maxDepth);
        try
        {
            p.ws();
            if (p.peek() != '{')
            {
                return "expected '{' at character " + p.pos;
            }
            p.value(0);
            p.ws();
            if (p.pos != text.length())
            {
                return "unexpected content at character " + p.pos;
            }
            return null;
        }
        catch (final IllegalStateException ex)
        {
            return ex.getMessage();
        }
    }

    private int peek()
    {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private IllegalStateException error(final String what)
    {
        return new IllegalStateException(what + " at character " + pos);
    }

    private void ws()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            {
                pos++;
            }
            else
            {
                break;
            }
        }
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void value(final int depth)
    {
        ws();
        final int c = peek();
        switch (c)
        {
            case '{': object(depth + 1); break;
            case '[': array(depth + 1); break;
            case '"': string(); break;
            case 't': literal("true"); break;
            case 'f': literal("false"); break;
            case 'n': literal("null"); break;
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    number();
                }
                else
                {
                    throw error("expected a value");
                }
        }
    }

    private void object(final int depth)
    {
        if (depth > maxDepth)
        {
            throw error("nesting deeper than " + maxDepth);
        }
        expect('{');
        ws();
        if (peek() == '}')
        {
            pos++;
            return;
        }
        while (true)
        {
            ws();
            string();
            ws();
            expect(':');
            value(depth);
            ws();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect('}');
            return;
        }
    }

    private void array(final int depth)
    {
        if (depth > maxDepth)
        {
            throw error("nesting deeper than " + maxDepth);
        }
        expect('[');
        ws();
        if (peek() == ']')
        {
            pos++;
            return;
        }
        while (true)
        {
            value(depth);
            ws();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect(']');
            return;
        }
    }

    private void string()
    {
        expect('"');
        while (true)
        {
            final int c = peek();
            if (c < 0)
            {
                throw error("unterminated string");
            }
            pos++;
            if (c == '"')
            {
                return;
            }
            if (c < 0x20)
            {
                throw error("control character in string");
            }
            if (c == '\\')
            {
                final int e = peek();
                pos++;
                if (e == 'u')
                {
                    for (int i = 0; i < 4; i++)
                    {
                        final int h = peek();
                        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        {
                            throw error("bad \\u escape");
                        }
                        pos++;
                    }
                }
                else if ("\"\\/bfnrt".indexOf(e) < 0 || e < 0)
                {
                    throw error("bad escape");
                }
            }
        }
    }

    private void literal(final String word)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("expected '" + word + "'");
        }
        pos += word.length();
    }

    private void number()
    {
        if (peek() == '-')
        {
            pos++;
        }
        if (peek() == '0')
        {
            pos++;
        }
        else if (peek() >= '1' && peek() <= '9')
        {
            digits();
        }
        else
        {
            throw error("bad number");
        }
        if (peek() == '.')
        {
            pos++;
            if (!(peek() >= '0' && peek() <= '9'))
            {
                throw error("bad fraction");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E')
        {
            pos++;
            if (peek() == '+' || peek() == '-')
            {
                pos++;
            }
            if (!(peek() >= '0' && peek() <= '9'))
            {
                throw error("bad exponent");
            }
            digits();
        }
    }

    private void digits()
    {
        while (peek() >= '0' && peek() <= '9')
        {
            pos++;
        }
    }
}
