package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.avro.SubscriptionSignup;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    @Test
    void shouldAssignIdsFromOneAndReuseThemForTheSameSchema() {
        MockSchemaRegistry registry = new MockSchemaRegistry();

        int tiny = registry.register("a-value", TestRecords.TINY);
        int signup = registry.register("b-value", SubscriptionSignup.getClassSchema());
        int tinyAgain = registry.register("c-value", TestRecords.TINY);

        assertThat(tiny).isEqualTo(1);
        assertThat(signup).isEqualTo(2);
        assertThat(tinyAgain).isEqualTo(1);
        assertThat(registry.getById(2)).isEqualTo(SubscriptionSignup.getClassSchema());
        assertThat(registry.getId("c-value", TestRecords.TINY)).isEqualTo(1);
    }

    @Test
    void shouldNumberVersionsPerSubject() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("s-value", SubscriptionSignup.getClassSchema());

        int v2 = registry.register("s-value", TestRecords.signupWithOptional("campaign_code"));

        assertThat(registry.getLatest("s-value"))
                .isEqualTo(new RegisteredSchema("s-value", 2, v2, TestRecords.signupWithOptional("campaign_code")));
    }

    @Test
    void shouldShareAScopeUntilDropped() {
        MockSchemaRegistry.forScope("mock-test").register("t-value", TestRecords.TINY);

        MockSchemaRegistry.drop("mock-test");

        assertThatThrownBy(() -> MockSchemaRegistry.forScope("mock-test").getById(1))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("schema id 1 not found in registry");
        MockSchemaRegistry.drop("mock-test");
    }

    @Test
    void shouldNotFindSchemaUnderAnotherSubject() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("a-value", TestRecords.TINY);

        assertThatThrownBy(() -> registry.getId("b-value", TestRecords.TINY))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("schema not registered under subject 'b-value'");
    }
}
