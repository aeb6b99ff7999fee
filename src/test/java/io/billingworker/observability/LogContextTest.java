package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.intake.RecordProcessor;
import io.billingworker.outcome.DeadLetterReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @Test
    void shouldCarryTheRecordsPositionWhileProcessingAndClearItAfter() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        RecordProcessor processor = LogContext.around((record, hold) -> {
            seen.add(MDC.get(LogContext.RECORD));
            LogContext.putSignup("evt_1", "sub_1", "m1", "ord_1");
            return Outcomes.deadLetter("m1", DeadLetterReason.UNDECODABLE, 0);
        });

        processor.process(Outcomes.record(0, new byte[1]));

        assertThat(seen).containsExactly("signups-0@7");
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void shouldClearTheContextWhenProcessingThrows() {
        RecordProcessor processor = LogContext.around((record, hold) -> {
            LogContext.putSignup("evt_1", "sub_1", "m1", "ord_1");
            throw new InterruptedException("stopping");
        });

        assertThatThrownBy(() -> processor.process(Outcomes.record(0, new byte[1])))
                .isInstanceOf(InterruptedException.class);

        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void shouldCutLongValues() {
        LogContext.putSignup("e".repeat(500), null, "m1", null);

        assertThat(MDC.get(LogContext.EVENT_ID)).hasSize(LogContext.MAX_VALUE_LENGTH);
        assertThat(MDC.get(LogContext.SUBSCRIPTION_ID)).isNull();
        MDC.clear();
    }
}
