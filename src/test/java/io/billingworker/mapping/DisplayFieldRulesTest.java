package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.withCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** first_name, last_name and description: invalid values are left out with a warning, not rejected. */
class DisplayFieldRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"John", "O.Neil", "Smith-Jones", "J_(Jr)", "X1"})
    void shouldSendValidNames(String name) {
        MappingResult.Mapped result = mapped(withCustomer(c -> c.setFirstName(name).setLastName(name)));

        assertThat(result.warnings()).isEmpty();
        assertThat(result.request().body().get("first_name").asText()).isEqualTo(name);
        assertThat(result.request().body().get("last_name").asText()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mary Ann", "O'Neil", "José", "J@ne", "John\n"})
    void shouldLeaveOutAFirstNameWithOtherCharacters(String name) {
        MappingResult.Mapped result = mapped(withCustomer(c -> c.setFirstName(name)));

        assertThat(result.warnings())
                .containsExactly("customer.first_name left out: may contain only letters, digits and ().-_");
        assertThat(result.request().body().has("first_name")).isFalse();
        assertThat(result.request().body().get("last_name").asText()).isEqualTo("wick");
    }

    @Test
    void shouldLeaveOutALastNameLongerThan255Characters() {
        MappingResult.Mapped result = mapped(withCustomer(c -> c.setLastName("w".repeat(256))));

        assertThat(result.warnings()).containsExactly("customer.last_name left out: longer than 255 characters");
        assertThat(result.request().body().has("last_name")).isFalse();
    }

    @Test
    void shouldSendANameOf255Characters() {
        MappingResult.Mapped result = mapped(withCustomer(c -> c.setLastName("w".repeat(255))));

        assertThat(result.warnings()).isEmpty();
        assertThat(result.request().body().get("last_name").asText()).hasSize(255);
    }

    @Test
    void shouldSendADescriptionOf255CharactersOfAnyKind() {
        String description = "Complete your payment: ₹1 today, then monthly! ".repeat(6).substring(0, 255);

        MappingResult.Mapped result = mapped(signup(s -> s.setDescription(description)));

        assertThat(result.warnings()).isEmpty();
        assertThat(result.request().body().get("description").asText()).isEqualTo(description);
    }

    @Test
    void shouldLeaveOutADescriptionLongerThan255Characters() {
        MappingResult.Mapped result = mapped(signup(s -> s.setDescription("d".repeat(256))));

        assertThat(result.warnings()).containsExactly("description left out: longer than 255 characters");
        assertThat(result.request().body().has("description")).isFalse();
    }
}
