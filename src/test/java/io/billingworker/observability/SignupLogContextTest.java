package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.intake.RecordProcessor;
import io.billingworker.intake.SignupProcessor;
import io.billingworker.mapping.MerchantDirectory;
import io.billingworker.mapping.MerchantProfile;
import io.billingworker.mapping.OrderIds;
import io.billingworker.mapping.SignupMapper;
import io.billingworker.outcome.Outcome;
import io.billingworker.sessionapi.ApiKey;
import io.billingworker.sessionapi.HttpResult;
import io.billingworker.sessionapi.MerchantCredentials;
import io.billingworker.sessionapi.ResilienceSettings;
import io.billingworker.sessionapi.SessionApi;
import io.billingworker.sessionapi.SessionGateway;
import io.billingworker.sessionapi.SessionResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The log context of a signup processed the way the worker wires it: the order id in it during the {@code /session}
 * call is the request's, whether the event brings one or the mapping derives it.
 */
class SignupLogContextTest {

    private static final String MERCHANT = "m_default";

    /** What the {@code /session} call saw: the log context's order id, then the request's. */
    private final List<String> atCall = new ArrayList<>();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void shouldLogTheCallWithTheDerivedOrderIdOfTheRequestWhenTheEventBringsNone() throws InterruptedException {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, Instant.now());

        Outcome outcome = processor(signup).process(Outcomes.record(0, new byte[] {0, 0, 0, 0, 1, 2}));

        String derived = OrderIds.derive(MERCHANT, "evt_1");
        assertThat(atCall).containsExactly(derived, derived);
        assertThat(((Outcome.Created) outcome).value().getOrderId()).isEqualTo(derived);
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void shouldLogTheCallWithTheEventsOwnOrderId() throws InterruptedException {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, Instant.now());
        signup.setOrderId("ord_given");

        Outcome outcome = processor(signup).process(Outcomes.record(0, new byte[] {0, 0, 0, 0, 1, 2}));

        assertThat(atCall).containsExactly("ord_given", "ord_given");
        assertThat(((Outcome.Created) outcome).value().getOrderId()).isEqualTo("ord_given");
    }

    private RecordProcessor processor(SubscriptionSignup signup) {
        Deserializer<Object> decoding = (topic, data) -> signup;
        SessionApi api = (request, key) -> {
            atCall.add(MDC.get(LogContext.ORDER_ID));
            atCall.add(request.orderId());
            return new HttpResult.Success(200, new SessionResponse("NEW", "ordeh_1", request.orderId(),
                    "https://api.juspay.in/orders/ordeh_1/payment-page", null, null, null, null, null, null, "{}"));
        };
        MerchantProfile profile = new MerchantProfile(MERCHANT, "client_1", "https://shop.example/return",
                "REQUIRED", false);
        SignupProcessor processor = new SignupProcessor(new ObservedSignupDeserializer(decoding, MERCHANT),
                new SignupMapper(Clock.systemUTC()), MerchantDirectory.of(profile, List.of(profile)),
                Map.of(MERCHANT, new MerchantCredentials(MERCHANT, ApiKey.of("key_secret"))),
                SessionGateway.builder(api, ResilienceSettings.builder().build()).build(), Clock.systemUTC(),
                LogContext::putOrderId);
        return LogContext.around(processor);
    }
}
