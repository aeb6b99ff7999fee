package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeyTest {

    @Test
    void shouldBuildBasicAuthorizationFromKeyWithEmptyPassword() {
        ApiKey key = ApiKey.of(Fixtures.API_KEY_TEXT);

        String authorization = key.basicAuthorization();

        assertThat(authorization).isEqualTo(Fixtures.AUTHORIZATION);
    }

    @Test
    void shouldMaskKeyInToString() {
        ApiKey key = ApiKey.of(Fixtures.API_KEY_TEXT);

        String text = key.toString();

        assertThat(text).isEqualTo("ApiKey[****]");
    }

    @Test
    void shouldMaskKeyInMerchantCredentialsToString() {
        MerchantCredentials credentials = new MerchantCredentials("mandate_juspay", ApiKey.of(Fixtures.API_KEY_TEXT));

        String text = credentials.toString();

        assertThat(text).isEqualTo("MerchantCredentials[merchantId=mandate_juspay, apiKey=ApiKey[****]]");
    }

    @Test
    void shouldRejectKeyWithLineBreakWithoutEchoingIt() {
        String secret = "abcSECRET\r\nX-Injected: 1";

        assertThatThrownBy(() -> ApiKey.of(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey must not contain whitespace or control characters (position 9)")
                .message().doesNotContain("SECRET");
    }

    @Test
    void shouldRejectBlankKey() {
        assertThatThrownBy(() -> ApiKey.of("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey must not be blank");
    }

    @Test
    void shouldRejectOverlongKeyWithoutEchoingIt() {
        String secret = "k".repeat(513);

        assertThatThrownBy(() -> ApiKey.of(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey must be at most 512 characters, was 513 characters");
    }

    @Test
    void shouldCompareKeysByValue() {
        ApiKey first = ApiKey.of("key_one");
        ApiKey same = ApiKey.of("key_one");
        ApiKey other = ApiKey.of("key_two");

        boolean equal = first.equals(same);
        boolean different = first.equals(other);

        assertThat(equal).isTrue();
        assertThat(different).isFalse();
        assertThat(first).hasSameHashCodeAs(same);
    }
}
