package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.violations;
import static io.billingworker.mapping.SignupFixtures.withCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** customer.email, customer.phone and customer.mobile_country_code. */
class ContactRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"test@mail.com", "a.b+c@x-y.co.in", "o'neil@mail.com", "x{y}|z~#$%&*/=?^-@mail.com",
        "a_b.c@mail.com", "1@2.io"})
    void shouldAcceptValidEmails(String email) {
        assertThat(mapped(withCustomer(c -> c.setEmail(email))).request().body().get("customer_email").asText())
                .isEqualTo(email);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "@mail.com        ; must be a local part and a domain joined by one @",
        "test             ; must be a local part and a domain joined by one @",
        "a@b@mail.com     ; must be a local part and a domain joined by one @",
        "test@            ; must be a local part and a domain joined by one @",
        "te st@mail.com   ; the local part may contain only letters, digits and !#$%&'*+-/=?^_.{|}~",
        "tést@mail.com    ; the local part may contain only letters, digits and !#$%&'*+-/=?^_.{|}~",
        "a(b)@mail.com    ; the local part may contain only letters, digits and !#$%&'*+-/=?^_.{|}~",
        "_test@mail.com   ; the local part must not start or end with _ or .",
        "test_@mail.com   ; the local part must not start or end with _ or .",
        ".test@mail.com   ; the local part must not start or end with _ or .",
        "test.@mail.com   ; the local part must not start or end with _ or .",
        "test@mail        ; the domain must be two or more dot-separated labels of letters, digits and -",
        "test@mail..com   ; the domain must be two or more dot-separated labels of letters, digits and -",
        "test@-mail.com   ; the domain must be two or more dot-separated labels of letters, digits and -",
        "test@mail_x.com  ; the domain must be two or more dot-separated labels of letters, digits and -",
        "test@.mail.com   ; the domain must be two or more dot-separated labels of letters, digits and -",
        "test@mail.com.   ; the domain must be two or more dot-separated labels of letters, digits and -",
    })
    void shouldRejectMalformedEmails(String email, String message) {
        List<Violation> violations = violations(withCustomer(c -> c.setEmail(email)));

        assertThat(violations).containsExactly(new Violation("customer.email", "BAD_FORMAT", message));
    }

    @Test
    void shouldAcceptAnEmailOf300Characters() {
        String email = "a".repeat(291) + "@mail.com";

        assertThat(mapped(withCustomer(c -> c.setEmail(email))).request().body().get("customer_email").asText())
                .hasSize(300);
    }

    @Test
    void shouldRejectAnEmailLongerThan300Characters() {
        List<Violation> violations = violations(withCustomer(c -> c.setEmail("a".repeat(292) + "@mail.com")));

        assertThat(violations).containsExactly(
                new Violation("customer.email", "TOO_LONG", "must be at most 300 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9876543210", "02212345678", "1"})
    void shouldAcceptDigitPhones(String phone) {
        assertThat(mapped(withCustomer(c -> c.setPhone(phone))).request().body().get("customer_phone").asText())
                .isEqualTo(phone);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+919876543210", "98765 43210", "98765-43210", "(022)1234", "९८७६५४३२१०"})
    void shouldRejectPhonesWithOtherThanDigits(String phone) {
        List<Violation> violations = violations(withCustomer(c -> c.setPhone(phone)));

        assertThat(violations).containsExactly(new Violation("customer.phone", "BAD_FORMAT",
                "must contain digits only, without + or a country code"));
    }

    @Test
    void shouldRejectAPhoneLongerThan300Characters() {
        List<Violation> violations = violations(withCustomer(c -> c.setPhone("9".repeat(301))));

        assertThat(violations).containsExactly(
                new Violation("customer.phone", "TOO_LONG", "must be at most 300 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"91", "65", "1"})
    void shouldAcceptDigitCountryCodes(String code) {
        assertThat(mapped(withCustomer(c -> c.setMobileCountryCode(code))).request().body()
                .get("mobile_country_code").asText()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+91", "9 1", "IN"})
    void shouldRejectCountryCodesWithOtherThanDigits(String code) {
        List<Violation> violations = violations(withCustomer(c -> c.setMobileCountryCode(code)));

        assertThat(violations).containsExactly(new Violation("customer.mobile_country_code", "BAD_FORMAT",
                "must contain digits only, without a leading +"));
    }

    @Test
    void shouldRejectACountryCodeLongerThan64Characters() {
        List<Violation> violations = violations(withCustomer(c -> c.setMobileCountryCode("1".repeat(65))));

        assertThat(violations).containsExactly(
                new Violation("customer.mobile_country_code", "TOO_LONG", "must be at most 64 characters"));
    }
}
