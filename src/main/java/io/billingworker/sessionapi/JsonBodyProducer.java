package io.billingworker.sessionapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * A request body of JSON bytes sent with a {@code Content-Length} (never chunked) and a constant
 * {@code Content-Type: application/json}. One instance serves one exchange: calls are never retried.
 */
final class JsonBodyProducer implements AsyncEntityProducer {

    static final String CONTENT_TYPE = "application/json";

    private final byte[] bytes;
    private final ByteBuffer remaining;

    JsonBodyProducer(byte[] bytes) {
        this.bytes = bytes;
        this.remaining = ByteBuffer.wrap(bytes);
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public long getContentLength() {
        return bytes.length;
    }

    @Override
    public String getContentType() {
        return CONTENT_TYPE;
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return false;
    }

    @Override
    public Set<String> getTrailerNames() {
        return null;
    }

    @Override
    public int available() {
        return remaining.remaining();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (remaining.hasRemaining()) {
            channel.write(remaining);
        }
        if (!remaining.hasRemaining()) {
            channel.endStream();
        }
    }

    @Override
    public void failed(Exception cause) {
        // The exchange reports the failure.
    }

    @Override
    public void releaseResources() {
        // Nothing held beyond the byte array.
    }
}
