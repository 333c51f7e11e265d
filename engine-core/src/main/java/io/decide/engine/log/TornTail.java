package io.decide.engine.log;

import java.nio.file.Path;

/**
 * Where an open (unsealed) segment stops being readable: the writer was killed while writing the record at
 * {@code offset}, or the file was cut there. Records before it were read; the bytes from it on were skipped.
 *
 * @param file         the segment file.
 * @param offset       byte offset of the first unreadable record.
 * @param skippedBytes bytes from {@code offset} to the end of the file.
 * @param reason       what the reader found there.
 */
public record TornTail(Path file, long offset, long skippedBytes, String reason)
{
    @Override
    public String toString()
    {
        return file + " torn at offset " + offset + " (" + skippedBytes + " bytes skipped): " + reason;
    }
}
