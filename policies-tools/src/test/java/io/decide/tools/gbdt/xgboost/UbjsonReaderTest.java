package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.decide.tools.gbdt.ModelImportException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UBJSON reader on hand-built documents: every marker, container form, and malformed input. */
class UbjsonReaderTest
{
    /** Big-endian UBJSON writer for the tests. */
    private static final class Doc
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Doc raw(final String markers) throws IOException
        {
            out.writeBytes(markers);
            return this;
        }

        Doc i8(final int v) throws IOException
        {
            out.writeByte(v);
            return this;
        }

        Doc i16(final int v) throws IOException
        {
            out.writeShort(v);
            return this;
        }

        Doc i32(final int v) throws IOException
        {
            out.writeInt(v);
            return this;
        }

        Doc i64(final long v) throws IOException
        {
            out.writeLong(v);
            return this;
        }

        Doc f32(final float v) throws IOException
        {
            out.writeFloat(v);
            return this;
        }

        Doc f64(final double v) throws IOException
        {
            out.writeDouble(v);
            return this;
        }

        /** A key or string body: length as 'L' int64, then UTF-8 (XGBoost's form). */
        Doc key(final String s) throws IOException
        {
            final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            raw("L").i64(utf8.length);
            out.write(utf8);
            return this;
        }

        byte[] bytes()
        {
            return bytes.toByteArray();
        }
    }

    private static JsonNode read(final Doc doc)
    {
        return UbjsonReader.read(doc.bytes(), "test.ubj");
    }

    @Test
    void readsEveryScalarMarker() throws IOException
    {
        final Doc doc = new Doc().raw("{")
            .key("z").raw("Z")
            .key("t").raw("T")
            .key("f").raw("F")
            .key("i").raw("i").i8(-5)
            .key("u").raw("U").i8(200)
            .key("s16").raw("I").i16(-300)
            .key("s32").raw("l").i32(70000)
            .key("s64").raw("L").i64(1L << 40)
            .key("f32").raw("d").f32(-0.0f)
            .key("f64").raw("D").f64(0.1)
            .key("c").raw("C").i8('x')
            .key("str").raw("S").raw("i").i8(3).raw("abc")
            .key("hp").raw("H").raw("U").i8(4).raw("1.25")
            .raw("N")
            .raw("}");
        final JsonNode node = read(doc);
        assertTrue(node.get("z").isNull());
        assertTrue(node.get("t").booleanValue());
        assertFalse(node.get("f").booleanValue());
        assertEquals(-5, node.get("i").intValue());
        assertEquals(200, node.get("u").intValue());
        assertEquals(-300, node.get("s16").intValue());
        assertEquals(70000, node.get("s32").intValue());
        assertEquals(1L << 40, node.get("s64").longValue());
        assertTrue(node.get("f32").isFloat());
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(node.get("f32").floatValue()));
        assertEquals(0.1, node.get("f64").doubleValue(), 0.0);
        assertEquals("x", node.get("c").textValue());
        assertEquals("abc", node.get("str").textValue());
        assertEquals("1.25", node.get("hp").decimalValue().toPlainString());
    }

    @Test
    void readsPlainCountedAndTypedContainers() throws IOException
    {
        final Doc doc = new Doc().raw("{")
            .key("plain").raw("[").raw("i").i8(1).raw("N").raw("S").raw("i").i8(1).raw("a").raw("]")
            .key("counted").raw("[#").raw("L").i64(2).raw("i").i8(7).raw("d").f32(1.5f)
            .key("floats").raw("[$d#").raw("L").i64(3).f32(0.5f).f32(-2.0f).f32(Float.MIN_VALUE)
            .key("bytes").raw("[$U#").raw("i").i8(2).i8(255).i8(0)
            .key("ints").raw("[$l#").raw("U").i8(2).i32(-1).i32(Integer.MAX_VALUE)
            .key("empty").raw("[#").raw("L").i64(0)
            .key("typedObject").raw("{$i#").raw("i").i8(2).key("a").i8(1).key("b").i8(-1)
            .key("countedObject").raw("{#").raw("i").i8(1).key("k").raw("T")
            .raw("}");
        final JsonNode node = read(doc);
        final ObjectMapper mapper = new ObjectMapper();
        assertEquals(mapper.readTree("[1, \"a\"]"), node.get("plain"));
        assertEquals(7, node.get("counted").get(0).intValue());
        assertEquals(1.5f, node.get("counted").get(1).floatValue());
        assertEquals(3, node.get("floats").size());
        assertEquals(Float.MIN_VALUE, node.get("floats").get(2).floatValue());
        assertEquals(255, node.get("bytes").get(0).intValue());
        assertEquals(Integer.MAX_VALUE, node.get("ints").get(1).intValue());
        assertEquals(0, node.get("empty").size());
        assertEquals(mapper.readTree("{\"a\": 1, \"b\": -1}"), node.get("typedObject"));
        assertTrue(node.get("countedObject").get("k").booleanValue());
    }

    @Test
    void malformedDocumentsAreRefusedWithAnOffset() throws IOException
    {
        assertRefused(new Doc().raw("{").key("a").raw("i"), "byte 12", "more byte");
        assertRefused(new Doc().raw("[$d#").raw("L").i64(1_000_000).f32(1), "byte", "more byte");
        assertRefused(new Doc().raw("[$d").raw("i").i8(1), "byte", "must declare its count");
        assertRefused(new Doc().raw("[X]"), "byte 1", "unexpected marker 'X'");
        assertRefused(new Doc().raw("[]").raw("i").i8(1), "byte 2", "trailing");
        assertRefused(new Doc().raw("{").raw("L").i64(-3), "byte", "length -3");
        assertRefused(new Doc().raw("[#").raw("d").f32(1), "byte", "integer marker");
        final Doc deep = new Doc();
        for (int i = 0; i < 300; i++)
        {
            deep.raw("[");
        }
        assertRefused(deep, "byte", "nested deeper than 256");
    }

    private static void assertRefused(final Doc doc, final String where, final String reason)
    {
        final ModelImportException ex = assertThrows(ModelImportException.class, () -> read(doc));
        assertEquals("test.ubj", ex.source());
        assertTrue(ex.where().startsWith("UBJSON " + where) || ex.where().contains(where), ex.where());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }

    @Test
    void formatIsRecognisedFromTheBytes()
    {
        assertTrue(XGBoostJsonImporter.isUbjson(new byte[]{'{', 'L', 0}));
        assertTrue(XGBoostJsonImporter.isUbjson(new byte[]{'{', 'i', 1, 'a'}));
        assertFalse(XGBoostJsonImporter.isUbjson("{\"learner\": {}}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(XGBoostJsonImporter.isUbjson("{ \"a\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(XGBoostJsonImporter.isUbjson("{\n}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(XGBoostJsonImporter.isUbjson("  {\"a\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(XGBoostJsonImporter.isUbjson(new byte[]{'{'}));
    }
}
