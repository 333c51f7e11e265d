package io.decide.format;

import java.util.Arrays;

/**
 * The validated shape of one artifact: header fields and the section table as plain arrays, built once by
 * {@link ArtifactValidator}. Decisions resolve sections here at load and keep the offsets they need.
 */
public final class ArtifactLayout
{
    private final String name;
    private final long version;
    private final long createdMillis;
    private final int major;
    private final int minor;
    private final int fileLength;
    private final int[] types;
    private final int[] sectionVersions;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] crcs;
    private final int[] ordinals;
    private final int fileCrc;
    private final Object[] decoded;
    private boolean signed;
    private boolean signatureVerified;

    ArtifactLayout(
        final String name,
        final long version,
        final long createdMillis,
        final int major,
        final int minor,
        final int fileLength,
        final int fileCrc,
        final int[] types,
        final int[] sectionVersions,
        final int[] offsets,
        final int[] lengths,
        final int[] crcs)
    {
        this.name = name;
        this.version = version;
        this.createdMillis = createdMillis;
        this.major = major;
        this.minor = minor;
        this.fileLength = fileLength;
        this.fileCrc = fileCrc;
        this.types = types;
        this.sectionVersions = sectionVersions;
        this.offsets = offsets;
        this.lengths = lengths;
        this.crcs = crcs;
        this.ordinals = new int[types.length];
        this.decoded = new Object[types.length];
        for (int i = 0; i < types.length; i++)
        {
            int ordinal = 0;
            for (int j = 0; j < i; j++)
            {
                if (types[j] == types[i])
                {
                    ordinal++;
                }
            }
            ordinals[i] = ordinal;
        }
    }

    void decoded(final int index, final Object value)
    {
        decoded[index] = value;
    }

    /**
     * What the section's validator built while checking it (e.g. the {@code TreeEnsemble} of a GBDT_ENSEMBLE), so
     * the engine need not decode the section a second time.
     *
     * @param index section table index.
     * @return the decoded form, or null when the validator keeps none.
     */
    public Object decoded(final int index)
    {
        return decoded[index];
    }

    void signature(final boolean signed, final boolean verified)
    {
        this.signed = signed;
        this.signatureVerified = verified;
    }

    /** @return artifact name. */
    public String name()
    {
        return name;
    }

    /** @return artifact version. */
    public long version()
    {
        return version;
    }

    /** @return creation time, epoch milliseconds. */
    public long createdMillis()
    {
        return createdMillis;
    }

    /** @return format major version. */
    public int major()
    {
        return major;
    }

    /** @return format minor version. */
    public int minor()
    {
        return minor;
    }

    /** @return file length in bytes. */
    public int fileLength()
    {
        return fileLength;
    }

    /** @return the whole-file CRC32C. */
    public int fileCrc()
    {
        return fileCrc;
    }

    /** @return whether the artifact carries a SIGNATURE section. */
    public boolean signed()
    {
        return signed;
    }

    /** @return whether that signature was verified against a trusted key. */
    public boolean signatureVerified()
    {
        return signatureVerified;
    }

    /** @return number of sections. */
    public int sectionCount()
    {
        return types.length;
    }

    /**
     * @param index section table index.
     * @return section type id.
     */
    public int sectionType(final int index)
    {
        return types[index];
    }

    /**
     * @param index section table index.
     * @return section layout version.
     */
    public int sectionVersion(final int index)
    {
        return sectionVersions[index];
    }

    /**
     * @param index section table index.
     * @return file offset of the section.
     */
    public int sectionOffset(final int index)
    {
        return offsets[index];
    }

    /**
     * @param index section table index.
     * @return section length.
     */
    public int sectionLength(final int index)
    {
        return lengths[index];
    }

    /**
     * @param index section table index.
     * @return stored CRC32C of the section.
     */
    public int sectionCrc(final int index)
    {
        return crcs[index];
    }

    /**
     * @param index section table index.
     * @return ordinal of the section among sections of its type, in table order.
     */
    public int sectionOrdinal(final int index)
    {
        return ordinals[index];
    }

    /**
     * Table index of the {@code ordinal}-th section of a type.
     *
     * @param type    section type id.
     * @param ordinal 0 for the first section of that type.
     * @return the table index, or -1 if there is no such section.
     */
    public int indexOf(final int type, final int ordinal)
    {
        for (int i = 0; i < types.length; i++)
        {
            if (types[i] == type && ordinals[i] == ordinal)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param type section type id.
     * @return how many sections of that type the artifact has.
     */
    public int count(final int type)
    {
        int count = 0;
        for (final int t : types)
        {
            if (t == type)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * @param index section table index.
     * @return "TYPE #ordinal" for messages.
     */
    public String label(final int index)
    {
        return SectionType.name(types[index]) + " #" + ordinals[index];
    }

    @Override
    public String toString()
    {
        return "ArtifactLayout{name=" + name + ", version=" + version + ", sections=" + Arrays.toString(types) + '}';
    }
}
