package io.decide.sidecar.transport;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One client connection: its channel and fixed-size inbound and outbound buffers (allocated once, at accept). */
final class SocketConnection
{
    final SocketChannel channel;
    final SelectionKey key;
    final String peer;
    final ByteBuffer inBytes;
    final UnsafeBuffer in;
    final ByteBuffer outBytes;
    final UnsafeBuffer out;
    /** Bytes received and not yet dispatched: [inStart, inBytes.position()). */
    int inStart;
    /** When the bytes now pending were read. */
    long receivedNanos;
    boolean closing;
    boolean backPressured;

    SocketConnection(
        final SocketChannel channel, final SelectionKey key, final String peer, final int inCapacity,
        final int outCapacity)
    {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.inBytes = ByteBuffer.allocateDirect(inCapacity);
        this.in = new UnsafeBuffer(inBytes);
        this.outBytes = ByteBuffer.allocateDirect(outCapacity);
        this.out = new UnsafeBuffer(outBytes);
    }

    /** @return whether responses are waiting to be written. */
    boolean hasPendingOutput()
    {
        return outBytes.position() > 0;
    }
}
