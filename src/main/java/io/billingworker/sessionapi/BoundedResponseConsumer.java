package io.billingworker.sessionapi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Collects one response on the I/O reactor: status, {@code Location}, {@code Retry-After} and the body up to
 * {@code maxBytes}. A body longer than that stops there ({@link ResponseBody.End#TOO_LONG}): the answer is complete
 * at once and the exchange then fails on purpose, so the connection is dropped rather than read on. When the
 * connection ends or breaks before the body does, {@link #brokenOff} gives what arrived
 * ({@link ResponseBody.End#CUT_SHORT}); a timeout while reading the body fails the exchange, as it did when the body
 * was read from a stream.
 *
 * <p>One instance serves one exchange. The reactor calls it from one thread at a time.
 */
final class BoundedResponseConsumer implements AsyncResponseConsumer<BoundedResponseConsumer.Answer> {

    /** What came back, not yet classified. */
    record Answer(int status, ResponseBody body, String location, String retryAfter) {
    }

    /** Thrown into the exchange once a body is longer than the limit: it drops the connection. */
    static final class BodyTooLongException extends IOException {
        BodyTooLongException(int maxBytes) {
            super("response body longer than " + maxBytes + " bytes: connection dropped");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL_CAPACITY = 16 * 1024;

    private final int maxBytes;
    private volatile boolean responseReceived;
    private FutureCallback<Answer> callback;
    private int status;
    private String location;
    private String retryAfter;
    private String contentType;
    private long announced;
    private byte[] buffer;
    private int length;
    private boolean done;

    BoundedResponseConsumer(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Whether a response head arrived (a failure before it means the server did not answer). */
    boolean responseReceived() {
        return responseReceived;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
            FutureCallback<Answer> resultCallback) {
        status = response.getCode();
        location = headerValue(response, HttpHeaders.LOCATION);
        retryAfter = headerValue(response, HttpHeaders.RETRY_AFTER);
        responseReceived = true;
        if (entity == null) {
            done = true;
            resultCallback.completed(new Answer(status,
                    ResponseBody.complete(EMPTY, headerValue(response, HttpHeaders.CONTENT_TYPE)), location,
                    retryAfter));
            return;
        }
        callback = resultCallback;
        contentType = entity.getContentType();
        announced = entity.getContentLength();
        // Sized to the announced length when there is one, so a typical 1-2 KB answer costs one right-sized array.
        int capacity = announced >= 0 && announced < maxBytes ? (int) announced : Math.min(maxBytes, INITIAL_CAPACITY);
        buffer = new byte[Math.max(capacity, 1)];
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx: nothing to keep.
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        // The limit is enforced in consume: no flow control beyond it.
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        if (done) {
            src.position(src.limit());
            return;
        }
        while (src.hasRemaining()) {
            if (length == buffer.length) {
                if (length >= maxBytes) {
                    finish(new ResponseBody(buffer, contentType, ResponseBody.End.TOO_LONG, announced));
                    src.position(src.limit());
                    throw new BodyTooLongException(maxBytes);
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) maxBytes, 2L * buffer.length));
            }
            int chunk = Math.min(src.remaining(), buffer.length - length);
            src.get(buffer, length, chunk);
            length += chunk;
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        if (!done) {
            byte[] bytes = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            finish(new ResponseBody(bytes, contentType, ResponseBody.End.COMPLETE, announced));
        }
    }

    @Override
    public void failed(Exception cause) {
        // The exchange's future fails with the cause; the caller asks brokenOff what arrived before it.
    }

    /**
     * What arrived before {@code cause} broke the exchange off inside the body ({@link ResponseBody.End#CUT_SHORT}),
     * or {@code null} when it failed before the body, after the answer was complete, or by a timeout (which stays a
     * failure, as it was when the body was read from a stream). Called once the exchange's future has failed.
     */
    Answer brokenOff(Throwable cause) {
        if (done || buffer == null || !(cause instanceof IOException) || cause instanceof InterruptedIOException) {
            return null;
        }
        return new Answer(status, new ResponseBody(Arrays.copyOf(buffer, length), contentType,
                ResponseBody.End.CUT_SHORT, announced), location, retryAfter);
    }

    @Override
    public void releaseResources() {
        callback = null;
    }

    private void finish(ResponseBody body) {
        done = true;
        FutureCallback<Answer> result = callback;
        if (result != null) {
            result.completed(new Answer(status, body, location, retryAfter));
        }
    }

    private static String headerValue(HttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }
}
