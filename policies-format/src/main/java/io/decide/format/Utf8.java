package io.decide.format;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding for validators: malformed input is an error, never replaced. Load-time only. */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * Decode bytes as UTF-8, refusing malformed or unmappable input.
     *
     * @param buffer source.
     * @param offset start.
     * @param length number of bytes.
     * @return the string, or null when the bytes are not valid UTF-8.
     */
    public static String decodeStrict(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }
}
