package io.billingworker.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Random;
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

    /** The encoding spelled out with BigInteger: the 17 least significant base62 digits of the hash. */
    @Test
    void shouldMatchTheBigIntegerDefinitionOfTheEncoding() throws Exception {
        String base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Random random = new Random(62);
        for (int i = 0; i < 2_000; i++) {
            String merchantId = "m" + random.nextInt(1_000);
            String eventId = Long.toString(random.nextLong(), Character.MAX_RADIX) + "-" + i;
            byte[] merchant = merchantId.getBytes(StandardCharsets.UTF_8);
            byte[] event = eventId.getBytes(StandardCharsets.UTF_8);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("billing-session-order-id:v1".getBytes(StandardCharsets.UTF_8));
            sha256.update(ByteBuffer.allocate(4).putInt(merchant.length).array());
            sha256.update(merchant);
            sha256.update(ByteBuffer.allocate(4).putInt(event.length).array());
            sha256.update(event);
            BigInteger hash = new BigInteger(1, sha256.digest());
            StringBuilder expected = new StringBuilder("bs_");
            for (int digit = 0; digit < 17; digit++) {
                expected.append(base62.charAt(hash.mod(BigInteger.valueOf(62)).intValue()));
                hash = hash.divide(BigInteger.valueOf(62));
            }

            assertThat(OrderIds.derive(merchantId, eventId)).isEqualTo(expected.toString());
        }
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
