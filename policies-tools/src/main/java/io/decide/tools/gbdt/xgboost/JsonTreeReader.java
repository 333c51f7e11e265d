package io.decide.tools.gbdt.xgboost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * XGBoost's JSON into a Jackson tree the way XGBoost's own reader sees it: every number with a fraction or an
 * exponent is a float parsed from its decimal text ({@code Float.parseFloat}, correctly rounded like XGBoost's
 * {@code from_chars}), so there is no double rounding and {@code -0E0} stays -0.0; {@code NaN} and
 * {@code Infinity} are accepted as XGBoost writes them. Numbers without either are integers.
 */
final class JsonTreeReader
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTreeReader()
    {
    }

    /**
     * @param bytes a JSON document.
     * @return its root value.
     * @throws IOException when it is not well-formed JSON (a {@code JacksonException} carries the location).
     */
    static JsonNode read(final byte[] bytes) throws IOException
    {
        try (JsonParser parser = FACTORY.createParser(bytes))
        {
            final JsonToken first = parser.nextToken();
            if (first == null)
            {
                throw new IOException("no JSON value");
            }
            final JsonNode root = value(parser, first);
            final JsonToken trailing = parser.nextToken();
            if (trailing != null)
            {
                throw new IOException("trailing " + trailing + " after the root value at " +
                    parser.currentTokenLocation());
            }
            return root;
        }
    }

    private static JsonNode value(final JsonParser parser, final JsonToken token) throws IOException
    {
        switch (token)
        {
            case START_OBJECT:
            {
                final ObjectNode object = NODES.objectNode();
                JsonToken next = parser.nextToken();
                while (next == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                    next = parser.nextToken();
                }
                return object;
            }
            case START_ARRAY:
            {
                final ArrayNode array = NODES.arrayNode();
                JsonToken next = parser.nextToken();
                while (next != JsonToken.END_ARRAY)
                {
                    array.add(value(parser, next));
                    next = parser.nextToken();
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType())
                {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default:
                        return NODES.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(Float.parseFloat(parser.getText()));
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + token + " at " + parser.currentTokenLocation());
        }
    }
}
