package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.junit.jupiter.api.Test;

/** The body limit, a body broken off and the answer's headers, fed to the consumer as the I/O reactor would. */
class BoundedResponseConsumerTest {

    private static final int LIMIT = 1024;

    private final Outcome outcome = new Outcome();

    @Test
    void shouldCollectACompleteBodyInOneRightSizedArray() throws Exception {
        byte[] body = "{\"status\":\"NEW\"}".getBytes(StandardCharsets.UTF_8);
        BoundedResponseConsumer consumer = started(200, body.length, "application/json");

        consumer.consume(ByteBuffer.wrap(body, 0, 5));
        consumer.consume(ByteBuffer.wrap(body, 5, body.length - 5));
        consumer.streamEnd(null);

        BoundedResponseConsumer.Answer answer = outcome.single();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).satisfies(read -> {
            assertThat(read.bytes()).isEqualTo(body);
            assertThat(read.end()).isEqualTo(ResponseBody.End.COMPLETE);
            assertThat(read.contentType()).isEqualTo("application/json");
            assertThat(read.announcedLength()).isEqualTo(body.length);
        });
        assertThat(outcome.failures).isEmpty();
    }

    @Test
    void shouldCollectABodyOfUnknownLengthAcrossManyChunks() throws Exception {
        byte[] body = new byte[LIMIT - 1];
        Arrays.fill(body, (byte) 'x');
        BoundedResponseConsumer consumer = started(200, -1, "application/json");

        for (int i = 0; i < body.length; i += 100) {
            consumer.consume(ByteBuffer.wrap(body, i, Math.min(100, body.length - i)));
        }
        consumer.streamEnd(null);

        assertThat(outcome.single().body().bytes()).isEqualTo(body);
        assertThat(outcome.single().body().end()).isEqualTo(ResponseBody.End.COMPLETE);
        assertThat(outcome.single().body().announcedLength()).isEqualTo(-1);
    }

    @Test
    void shouldAcceptABodyOfExactlyTheLimit() throws Exception {
        byte[] body = new byte[LIMIT];
        BoundedResponseConsumer consumer = started(200, LIMIT, "application/json");

        consumer.consume(ByteBuffer.wrap(body));
        consumer.streamEnd(null);

        assertThat(outcome.single().body().end()).isEqualTo(ResponseBody.End.COMPLETE);
        assertThat(outcome.single().body().bytes()).hasSize(LIMIT);
    }

    @Test
    void shouldStopAtTheLimitAnswerAtOnceAndFailTheExchangeSoTheConnectionIsDropped() throws Exception {
        byte[] body = new byte[LIMIT * 4];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        BoundedResponseConsumer consumer = started(200, body.length, "application/json");
        ByteBuffer first = ByteBuffer.wrap(body, 0, LIMIT - 10);
        ByteBuffer second = ByteBuffer.wrap(body, LIMIT - 10, 100);

        consumer.consume(first);
        assertThat(outcome.answers).isEmpty();
        assertThatThrownBy(() -> consumer.consume(second))
                .isInstanceOf(BoundedResponseConsumer.BodyTooLongException.class);

        assertThat(second.hasRemaining()).isFalse();
        assertThat(outcome.single().body()).satisfies(read -> {
            assertThat(read.end()).isEqualTo(ResponseBody.End.TOO_LONG);
            assertThat(read.bytes()).hasSize(LIMIT).isEqualTo(Arrays.copyOf(body, LIMIT));
            assertThat(read.announcedLength()).isEqualTo(body.length);
        });
        // The exchange fails with that exception next: the answer stands, nothing more is read.
        consumer.failed(new BoundedResponseConsumer.BodyTooLongException(LIMIT));
        consumer.consume(ByteBuffer.wrap(body));
        consumer.streamEnd(null);
        assertThat(outcome.answers).hasSize(1);
        assertThat(outcome.failures).isEmpty();
        assertThat(consumer.brokenOff(new ConnectionClosedException("closed"))).isNull();
    }

    @Test
    void shouldStopAnUnannouncedEndlessBodyAtTheLimit() throws Exception {
        BoundedResponseConsumer consumer = started(200, -1, "application/json");
        byte[] chunk = new byte[300];

        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                consumer.consume(ByteBuffer.wrap(chunk));
            }
        }).isInstanceOf(BoundedResponseConsumer.BodyTooLongException.class);

        assertThat(outcome.single().body().end()).isEqualTo(ResponseBody.End.TOO_LONG);
        assertThat(outcome.single().body().bytes()).hasSize(LIMIT);
    }

    @Test
    void shouldGiveWhatArrivedWhenTheConnectionEndsInsideTheBody() throws Exception {
        BoundedResponseConsumer consumer = started(200, 100, "application/json");

        consumer.consume(ByteBuffer.wrap("{\"status\":".getBytes(StandardCharsets.UTF_8)));
        ConnectionClosedException cause =
                new ConnectionClosedException("Premature end of Content-Length delimited message body");
        consumer.failed(cause);

        assertThat(outcome.answers).isEmpty();
        assertThat(consumer.brokenOff(cause).body()).satisfies(read -> {
            assertThat(read.end()).isEqualTo(ResponseBody.End.CUT_SHORT);
            assertThat(new String(read.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":");
            assertThat(read.announcedLength()).isEqualTo(100);
            assertThat(read.describe()).startsWith("content type application/json, 10 bytes of 100 announced");
        });
    }

    @Test
    void shouldGiveWhatArrivedWhenTheConnectionIsResetInsideTheBody() throws Exception {
        BoundedResponseConsumer consumer = started(200, -1, null);

        consumer.consume(ByteBuffer.wrap(new byte[7]));
        SocketException reset = new SocketException("Connection reset");
        consumer.failed(reset);

        assertThat(consumer.brokenOff(reset).status()).isEqualTo(200);
        assertThat(consumer.brokenOff(reset).body().end()).isEqualTo(ResponseBody.End.CUT_SHORT);
        assertThat(consumer.brokenOff(reset).body().bytes()).hasSize(7);
    }

    @Test
    void shouldLeaveATimeoutInsideTheBodyToTheExchange() throws Exception {
        BoundedResponseConsumer consumer = started(200, 100, "application/json");

        consumer.consume(ByteBuffer.wrap(new byte[7]));
        SocketTimeoutException timeout = new SocketTimeoutException("3000 MILLISECONDS");
        consumer.failed(timeout);

        assertThat(outcome.answers).isEmpty();
        assertThat(consumer.brokenOff(timeout)).isNull();
    }

    @Test
    void shouldAnswerAtOnceWhenThereIsNoBodyAndKeepLocationAndRetryAfter() throws Exception {
        BoundedResponseConsumer consumer = new BoundedResponseConsumer(LIMIT);
        BasicHttpResponse response = new BasicHttpResponse(302);
        response.addHeader("Location", "https://elsewhere.example/session");
        response.addHeader("Retry-After", "7");

        consumer.consumeResponse(response, null, null, outcome);

        BoundedResponseConsumer.Answer answer = outcome.single();
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).isEqualTo("https://elsewhere.example/session");
        assertThat(answer.retryAfter()).isEqualTo("7");
        assertThat(answer.body().bytes()).isEmpty();
        assertThat(answer.body().end()).isEqualTo(ResponseBody.End.COMPLETE);
        assertThat(consumer.responseReceived()).isTrue();
    }

    @Test
    void shouldTellWhetherAResponseArrivedBeforeAFailure() {
        BoundedResponseConsumer consumer = new BoundedResponseConsumer(LIMIT);

        consumer.failed(new ConnectionClosedException("Connection closed by peer"));

        assertThat(consumer.responseReceived()).isFalse();
        assertThat(outcome.answers).isEmpty();
        assertThat(consumer.brokenOff(new ConnectionClosedException("closed"))).isNull();
        assertThat(SessionApiClient.ioFailure(new ConnectionClosedException("closed"), consumer))
                .isInstanceOf(org.apache.hc.core5.http.NoHttpResponseException.class)
                .hasMessage("The target server failed to respond");
    }

    @Test
    void shouldMapAsyncFailuresToTheExceptionsTheBlockingClientThrew() {
        BoundedResponseConsumer consumer = new BoundedResponseConsumer(LIMIT);

        assertThat(IoFailures.classify(SessionApiClient.ioFailure(
                new java.util.concurrent.TimeoutException("Deadline: 2026-12-03T12:00:00.000+0000"), consumer), Fixtures.API_KEY))
                .satisfies(result -> {
                    assertThat(result.kind()).isEqualTo(FailureKind.TIMEOUT);
                    assertThat(result.exceptionClass())
                            .isEqualTo("org.apache.hc.core5.http.ConnectionRequestTimeoutException");
                });
        assertThat(SessionApiClient.ioFailure(new org.apache.hc.core5.http.ProtocolException("bad status line"),
                consumer)).isInstanceOf(org.apache.hc.client5.http.ClientProtocolException.class)
                .hasMessage("bad status line");
        SocketTimeoutException timeout = new SocketTimeoutException("30 SECONDS");
        assertThat(SessionApiClient.ioFailure(timeout, consumer)).isSameAs(timeout);
        assertThatThrownBy(() -> SessionApiClient.ioFailure(new IllegalArgumentException("bug"), consumer))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSendTheRequestBodyWithALengthAndAConstantContentType() throws Exception {
        byte[] body = "{\"order_id\":\"ord_1\"}".getBytes(StandardCharsets.UTF_8);
        JsonBodyProducer producer = new JsonBodyProducer(body);

        assertThat(producer.getContentLength()).isEqualTo(body.length);
        assertThat(producer.isChunked()).isFalse();
        assertThat(producer.getContentType()).isEqualTo("application/json");
        assertThat(producer.available()).isEqualTo(body.length);
        // The same header a library producer would announce for this content type.
        assertThat(producer.getContentType()).isEqualTo(
                new BasicAsyncEntityProducer(body, ContentType.create("application/json")).getContentType());
    }

    private BoundedResponseConsumer started(int status, long contentLength, String contentType) throws IOException {
        BoundedResponseConsumer consumer = new BoundedResponseConsumer(LIMIT);
        BasicHttpResponse response = new BasicHttpResponse(status);
        consumer.consumeResponse(response, new org.apache.hc.core5.http.impl.BasicEntityDetails(contentLength,
                contentType == null ? null : ContentType.parse(contentType)), null, outcome);
        return consumer;
    }

    /** Records what the consumer hands to the exchange's future. */
    private static final class Outcome implements FutureCallback<BoundedResponseConsumer.Answer> {
        final List<BoundedResponseConsumer.Answer> answers = new ArrayList<>();
        final List<Exception> failures = new ArrayList<>();

        BoundedResponseConsumer.Answer single() {
            assertThat(answers).hasSize(1);
            return answers.getFirst();
        }

        @Override
        public void completed(BoundedResponseConsumer.Answer result) {
            answers.add(result);
        }

        @Override
        public void failed(Exception ex) {
            failures.add(ex);
        }

        @Override
        public void cancelled() {
            failures.add(new java.util.concurrent.CancellationException());
        }
    }
}
