package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.decide.tools.gbdt.ModelImportException;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Universal Binary JSON (UBJSON draft 12, the encoding of XGBoost's {@code .ubj} models) into a Jackson tree.
 * Big-endian; markers {@code Z N T F i U I l L d D H C S [ {}; containers may declare a count ({@code #}) and an
 * element type ({@code $}), which XGBoost uses for its numeric arrays. Float32 values become {@code FloatNode}s so
 * no rounding happens on the way. Every length and count is checked against the bytes that remain.
 */
final class UbjsonReader
{
    private static final int MAX_DEPTH = 256;

    private final byte[] bytes;
    private final String source;
    private final JsonNodeFactory factory = JsonNodeFactory.instance;
    private int position;

    private UbjsonReader(final byte[] bytes, final String source)
    {
        this.bytes = bytes;
        this.source = source;
    }

    /**
     * @param bytes  the whole document.
     * @param source file name for errors.
     * @return the root value.
     * @throws ModelImportException naming the byte offset when the document is malformed or truncated.
     */
    static JsonNode read(final byte[] bytes, final String source)
    {
        final UbjsonReader reader = new UbjsonReader(bytes, source);
        final JsonNode root = reader.value(reader.marker(), 0);
        while (reader.position < bytes.length && bytes[reader.position] == 'N')
        {
            reader.position++;
        }
        if (reader.position != bytes.length)
        {
            throw reader.error((bytes.length - reader.position) + " trailing byte(s) after the root value");
        }
        return root;
    }

    private ModelImportException error(final String reason)
    {
        return new ModelImportException(source, "UBJSON byte " + position, reason);
    }

    private void need(final long count)
    {
        if (count < 0 || count > bytes.length - position)
        {
            throw error("needs " + count + " more byte(s), the document has " + (bytes.length - position));
        }
    }

    private byte marker()
    {
        need(1);
        byte m = bytes[position++];
        while (m == 'N')
        {
            need(1);
            m = bytes[position++];
        }
        return m;
    }

    private long readBigEndian(final int width)
    {
        need(width);
        long v = 0;
        for (int i = 0; i < width; i++)
        {
            v = (v << 8) | (bytes[position++] & 0xFF);
        }
        return v;
    }

    private long integer(final byte type)
    {
        switch (type)
        {
            case 'i':
                return (byte)readBigEndian(1);
            case 'U':
                return readBigEndian(1);
            case 'I':
                return (short)readBigEndian(2);
            case 'l':
                return (int)readBigEndian(4);
            case 'L':
                return readBigEndian(8);
            default:
                position--;
                throw error("expected an integer marker (i U I l L), found " + describe(type));
        }
    }

    private int length()
    {
        final long n = integer(marker());
        if (n < 0 || n > bytes.length - position)
        {
            throw error("length " + n + " exceeds the " + (bytes.length - position) + " byte(s) that remain");
        }
        return (int)n;
    }

    private String string()
    {
        final int n = length();
        final String s = new String(bytes, position, n, StandardCharsets.UTF_8);
        position += n;
        return s;
    }

    private JsonNode value(final byte m, final int depth)
    {
        switch (m)
        {
            case 'Z':
                return factory.nullNode();
            case 'T':
                return factory.booleanNode(true);
            case 'F':
                return factory.booleanNode(false);
            case 'i':
            case 'U':
            case 'I':
            case 'l':
                return factory.numberNode((int)integer(m));
            case 'L':
                return factory.numberNode(integer(m));
            case 'd':
                return factory.numberNode(Float.intBitsToFloat((int)readBigEndian(4)));
            case 'D':
                return factory.numberNode(Double.longBitsToDouble(readBigEndian(8)));
            case 'H':
            {
                final String text = string();
                try
                {
                    return factory.numberNode(new BigDecimal(text));
                }
                catch (final NumberFormatException ex)
                {
                    throw error("high-precision number '" + text + "' is not a decimal");
                }
            }
            case 'C':
                need(1);
                return factory.textNode(String.valueOf((char)(bytes[position++] & 0xFF)));
            case 'S':
                return factory.textNode(string());
            case '[':
                return array(depth + 1);
            case '{':
                return object(depth + 1);
            default:
                position--;
                throw error("unexpected marker " + describe(m));
        }
    }

    private static String describe(final byte m)
    {
        return m >= 0x20 && m < 0x7F ? "'" + (char)m + "'" : String.format("0x%02x", m & 0xFF);
    }

    private void checkDepth(final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw error("containers nested deeper than " + MAX_DEPTH);
        }
    }

    /** Element type after '$' (0 when absent) and count after '#' (-1 when absent) of a container. */
    private long[] header()
    {
        long type = 0;
        long count = -1;
        if (position < bytes.length && bytes[position] == '$')
        {
            position++;
            need(1);
            type = bytes[position++];
            if (type == 'N' || type == '[' || type == '{')
            {
                position--;
                throw error("container element type " + describe((byte)type) + " is not supported");
            }
            need(1);
            if (bytes[position] != '#')
            {
                throw error("a typed container ('$') must declare its count ('#')");
            }
        }
        if (position < bytes.length && bytes[position] == '#')
        {
            position++;
            count = integer(marker());
            if (count < 0)
            {
                throw error("negative container count " + count);
            }
            final long minBytes = type == 'Z' || type == 'T' || type == 'F' ? 0 : count;
            need(minBytes);
        }
        return new long[]{type, count};
    }

    private JsonNode array(final int depth)
    {
        checkDepth(depth);
        final long[] header = header();
        final byte type = (byte)header[0];
        final long count = header[1];
        final ArrayNode array = factory.arrayNode();
        if (count >= 0)
        {
            for (long i = 0; i < count; i++)
            {
                array.add(value(type != 0 ? type : marker(), depth));
            }
            return array;
        }
        while (true)
        {
            final byte m = marker();
            if (m == ']')
            {
                return array;
            }
            array.add(value(m, depth));
        }
    }

    private JsonNode object(final int depth)
    {
        checkDepth(depth);
        final long[] header = header();
        final byte type = (byte)header[0];
        final long count = header[1];
        final ObjectNode object = factory.objectNode();
        if (count >= 0)
        {
            for (long i = 0; i < count; i++)
            {
                final String key = string();
                object.set(key, value(type != 0 ? type : marker(), depth));
            }
            return object;
        }
        while (true)
        {
            need(1);
            if (bytes[position] == '}')
            {
                position++;
                return object;
            }
            if (bytes[position] == 'N')
            {
                position++;
                continue;
            }
            final String key = string();
            object.set(key, value(marker(), depth));
        }
    }
}
