package io.decide.format;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.decide.format.ArtifactBytes.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * METADATA sections ({@link MetadataValidator}) and the JSON syntax check behind them ({@link JsonSyntax}).
 */
final class MetadataTest
{
    private static final String LABEL = "METADATA #0";

    private static byte[] artifact(final byte[] json)
    {
        return SampleArtifacts.single(SectionType.METADATA, 1, json);
    }

    private static byte[] artifact(final String json)
    {
        return artifact(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertObject(final String json)
    {
        assertNull(JsonSyntax.checkObject(json, MetadataValidator.MAX_DEPTH), json);
    }

    private static String assertNotObject(final String json, final String expectedError)
    {
        final String error = JsonSyntax.checkObject(json, MetadataValidator.MAX_DEPTH);
        assertNotNull(error, () -> "accepted: " + json);
        assertTrue(error.contains(expectedError), () -> json + " -> " + error);
        return error;
    }

    @Test
    void readsBackTheMetadataBytes()
    {
        final byte[] bytes = SampleArtifacts.full();
        final ArtifactLayout layout = validate(bytes);
        final int index = layout.indexOf(SectionType.METADATA, 0);
        assertEquals(SampleArtifacts.METADATA, Utf8.decodeStrict(new UnsafeBuffer(bytes), layout.sectionOffset(index),
            layout.sectionLength(index)));
    }

    @Test
    void acceptsJsonObjects()
    {
        for (final String json : new String[]{
            "{}", " \t\r\n{ }\n", "{\"a\":1}", "{\"a\" : [1, -2.5, 3e10, 4E-3, -0, 0.0, 1e+2, true, false, null]}",
            "{\"nested\":{\"deeper\":{\"list\":[[],[{}],[[[]]]]}}}", "{\"esc\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}",
            "{\"u\":\"\\u00e9\\uD83D\\ude00\\uFFFF\"}", "{\"utf8\":\"\u00e9\u4e2d\ud83d\ude00\"}", "{\"\":\"\"}",
            "{\"dup\":1,\"dup\":2}", "{\"del\":\"\u007f\"}", "{\"big\":123456789012345678901234567890}"})
        {
            assertObject(json);
            validate(artifact(json));
        }
    }

    @Test
    void refusesWhatIsNotExactlyOneJsonObject()
    {
        assertEquals("expected '{' at character 0", assertNotObject("", "expected '{'"));
        assertNotObject("[1]", "expected '{' at character 0");
        assertNotObject("  \"s\"", "expected '{' at character 2");
        assertNotObject("null", "expected '{'");
        assertNotObject("\ufeff{}", "expected '{' at character 0");
        assertEquals("unexpected content at character 3", assertNotObject("{} {}", "unexpected content"));
        assertNotObject("{}x", "unexpected content at character 2");
        assertNotObject("{", "expected '\"' at character 1");
        assertNotObject("{\"a\":1", "expected '}' at character 6");
        assertNotObject("{\"a\" 1}", "expected ':' at character 5");
        assertNotObject("{a:1}", "expected '\"' at character 1");
        assertNotObject("{'a':1}", "expected '\"'");
        assertNotObject("{\"a\":1,}", "expected '\"' at character 7");
        assertNotObject("{,}", "expected '\"'");
        assertNotObject("{\"a\":[1,]}", "expected a value at character 8");
        assertNotObject("{\"a\":[1 2]}", "expected ']'");
        assertNotObject("{\"a\":}", "expected a value");
        assertNotObject("{\"a\":undefined}", "expected a value");
        assertNotObject("{\"a\":tru}", "expected 'true'");
        assertNotObject("{\"a\":nul}", "expected 'null'");
        assertNotObject("{\"a\":falsey}", "expected '}'");
        assertNotObject("{\"a\":NaN}", "expected a value");
        assertNotObject("{\"a\":Infinity}", "expected a value");
    }

    @Test
    void refusesBadNumbers()
    {
        assertNotObject("{\"a\":01}", "expected '}' at character 6");
        assertNotObject("{\"a\":-}", "bad number");
        assertNotObject("{\"a\":+1}", "expected a value");
        assertNotObject("{\"a\":.5}", "expected a value");
        assertNotObject("{\"a\":1.}", "bad fraction at character 7");
        assertNotObject("{\"a\":1.e5}", "bad fraction");
        assertNotObject("{\"a\":1e}", "bad exponent");
        assertNotObject("{\"a\":1e+}", "bad exponent");
        assertNotObject("{\"a\":0x10}", "expected '}'");
        assertNotObject("{\"a\":1e5.3}", "expected '}'");
    }

    @Test
    void refusesBadStrings()
    {
        assertNotObject("{\"a\":\"x}", "unterminated string");
        assertNotObject("{\"a\":\"tab\there\"}", "control character in string");
        assertNotObject("{\"a\":\"nl\nx\"}", "control character in string at character 9");
        assertNotObject("{\"a\":\"\u0000\"}", "control character");
        assertNotObject("{\"a\":\"\\x\"}", "bad escape");
        assertNotObject("{\"a\":\"\\'\"}", "bad escape");
        assertNotObject("{\"a\":\"\\u12G4\"}", "bad \\u escape");
        assertNotObject("{\"a\":\"\\u12\"}", "bad \\u escape");
        assertNotObject("{\"a\":\"\\", "bad escape");
        assertNotObject("{\"a\":\"\\u", "bad \\u escape");
    }

    @Test
    void limitsNestingDepth()
    {
        final int max = MetadataValidator.MAX_DEPTH;
        assertObject(nested(max));
        assertNotObject(nested(max + 1), "nesting deeper than 64");
        assertNull(JsonSyntax.checkObject("{\"a\":[]}", 2));
        assertNotNull(JsonSyntax.checkObject("{\"a\":[[]]}", 2));
        assertNotNull(JsonSyntax.checkObject("{\"a\":{}}", 1));
        validate(artifact(nested(max)));
        final byte[] deep = artifact(nested(max + 1));
        assertRefused(deep, LABEL, sectionOffset(deep, 0), "metadata is not a JSON object: nesting deeper than 64");
    }

    /** An object, then arrays and objects alternating, {@code depth} containers deep in all. */
    private static String nested(final int depth)
    {
        final StringBuilder open = new StringBuilder("{\"k\":");
        final StringBuilder close = new StringBuilder("}");
        for (int d = 2; d <= depth; d++)
        {
            open.append(d % 2 == 0 ? "[" : "{\"k\":");
            close.insert(0, d % 2 == 0 ? "]" : "}");
        }
        return open.append("0").append(close).toString();
    }

    @Test
    void refusesMetadataThatIsNotUtf8()
    {
        final byte[] latin1 = artifact("{\"a\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(latin1, LABEL, sectionOffset(latin1, 0), "metadata is not valid UTF-8");
        final byte[] surrogate = artifact(new byte[]{'{', '"', (byte)0xED, (byte)0xB0, (byte)0x80, '"', ':', '1', '}'});
        assertRefused(surrogate, LABEL, sectionOffset(surrogate, 0), "metadata is not valid UTF-8");
    }

    @Test
    void refusesMetadataThatIsNotAJsonObject()
    {
        for (final String json : new String[]{"", "[]", "{\"a\":1,}", "{} trailing", "\ufeff{}"})
        {
            final byte[] bytes = artifact(json);
            assertRefused(bytes, LABEL, sectionOffset(bytes, 0), "metadata is not a JSON object: ");
        }
        final byte[] bytes = artifact("{\"a\" 1}");
        assertEquals("metadata is not a JSON object: expected ':' at character 5",
            assertRefused(bytes, LABEL, sectionOffset(bytes, 0), "expected ':'").reason());
    }

    @Test
    void acceptsRandomGeneratedObjects()
    {
        final java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 500; i++)
        {
            final StringBuilder json = new StringBuilder();
            randomObject(random, json, 0);
            assertObject(json.toString());
        }
    }

    private static void randomObject(final java.util.Random random, final StringBuilder out, final int depth)
    {
        out.append('{');
        final int n = random.nextInt(4);
        for (int i = 0; i < n; i++)
        {
            out.append(i > 0 ? "," : "").append(random.nextBoolean() ? " " : "").append("\"k").append(i)
                .append("\\n\u00e9\":");
            randomValue(random, out, depth + 1);
        }
        out.append('}');
    }

    private static void randomValue(final java.util.Random random, final StringBuilder out, final int depth)
    {
        switch (random.nextInt(depth < 4 ? 8 : 6))
        {
            case 0 -> out.append(random.nextInt() - 1000);
            case 1 -> out.append(random.nextGaussian() * 1e300);
            case 2 -> out.append('"').append("s\\\"\\u0041\u4e2d").append('"');
            case 3 -> out.append(random.nextBoolean());
            case 4 -> out.append("null");
            case 5 -> out.append(random.nextLong()).append("e-").append(random.nextInt(300));
            case 6 -> randomObject(random, out, depth);
            default ->
            {
                out.append('[');
                final int n = random.nextInt(3);
                for (int i = 0; i < n; i++)
                {
                    out.append(i > 0 ? ", " : "");
                    randomValue(random, out, depth + 1);
                }
                out.append(']');
            }
        }
    }
}
