package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AotCacheNoticeTest {

    @Test
    void shouldSayNothingWithoutAnAotCache() {
        assertThat(AotCacheNotice.of(List.of("-Xmx512m", "-XX:AOTCacheOutput=worker.aot"),
                Runtime.Version.parse("25.0.3+9-LTS"))).isEmpty();
    }

    @Test
    void shouldWarnOnAJdkThatRunsAStaleCacheWithoutNoticing() {
        assertThat(AotCacheNotice.of(List.of("-XX:AOTCache=/app/old.aot", "-XX:AOTCache=/app/worker.aot"),
                Runtime.Version.parse("25.0.3+9-LTS"))).hasValueSatisfying(notice -> {
                    assertThat(notice.warning()).isTrue();
                    assertThat(notice.message()).startsWith("started with -XX:AOTCache=/app/worker.aot on JDK 25.0.3")
                            .contains("JDK-8377932", "same build as this jar");
                });
    }

    @Test
    void shouldOnlyInformOnAJdkThatRejectsAStaleCache() {
        for (String version : List.of("25.0.4", "25.0.4+7-LTS", "26", "27.0.1")) {
            assertThat(AotCacheNotice.of(List.of("-XX:AOTCache=worker.aot"), Runtime.Version.parse(version)))
                    .as(version).contains(new AotCacheNotice(false, "started with -XX:AOTCache=worker.aot"));
        }
    }
}
