package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    @AfterEach
    void dropScopes() {
        MockSchemaRegistry.drop("clients-test");
    }

    @Test
    void shouldShareTheMockRegistryOfAScope() {
        SchemaRegistryClient first = SchemaRegistryClients.forConfig(Map.of("schema.registry.url", "mock://clients-test"));

        SchemaRegistryClient second = SchemaRegistryClients.forConfig(Map.of("schema.registry.url", "mock://clients-test"));

        assertThat(first).isInstanceOf(MockSchemaRegistry.class).isSameAs(second)
                .isSameAs(MockSchemaRegistry.forScope("clients-test"));
    }

    @Test
    void shouldBuildRestClientForHttpUrlsWithoutRevealingCredentials() {
        try (SchemaRegistryClient client = SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "http://127.0.0.1:8081, https://registry.example/apis/ccompat/v7/",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "user:secret"))) {

            assertThat(client).isInstanceOf(RestSchemaRegistryClient.class)
                    .hasToString("RestSchemaRegistryClient[http://127.0.0.1:8081, https://registry.example/apis/ccompat/v7]");
        }
    }

    @Test
    void shouldTakeCredentialsFromTheUrlByDefaultAndStripThem() {
        try (SchemaRegistryClient client = SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "http://user:secret@127.0.0.1:8081/registry"))) {

            assertThat(client).hasToString("RestSchemaRegistryClient[http://127.0.0.1:8081/registry]");
        }
    }

    @Test
    void shouldRequireTheRegistryUrl() {
        assertThatThrownBy(() -> SchemaRegistryClients.forConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Missing required configuration \"schema.registry.url\" which has no default value.");
    }

    @Test
    void shouldRejectMockUrlMixedWithOthers() {
        assertThatThrownBy(() -> SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "mock://a,http://127.0.0.1:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value mock://a,http://127.0.0.1:8081 for configuration schema.registry.url: "
                        + "a mock:// URL cannot be combined with other URLs");
    }

    @Test
    void shouldRejectUrlWithoutHttpSchemeHidingItsCredentials() {
        assertThatThrownBy(() -> SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "ftp://user:secret@registry")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value ftp://[hidden]@registry for configuration schema.registry.url: "
                        + "expected http(s)://host[:port][/path] or mock://<scope>");
    }

    @Test
    void shouldRequireUserInfoWithUserInfoSource() {
        assertThatThrownBy(() -> SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "http://127.0.0.1:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "no-colon-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value [hidden] for configuration basic.auth.user.info: "
                        + "with basic.auth.credentials.source=USER_INFO it must be set to user:password");
    }

    @Test
    void shouldRejectUnsupportedCredentialsSource() {
        assertThatThrownBy(() -> SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "http://127.0.0.1:8081",
                "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value SASL_INHERIT for configuration basic.auth.credentials.source: "
                        + "String must be one of: URL, USER_INFO");
    }

    @Test
    void shouldRejectNonPositiveTimeout() {
        assertThatThrownBy(() -> SchemaRegistryClients.forConfig(Map.of(
                "schema.registry.url", "http://127.0.0.1:8081",
                "schema.registry.request.timeout.ms", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration schema.registry.request.timeout.ms: "
                        + "Value must be at least 1");
    }
}
