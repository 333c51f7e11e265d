package io.decide.format.schema;

import org.agrona.DirectBuffer;
import org.agrona.collections.Object2IntHashMap;

/**
 * A FEATURE_SCHEMA section resolved at load: names to indices, types and missing-value conventions as arrays.
 * Decisions use indices only; names are for wiring callers and tools.
 */
public final class FeatureSchema
{
    private final String[] names;
    private final FeatureType[] types;
    private final MissingValue[] missing;
    private final double[] sentinels;
    private final Object2IntHashMap<String> indexByName;

    private FeatureSchema(
        final String[] names, final FeatureType[] types, final MissingValue[] missing, final double[] sentinels)
    {
        this.names = names;
        this.types = types;
        this.missing = missing;
        this.sentinels = sentinels;
        this.indexByName = new Object2IntHashMap<>(Math.max(8, names.length * 2), 0.65f, -1);
        for (int i = 0; i < names.length; i++)
        {
            indexByName.put(names[i], i);
        }
    }

    /**
     * Resolve a validated section.
     *
     * @param buffer artifact bytes.
     * @param offset file offset of the FEATURE_SCHEMA section.
     * @return the resolved schema.
     */
    public static FeatureSchema read(final DirectBuffer buffer, final int offset)
    {
        final FeatureSchemaFlyweight flyweight = new FeatureSchemaFlyweight().wrap(buffer, offset);
        final int count = flyweight.featureCount();
        final String[] names = new String[count];
        final FeatureType[] types = new FeatureType[count];
        final MissingValue[] missing = new MissingValue[count];
        final double[] sentinels = new double[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = flyweight.name(i);
            types[i] = FeatureType.fromCode(flyweight.typeCode(i));
            missing[i] = MissingValue.fromCode(flyweight.missingCode(i));
            sentinels[i] = flyweight.sentinel(i);
        }
        return new FeatureSchema(names, types, missing, sentinels);
    }

    /** @return number of features. */
    public int size()
    {
        return names.length;
    }

    /**
     * @param name feature name.
     * @return its index, or -1 when the schema has no such feature.
     */
    public int indexOf(final String name)
    {
        return indexByName.getValue(name);
    }

    /**
     * @param index feature index.
     * @return its name.
     */
    public String name(final int index)
    {
        return names[index];
    }

    /**
     * @param index feature index.
     * @return its type.
     */
    public FeatureType type(final int index)
    {
        return types[index];
    }

    /**
     * @param index feature index.
     * @return its missing-value convention.
     */
    public MissingValue missing(final int index)
    {
        return missing[index];
    }

    /**
     * @param index feature index.
     * @return its sentinel (0 unless the convention is SENTINEL).
     */
    public double sentinel(final int index)
    {
        return sentinels[index];
    }
}
