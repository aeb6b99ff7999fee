package io.billingworker.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerchantDirectoryTest {

    private static final MerchantProfile DEFAULT =
            new MerchantProfile("default_shop", "defaultclient", null, "REQUIRED", false);
    private static final MerchantProfile OTHER =
            new MerchantProfile("other_shop", "otherclient", "https://other.example.com", "OPTIONAL", true);

    @Test
    void shouldFindTheDefaultMerchantForNull() {
        MerchantDirectory directory = MerchantDirectory.of(DEFAULT, List.of(OTHER));

        assertThat(directory.find(null)).contains(DEFAULT);
    }

    @Test
    void shouldFindMerchantsById() {
        MerchantDirectory directory = MerchantDirectory.of(DEFAULT, List.of(OTHER));

        assertThat(directory.find("other_shop")).contains(OTHER);
        assertThat(directory.find("default_shop")).contains(DEFAULT);
    }

    @Test
    void shouldFindNothingForAnUnknownId() {
        MerchantDirectory directory = MerchantDirectory.of(DEFAULT, List.of(OTHER));

        assertThat(directory.find("Other_Shop")).isEmpty();
        assertThat(directory.find("")).isEmpty();
    }

    @Test
    void shouldAcceptTheDefaultMerchantRepeatedAmongTheOthers() {
        MerchantDirectory directory = MerchantDirectory.of(DEFAULT, List.of(DEFAULT, OTHER));

        assertThat(directory.find("default_shop")).contains(DEFAULT);
    }

    @Test
    void shouldRefuseTwoDifferentProfilesWithTheSameId() {
        MerchantProfile clash = new MerchantProfile("other_shop", "clashclient", null, "REQUIRED", false);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> MerchantDirectory.of(DEFAULT, List.of(OTHER, clash)))
                .withMessage("merchant id \"other_shop\" is configured twice");
    }
}
