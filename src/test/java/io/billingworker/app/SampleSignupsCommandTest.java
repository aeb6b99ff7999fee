package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SampleSignupsCommandTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void shouldCycleThroughTheFourSeedShapesWithUniqueIds() {
        SubscriptionSignup first = SampleSignupsCommand.sample("r1", 0, NOW);
        SubscriptionSignup second = SampleSignupsCommand.sample("r1", 1, NOW);
        SubscriptionSignup third = SampleSignupsCommand.sample("r1", 2, NOW);
        SubscriptionSignup fourth = SampleSignupsCommand.sample("r1", 3, NOW);

        assertThat(first.getPlan().getPlanAmount()).isNull();
        assertThat(first.getPlan().getPlanRuleValue()).isNull();
        assertThat(second.getPlan().getPlanRuleValue()).isEqualTo(1);
        assertThat(third.getPlan().getPlanAmount()).isEqualTo("20.0");
        assertThat(fourth.getPlan().getPlanAmount()).isEqualTo("20.0");
        assertThat(fourth.getPlan().getPlanRuleValue()).isEqualTo(1);
        assertThat(IntStream.range(0, 50).mapToObj(i -> SampleSignupsCommand.sample("r1", i, NOW).getEventId()))
                .doesNotHaveDuplicates();
        assertThat(first.getSubscriptionId()).isEqualTo("sub_r1_0");
    }

    @Test
    void shouldMakeEveryTenthSampleInvalid() {
        long invalid = IntStream.range(0, 100)
                .mapToObj(i -> SampleSignupsCommand.sample("r1", i, NOW))
                .filter(signup -> signup.getAmount().equals("1.001"))
                .count();

        assertThat(invalid).isEqualTo(10);
        assertThat(SampleSignupsCommand.sample("r1", 9, NOW).getAmount()).isEqualTo("1.001");
        assertThat(SampleSignupsCommand.sample("r1", 8, NOW).getAmount()).isEqualTo("1.0");
    }
}
