package io.decide.format.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.decide.format.schema.FeatureSchemaDescriptor.*;

/** Builds the bytes of a FEATURE_SCHEMA section. Feature indices are the order of {@link #add} calls. */
public final class FeatureSchemaWriter
{
    private record Feature(byte[] name, FeatureType type, MissingValue missing, double sentinel)
    {
    }

    private final List<Feature> features = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /**
     * Add a feature.
     *
     * @param name     unique name.
     * @param type     value type.
     * @param missing  missing-value convention.
     * @param sentinel sentinel for {@link MissingValue#SENTINEL}, ignored otherwise.
     * @return this.
     */
    public FeatureSchemaWriter add(
        final String name, final FeatureType type, final MissingValue missing, final double sentinel)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 1 || bytes.length > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("feature name must be 1.." + MAX_NAME_LENGTH + " UTF-8 bytes: " + name);
        }
        if (!names.add(name))
        {
            throw new IllegalArgumentException("duplicate feature name: " + name);
        }
        if (missing == MissingValue.SENTINEL && !Double.isFinite(sentinel))
        {
            throw new IllegalArgumentException("sentinel of " + name + " must be finite: " + sentinel);
        }
        features.add(new Feature(bytes, type, missing, missing == MissingValue.SENTINEL ? sentinel : 0.0));
        return this;
    }

    /**
     * Add a numeric feature whose missing value is NaN.
     *
     * @param name unique name.
     * @return this.
     */
    public FeatureSchemaWriter numeric(final String name)
    {
        return add(name, FeatureType.NUMERIC, MissingValue.NAN, 0.0);
    }

    /** @return number of features added. */
    public int size()
    {
        return features.size();
    }

    /** @return the section bytes. */
    public byte[] toBytes()
    {
        int poolLength = 0;
        for (final Feature f : features)
        {
            poolLength += f.name.length;
        }
        final int poolStart = ENTRIES_OFFSET + features.size() * ENTRY_LENGTH;
        final ByteBuffer out = ByteBuffer.allocate(poolStart + poolLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(FEATURE_COUNT_OFFSET, features.size());
        int nameOffset = poolStart;
        for (int i = 0; i < features.size(); i++)
        {
            final Feature f = features.get(i);
            final int entry = entryOffset(i);
            out.putInt(entry + ENTRY_NAME_OFFSET_OFFSET, nameOffset);
            out.putInt(entry + ENTRY_NAME_LENGTH_OFFSET, f.name.length);
            out.put(entry + ENTRY_TYPE_OFFSET, (byte)f.type.ordinal());
            out.put(entry + ENTRY_MISSING_OFFSET, (byte)f.missing.ordinal());
            out.putDouble(entry + ENTRY_SENTINEL_OFFSET, f.sentinel);
            out.put(nameOffset, f.name);
            nameOffset += f.name.length;
        }
        return out.array();
    }
}
