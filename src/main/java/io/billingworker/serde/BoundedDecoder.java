package io.billingworker.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over one record's bytes that checks every length prefix against the bytes actually left
 * before allocating anything. Avro's own decoder allocates a declared string, bytes or collection size first
 * (up to 2 GiB), so a few garbage bytes could otherwise cost gigabytes of heap.
 *
 * <p>A block of array or map items may not declare more items than bytes remain: every Avro value takes at least one
 * byte except {@code null} and empty records, so only an array of those longer than the rest of the payload would
 * be refused.
 */
final class BoundedDecoder extends Decoder {

    private final ByteArrayInputStream in;
    private final Decoder binary;

    BoundedDecoder(byte[] data, int offset) {
        this.in = new ByteArrayInputStream(data, offset, data.length - offset);
        this.binary = DecoderFactory.get().directBinaryDecoder(in, null);
    }

    /** Bytes not consumed yet. */
    int remaining() {
        return in.available();
    }

    @Override
    public void readNull() throws IOException {
        binary.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return binary.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return binary.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return binary.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return binary.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return binary.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(readLengthPrefixed());
    }

    @Override
    public String readString() throws IOException {
        return new String(readLengthPrefixed(), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        skipLengthPrefixed();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthPrefixed());
    }

    @Override
    public void skipBytes() throws IOException {
        skipLengthPrefixed();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        binary.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        binary.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return binary.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkedCount(binary.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checkedCount(binary.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return checkedCount(binary.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return checkedCount(binary.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checkedCount(binary.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return checkedCount(binary.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return binary.readIndex();
    }

    private byte[] readLengthPrefixed() throws IOException {
        byte[] bytes = new byte[checkedLength(binary.readLong())];
        binary.readFixed(bytes, 0, bytes.length);
        return bytes;
    }

    private void skipLengthPrefixed() throws IOException {
        binary.skipFixed(checkedLength(binary.readLong()));
    }

    private int checkedLength(long length) throws EOFException {
        if (length < 0) {
            throw new AvroRuntimeException("negative length prefix");
        }
        if (length > in.available()) {
            throw new EOFException("length prefix beyond the end of the payload");
        }
        return (int) length;
    }

    private long checkedCount(long count) throws EOFException {
        if (count > in.available()) {
            throw new EOFException("item count beyond the end of the payload");
        }
        return count;
    }
}
