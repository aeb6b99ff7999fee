package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.CLOCK;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

    @ParameterizedTest
    @ValueSource(strings = {"http://shop.merchant.com", "shop.merchant.com", "/done", "https:shop.merchant.com",
        "ftp://shop.merchant.com", "https://shop merchant.com", "https://shop.merchant.com/\r\nX: 1",
        "javascript:alert(1)"})
    void shouldRejectUrlsThatAreNotAbsoluteHttps(String url) {
        List<Violation> violations = violations(signup(s -> s.setReturnUrl(url)));

        assertThat(violations).containsExactly(
                new Violation("return_url", "BAD_FORMAT", "must be an absolute https URL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https:///done", "https://sh_op.com/done", "https://:443/done"})
    void shouldRejectUrlsWithoutAHostName(String url) {
        List<Violation> violations = violations(signup(s -> s.setReturnUrl(url)));

        assertThat(violations).containsExactly(new Violation("return_url", "BAD_FORMAT", "must have a host name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/done", "https://10.0.0.1./done", "https://127.1/done",
        "https://2130706433/done", "https://0x7f.1/done", "https://[::1]/done", "https://[2001:db8::1]:8443/done",
        "https://203.0.113.7:8443/done"})
    void shouldRejectIpAddressHosts(String url) {
        List<Violation> violations = violations(signup(s -> s.setReturnUrl(url)));

        assertThat(violations).containsExactly(
                new Violation("return_url", "NOT_ALLOWED", "must not use an IP address as host"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://shop.merchant.com/done?order=1", "https://shop.merchant.com/done?",
        "https://shop.merchant.com?x"})
    void shouldRejectQueryStrings(String url) {
        List<Violation> violations = violations(signup(s -> s.setReturnUrl(url)));

        assertThat(violations).containsExactly(
                new Violation("return_url", "NOT_ALLOWED", "must not have a query string"));
    }

    @Test
    void shouldRejectUserInformation() {
        List<Violation> violations = violations(signup(s -> s.setReturnUrl("https://user:secret@shop.merchant.com/")));

        assertThat(violations).containsExactly(
                new Violation("return_url", "NOT_ALLOWED", "must not contain user information"));
    }

    @Test
    void shouldAcceptAUrlOf255Characters() {
        String url = "https://shop.merchant.com/" + "p".repeat(255 - 26);

        assertThat(mapped(signup(s -> s.setReturnUrl(url))).request().body().get("return_url").asText()).hasSize(255);
    }

    @Test
    void shouldRejectAUrlLongerThan255Characters() {
        String url = "https://shop.merchant.com/" + "p".repeat(256 - 26);

        List<Violation> violations = violations(signup(s -> s.setReturnUrl(url)));

        assertThat(violations).containsExactly(
                new Violation("return_url", "TOO_LONG", "must be at most 255 characters"));
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
}
