package io.decide.format.scalars;

import org.agrona.DirectBuffer;

import static io.decide.format.scalars.CohortScalarsDescriptor.*;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * View of one bid block of a validated COHORT_SCALARS section; see {@link CohortScalarsDescriptor}. Accessors do no
 * checks. {@link #wrap(DirectBuffer, int)} takes the section offset; {@link #bid(int)} moves to a bid.
 */
public final class CohortScalarsFlyweight
{
    private DirectBuffer buffer;
    private int sectionOffset;
    private int offset;

    /**
     * @param buffer        artifact bytes.
     * @param sectionOffset file offset of the section; the view is positioned on bid index 0.
     * @return this.
     */
    public CohortScalarsFlyweight wrap(final DirectBuffer buffer, final int sectionOffset)
    {
        this.buffer = buffer;
        this.sectionOffset = sectionOffset;
        this.offset = sectionOffset + buffer.getInt(sectionOffset + directoryEntryOffset(0), LITTLE_ENDIAN);
        return this;
    }

    /** @return number of bids Q in the section. */
    public int bidCount()
    {
        return buffer.getInt(sectionOffset + BID_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param index bid index in the directory, 0..Q-1.
     * @return this, positioned on that bid.
     */
    public CohortScalarsFlyweight bid(final int index)
    {
        offset = sectionOffset + buffer.getInt(sectionOffset + directoryEntryOffset(index), LITTLE_ENDIAN);
        return this;
    }

    /** @return the bid id. */
    public int bidId()
    {
        return buffer.getInt(offset + BID_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** @return number of cohorts N. */
    public int cohortCount()
    {
        return buffer.getInt(offset + COHORT_COUNT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return {@link CohortScalarsDescriptor#INCREASING} or {@link CohortScalarsDescriptor#DECREASING}. */
    public int direction()
    {
        return buffer.getByte(offset + DIRECTION_OFFSET);
    }

    /** @return the solve method code. */
    public int method()
    {
        return buffer.getByte(offset + METHOD_OFFSET);
    }

    /** @return ordinal of the sensitivity model (a section of type {@link #modelKind()}), or -1. */
    public int modelOrdinal()
    {
        return buffer.getInt(offset + MODEL_ORDINAL_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @return {@link CohortScalarsDescriptor#MODEL_GBDT} (GBDT_ENSEMBLE) or
     *         {@link CohortScalarsDescriptor#MODEL_NETWORK} (DENSE_NETWORK).
     */
    public int modelKind()
    {
        return buffer.getInt(offset + MODEL_KIND_OFFSET, LITTLE_ENDIAN);
    }

    /** @return output index of the sensitivity model (GBDT raw margin or network output). */
    public int modelOutput()
    {
        return buffer.getInt(offset + MODEL_OUTPUT_OFFSET, LITTLE_ENDIAN);
    }

    /** @return lower bound l. */
    public double lower()
    {
        return buffer.getDouble(offset + LOWER_OFFSET, LITTLE_ENDIAN);
    }

    /** @return upper bound u. */
    public double upper()
    {
        return buffer.getDouble(offset + UPPER_OFFSET, LITTLE_ENDIAN);
    }

    /** @return scalar for unknown users. */
    public double defaultScalar()
    {
        return buffer.getDouble(offset + DEFAULT_SCALAR_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param index boundary index, 0..N-2.
     * @return the boundary.
     */
    public double boundary(final int index)
    {
        return buffer.getDouble(offset + boundaryOffset(index), LITTLE_ENDIAN);
    }

    /**
     * @param cohort cohort index, 0..N-1.
     * @return its scalar.
     */
    public double scalar(final int cohort)
    {
        return buffer.getDouble(offset + scalarOffset(cohortCount(), cohort), LITTLE_ENDIAN);
    }

    /**
     * Cohort of a sensitivity: the number of boundaries {@code <= s}, by binary search. NaN goes to cohort 0.
     *
     * @param sensitivity the user's sensitivity.
     * @return cohort index, 0..N-1.
     */
    public int cohortOf(final double sensitivity)
    {
        int lo = 0;
        int hi = cohortCount() - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (buffer.getDouble(offset + boundaryOffset(mid), LITTLE_ENDIAN) <= sensitivity)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
