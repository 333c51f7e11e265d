package io.decide.engine.log;

import org.agrona.DirectBuffer;

import static io.decide.engine.log.DecisionLogDescriptor.ACTION_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.ACTION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.ARTIFACT_VERSION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.CRC_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.FEATURE_COUNT_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.FLAGS_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.KIND_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.LENGTH_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.NAME_ID_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.POSITION_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.PROPENSITY_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.RECORD_HEADER_LENGTH;
import static io.decide.engine.log.DecisionLogDescriptor.REQUEST_ID_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.TIME_OFFSET;
import static io.decide.engine.log.DecisionLogDescriptor.USER_ID_OFFSET;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Reads one decision record ({@link DecisionLogDescriptor}) in place. Accessors do not check;
 * {@link DecisionLogReader} validates the length and checksum before it hands a record out.
 */
public final class DecisionRecordFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    /** Creates an unwrapped flyweight; {@link #wrap} it before use. */
    public DecisionRecordFlyweight()
    {
    }

    /**
     * @param buffer buffer holding the record.
     * @param offset offset of the record start.
     * @return this.
     */
    public DecisionRecordFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return the wrapped buffer. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the offset of the record start. */
    public int offset()
    {
        return offset;
    }

    /** @return the record length in bytes, {@code 64 + 8K + 8F}. */
    public int length()
    {
        return buffer.getInt(offset + LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the stored CRC32C of bytes {@code [8, length)}, as an unsigned value. */
    public long crc()
    {
        return buffer.getInt(offset + CRC_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** @return the request id. */
    public long requestId()
    {
        return buffer.getLong(offset + REQUEST_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the user id. */
    public long userId()
    {
        return buffer.getLong(offset + USER_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** @return when the decision was made, nanoseconds since the Unix epoch. */
    public long timeEpochNanos()
    {
        return buffer.getLong(offset + TIME_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the version of the artifact that decided. */
    public long artifactVersion()
    {
        return buffer.getLong(offset + ARTIFACT_VERSION_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the artifact name's id in the segment's names table. */
    public int artifactNameId()
    {
        return buffer.getShort(offset + NAME_ID_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return the decision kind ({@link DecisionLogDescriptor#KIND_AD_SLOT}, ...). */
    public int kind()
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    /** @return the flags byte (0 in format 1.0). */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** @return K, the number of probabilities. */
    public int actionCount()
    {
        return buffer.getShort(offset + ACTION_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return F, the number of features (0 when features are not logged). */
    public int featureCount()
    {
        return buffer.getShort(offset + FEATURE_COUNT_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return the chosen action. */
    public int action()
    {
        return buffer.getInt(offset + ACTION_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the position (slot) the decision is for, 0-based; 0 for single-slot decisions. */
    public int position()
    {
        return buffer.getInt(offset + POSITION_OFFSET, LITTLE_ENDIAN);
    }

    /** @return the probability with which the chosen action was chosen. */
    public double propensity()
    {
        return buffer.getDouble(offset + PROPENSITY_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * @param action action index, 0 .. K-1.
     * @return the logging policy's probability of that action.
     */
    public double probability(final int action)
    {
        return buffer.getDouble(offset + RECORD_HEADER_LENGTH + 8 * action, LITTLE_ENDIAN);
    }

    /**
     * @param feature feature index, 0 .. F-1.
     * @return that feature's value.
     */
    public double feature(final int feature)
    {
        return buffer.getDouble(offset + RECORD_HEADER_LENGTH + 8 * actionCount() + 8 * feature, LITTLE_ENDIAN);
    }
}
