package io.billingworker.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderIdsTest {

    /** Vectors fixed once and checked against an independent implementation of the same encoding. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mandate_juspay | evt-0001                             | bs_jn63fASaaaU1pDdPt",
        "other_shop     | evt-0001                             | bs_Q93mUjAidvrPgcLwE",
        "mandate_juspay | evt-0002                             | bs_TdT0jWZ2qZgA1iKq3",
        "mandate_juspay | 3f1c1a52-8c39-4b8e-9e0b-7d7f8f3b1e2a | bs_46Lo4hgXVmUtqrBv8",
        "商户           | événement                            | bs_LAVAPnu1zTWtaLFLK",
    })
    void shouldDeriveTheSameIdOnEveryJvm(String merchantId, String eventId, String expected) {
        String orderId = OrderIds.derive(merchantId, eventId);

        assertThat(orderId).isEqualTo(expected);
    }

    @Test
    void shouldEncodeBothInputsUnambiguously() {
        String first = OrderIds.derive("ab", "c");
        String second = OrderIds.derive("a", "bc");

        assertThat(first).isEqualTo("bs_t26JXjGxNksn1fkND");
        assertThat(second).isEqualTo("bs_1QmhCk40iD8OhOzAb");
    }

    @Test
    void shouldAlwaysDeriveAValidJuspayOrderId() {
        Set<String> ids = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            ids.add(OrderIds.derive("merchant-" + (i % 7), "event-" + i));
        }

        assertThat(ids).hasSize(10_000).allSatisfy(id -> {
            assertThat(id).hasSize(20).matches("bs_[0-9A-Za-z]{17}");
            assertThat(OrderIds.isValid(id)).isTrue();
        });
    }

    @Test
    void shouldDeriveAValidIdFromEmptyInputs() {
        String orderId = OrderIds.derive("", "");

        assertThat(orderId).isEqualTo("bs_8wJJxbeP54D61scZ4");
    }

    @Test
    void shouldRefuseNullInputs() {
        assertThatNullPointerException().isThrownBy(() -> OrderIds.derive(null, "e")).withMessage("merchantId");
        assertThatNullPointerException().isThrownBy(() -> OrderIds.derive("m", null)).withMessage("eventId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "1777379785", "order-id_98765801234", "A-Z_a-z_0-9"})
    void shouldAcceptValidOrderIds(String orderId) {
        assertThat(OrderIds.isValid(orderId)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "order-id_987658012345", "order id", "order.id", "ordér", "order\n"})
    void shouldRejectInvalidOrderIds(String orderId) {
        assertThat(OrderIds.isValid(orderId)).isFalse();
    }
}
