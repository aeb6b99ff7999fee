package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.CLOCK;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** return_url: https, a host name that is not an IP address, no query string, at most 255 characters. */
class ReturnUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://shop.merchant.com", "https://shop.merchant.com/billing/done",
        "https://shop.merchant.com:8443/x", "HTTPS://Shop.Merchant.com/", "https://1.com/", "https://a-b.in/x_y"})
    void shouldSendValidReturnUrls(String url) {
        assertThat(mapped(signup(s -> s.setReturnUrl(url))).request().body().get("return_url").asText())
                .isEqualTo(url);
    }

    static Stream<Arguments> rejectedUrls() {
        return Stream.of(
                rejected("BAD_FORMAT", "must be an absolute https URL", "http://shop.merchant.com",
                        "shop.merchant.com", "/done", "https:shop.merchant.com", "ftp://shop.merchant.com",
                        "https://shop merchant.com", "https://shop.merchant.com/\r\nX: 1", "javascript:alert(1)"),
                rejected("BAD_FORMAT", "must have a host name",
                        "https:///done", "https://sh_op.com/done", "https://:443/done"),
                rejected("NOT_ALLOWED", "must not use an IP address as host", "https://127.0.0.1/done",
                        "https://10.0.0.1./done", "https://127.1/done", "https://2130706433/done",
                        "https://0x7f.1/done", "https://[::1]/done", "https://[2001:db8::1]:8443/done",
                        "https://203.0.113.7:8443/done"),
                rejected("NOT_ALLOWED", "must not have a query string", "https://shop.merchant.com/done?order=1",
                        "https://shop.merchant.com/done?", "https://shop.merchant.com?x"),
                rejected("NOT_ALLOWED", "must not contain user information", "https://user:secret@shop.merchant.com/"),
                rejected("TOO_LONG", "must be at most 255 characters",
                        "https://shop.merchant.com/" + "p".repeat(256 - 26)))
                .flatMap(Function.identity());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedUrls")
    void shouldRejectReturnUrl(String url, Violation expected) {
        List<Violation> violations = violations(signup(s -> s.setReturnUrl(url)));

        assertThat(violations).containsExactly(expected);
    }

    @Test
    void shouldAcceptAUrlOf255Characters() {
        String url = "https://shop.merchant.com/" + "p".repeat(255 - 26);

        assertThat(mapped(signup(s -> s.setReturnUrl(url))).request().body().get("return_url").asText()).hasSize(255);
    }

    @Test
    void shouldRejectAnInvalidMerchantDefaultWhenTheEventHasNoUrl() {
        MerchantProfile merchant = new MerchantProfile("shop", "client", "http://shop.example.com", "REQUIRED", false);
        SubscriptionSignup signup = signup(s -> s.setMerchantId(null).setReturnUrl(null));

        MappingResult result = new SignupMapper(CLOCK).map(signup, MerchantDirectory.of(merchant, List.of()));

        assertThat(result).isInstanceOfSatisfying(MappingResult.Rejected.class, r ->
                assertThat(r.violations()).containsExactly(new Violation("return_url", "BAD_FORMAT",
                        "the merchant's default return URL must be an absolute https URL")));
    }

    @Test
    void shouldIgnoreAnInvalidMerchantDefaultWhenTheEventHasAUrl() {
        MerchantProfile merchant = new MerchantProfile("shop", "client", "http://shop.example.com", "REQUIRED", false);
        SubscriptionSignup signup = signup(s -> s.setMerchantId(null));

        MappingResult result = new SignupMapper(CLOCK).map(signup, MerchantDirectory.of(merchant, List.of()));

        assertThat(result).isInstanceOfSatisfying(MappingResult.Mapped.class, m ->
                assertThat(m.request().body().get("return_url").asText()).isEqualTo("https://shop.merchant.com"));
    }

    @Test
    void shouldOfferTheRuleToOtherCallers() {
        assertThat(ReturnUrls.check("merchants.shop.return-url", "https://shop.example.com/done")).isEmpty();
        assertThat(ReturnUrls.check("merchants.shop.return-url", "https://shop.example.com/done?x=1")).contains(
                new Violation("merchants.shop.return-url", "NOT_ALLOWED", "must not have a query string"));
    }

    private static Stream<Arguments> rejected(String code, String message, String... urls) {
        Violation expected = new Violation("return_url", code, message);
        return Stream.of(urls).map(url -> Arguments.of(url, expected));
    }
}
