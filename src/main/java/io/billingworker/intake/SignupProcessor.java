package io.billingworker.intake;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.FailureReason;
import io.billingworker.avro.FieldError;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.mapping.MappingResult;
import io.billingworker.mapping.MerchantDirectory;
import io.billingworker.mapping.SessionRequest;
import io.billingworker.mapping.SignupMapper;
import io.billingworker.mapping.Violation;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.Outcome;
import io.billingworker.serde.SchemaRegistryUnavailableException;
import io.billingworker.serde.UndecodableRecordException;
import io.billingworker.sessionapi.ApiError;
import io.billingworker.sessionapi.CallBudget;
import io.billingworker.sessionapi.HttpResult;
import io.billingworker.sessionapi.MerchantCredentials;
import io.billingworker.sessionapi.SessionCallResult;
import io.billingworker.sessionapi.SessionGateway;
import io.billingworker.sessionapi.SessionResponse;
import io.billingworker.sessionapi.ThrottleReason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a signup record, validates and maps it, calls {@code /session} and turns the result into the record's
 * one outcome. Holds the record, through its {@link Hold} (without a concurrency permit), while the schema registry
 * is unreachable, the merchant's circuit breaker is open or its calls are throttled; a record whose hold bound
 * ({@code processing.max-hold-ms}) runs out is dead-lettered as {@code HELD_TOO_LONG} with its attempts and last
 * error.
 *
 * <p>Behind an open breaker, a record that made more attempts waits a little longer before it asks again, so the
 * breaker's half-open trial calls come from records that have not failed yet rather than from the same ones.
 *
 * <p>For a signup without an {@code order_id}, the order id the mapping derived is handed on right after mapping
 * (the worker puts it in the record's log context), so it is derived once per record.
 */
public final class SignupProcessor implements RecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(SignupProcessor.class);
    /** The longest single wait behind an open breaker: the record then asks again. */
    private static final Duration MAX_HOLD_STEP = Duration.ofSeconds(5);
    private static final Duration MIN_HOLD_STEP = Duration.ofMillis(50);
    /** While a breaker is half-open its trial calls are out: waiting records ask again after this. */
    private static final Duration HALF_OPEN_STEP = Duration.ofMillis(250);
    /** Extra wait behind an open breaker per attempt a record already made. */
    private static final Duration TRIAL_STAGGER = Duration.ofMillis(100);

    private final Deserializer<?> deserializer;
    private final SignupMapper mapper;
    private final MerchantDirectory merchants;
    private final Map<String, MerchantCredentials> credentials;
    private final SessionGateway gateway;
    private final Clock clock;
    private final Consumer<String> derivedOrderIds;

    /**
     * @param derivedOrderIds told, on the processing thread right after mapping, the order id derived for a signup
     *                        that brings none (not called when none could be derived)
     */
    public SignupProcessor(
            Deserializer<?> deserializer,
            SignupMapper mapper,
            MerchantDirectory merchants,
            Map<String, MerchantCredentials> credentials,
            SessionGateway gateway,
            Clock clock,
            Consumer<String> derivedOrderIds) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.merchants = Objects.requireNonNull(merchants, "merchants");
        this.credentials = Map.copyOf(credentials);
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.derivedOrderIds = Objects.requireNonNull(derivedOrderIds, "derivedOrderIds");
    }

    @Override
    public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
        if (record.value() == null || record.value().length == 0) {
            return new Outcome.DeadLetter(DeadLetterReason.EMPTY_VALUE, null,
                    record.value() == null ? "the record has no value (tombstone)" : "the record's value is empty",
                    null, 0, null);
        }
        SubscriptionSignup signup;
        try {
            signup = decode(record, hold);
        } catch (HeldTooLongException e) {
            return new Outcome.DeadLetter(DeadLetterReason.HELD_TOO_LONG, e.getClass().getName(), e.getMessage(),
                    null, 0, null);
        } catch (UndecodableRecordException e) {
            DeadLetterReason reason = switch (e.reason()) {
                case UNKNOWN_SCHEMA -> DeadLetterReason.UNKNOWN_SCHEMA;
                case INCOMPATIBLE_SCHEMA -> DeadLetterReason.SCHEMA_INCOMPATIBLE;
                default -> DeadLetterReason.UNDECODABLE;
            };
            return new Outcome.DeadLetter(reason, e.getClass().getName(), e.getMessage(), null, 0, null);
        } catch (SerializationException e) {
            return new Outcome.DeadLetter(DeadLetterReason.UNDECODABLE, e.getClass().getName(),
                    String.valueOf(e.getMessage()), null, 0, null);
        }
        String key = outcomeKey(signup, record);
        MappingResult mapping = mapper.map(signup, merchants);
        if (signup.getOrderId() == null && mapping.orderId() != null) {
            derivedOrderIds.accept(mapping.orderId());
        }
        return switch (mapping) {
            case MappingResult.Rejected rejected -> invalid(signup, key, rejected);
            case MappingResult.Mapped mapped -> call(signup, key, mapped, hold);
        };
    }

    private SubscriptionSignup decode(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
        long backoff = 200;
        while (true) {
            try {
                Object value = deserializer.deserialize(record.topic(), record.headers(), record.value());
                return toSignup(value);
            } catch (SchemaRegistryUnavailableException e) {
                log.warn("schema registry unavailable while decoding {}-{}@{}; holding the record, retrying in {} ms: {}",
                        record.topic(), record.partition(), record.offset(), backoff, e.getMessage());
                try {
                    hold.await(Duration.ofMillis(backoff));
                } catch (HeldTooLongException held) {
                    throw new HeldTooLongException(held.bound(), "the schema registry stayed unreachable: "
                            + e.getMessage());
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private static SubscriptionSignup toSignup(Object value) {
        if (value instanceof SubscriptionSignup signup) {
            return signup;
        }
        if (value instanceof GenericRecord generic && generic.getSchema().getFullName()
                .equals(SubscriptionSignup.getClassSchema().getFullName())) {
            return (SubscriptionSignup) SpecificData.get().deepCopy(SubscriptionSignup.getClassSchema(), generic);
        }
        String type = value == null ? "null"
                : value instanceof GenericRecord generic ? generic.getSchema().getFullName()
                : value.getClass().getName();
        throw new SerializationException("expected a SubscriptionSignup record, got " + type);
    }

    private Outcome call(SubscriptionSignup signup, String key, MappingResult.Mapped mapped, Hold hold)
            throws InterruptedException {
        SessionRequest request = mapped.request();
        MerchantCredentials merchant = credentials.get(request.merchantId());
        if (merchant == null) {
            return new Outcome.DeadLetter(DeadLetterReason.MISSING_CREDENTIALS, null,
                    "no API key configured for merchant " + request.merchantId(), null, 0, request.merchantId());
        }
        CallBudget budget = gateway.newBudget();
        String waitingFor = null;
        try {
            while (true) {
                SessionCallResult result = gateway.call(request, merchant, budget, hold::await);
                int attempts = budget.attempts();
                switch (result) {
                    case SessionCallResult.Created created -> {
                        return created(signup, key, request, created.response(), attempts, mapped.warnings());
                    }
                    case SessionCallResult.Rejected rejected -> {
                        return apiRejected(signup, key, request, rejected.error(), attempts, mapped.warnings());
                    }
                    case SessionCallResult.DeadLetter dead -> {
                        DeadLetterReason reason = switch (dead.reason()) {
                            case RETRIES_EXHAUSTED -> DeadLetterReason.RETRIES_EXHAUSTED;
                            case AUTH_FAILED -> DeadLetterReason.AUTH_FAILED;
                            case INVALID_RESPONSE -> DeadLetterReason.INVALID_RESPONSE;
                            case UNEXPECTED_REDIRECT -> DeadLetterReason.UNEXPECTED_REDIRECT;
                        };
                        return new Outcome.DeadLetter(reason, dead.exceptionClass(), dead.message(),
                                dead.lastHttpStatus(), attempts, request.merchantId());
                    }
                    case SessionCallResult.BreakerOpen open -> {
                        waitingFor = "merchant " + open.merchantId() + "'s circuit breaker open";
                        hold.await(breakerWait(open.merchantId(), attempts));
                    }
                    case SessionCallResult.Throttled throttled -> {
                        waitingFor = "merchant " + throttled.merchantId() + " throttled ("
                                + throttled.reason().name().toLowerCase(java.util.Locale.ROOT) + ")";
                        hold.await(throttleWait(throttled));
                    }
                }
            }
        } catch (HeldTooLongException e) {
            return heldTooLong(request, budget, e, waitingFor);
        }
    }

    /** Until the breaker goes half-open, plus a stagger that lets records with fewer attempts make the trials. */
    private Duration breakerWait(String merchantId, int attempts) {
        Duration untilHalfOpen = gateway.untilBreakerRetry(merchantId);
        Duration base = untilHalfOpen.isZero() ? HALF_OPEN_STEP : untilHalfOpen;
        if (base.compareTo(MAX_HOLD_STEP) > 0) {
            base = MAX_HOLD_STEP;
        }
        return base.plus(TRIAL_STAGGER.multipliedBy(Math.min(attempts, 20)));
    }

    private Duration throttleWait(SessionCallResult.Throttled throttled) {
        Duration wait = throttled.reason() == ThrottleReason.SERVER_THROTTLED
                ? gateway.untilServerThrottleEnds(throttled.merchantId()) : MIN_HOLD_STEP;
        return wait.compareTo(MIN_HOLD_STEP) < 0 ? MIN_HOLD_STEP
                : wait.compareTo(MAX_HOLD_STEP) > 0 ? MAX_HOLD_STEP : wait;
    }

    private static Outcome heldTooLong(SessionRequest request, CallBudget budget, HeldTooLongException e,
            String waitingFor) {
        HttpResult.Retryable last = budget.lastFailure();
        StringBuilder message = new StringBuilder(e.getMessage());
        message.append(" after ").append(budget.attempts()).append(" attempt(s)");
        if (waitingFor != null) {
            message.append("; waiting for: ").append(waitingFor);
        }
        message.append("; last error: ").append(last == null ? "none" : last.message());
        return new Outcome.DeadLetter(DeadLetterReason.HELD_TOO_LONG,
                last == null ? e.getClass().getName() : last.exceptionClass(), message.toString(),
                last == null ? null : last.httpStatus(), budget.attempts(), request.merchantId());
    }

    private Outcome created(SubscriptionSignup signup, String key, SessionRequest request, SessionResponse response,
            int attempts, List<String> warnings) {
        BillingSessionCreated value = BillingSessionCreated.newBuilder()
                .setEventId(signup.getEventId())
                .setSubscriptionId(signup.getSubscriptionId())
                .setMerchantId(request.merchantId())
                .setOrderId(request.orderId())
                .setCustomerId(request.customerId())
                .setStatus(response.status() == null ? "UNKNOWN" : response.status())
                .setJuspayOrderId(response.juspayOrderId())
                .setPaymentLinkWeb(response.paymentLinkWeb())
                .setPaymentLinkExpiry(response.paymentLinkExpiry())
                .setUpiDeepLink(response.upiDeepLink())
                .setAuthenticationUrl(response.authenticationUrl())
                .setAuthenticationMethod(response.authenticationMethod())
                .setTxnId(response.txnId())
                .setTxnUuid(response.txnUuid())
                .setSdkPayloadJson(response.sdkPayloadJson())
                .setAttempts(attempts)
                .setWarnings(List.copyOf(warnings))
                .setCreatedAt(clock.instant())
                .build();
        return new Outcome.Created(key, value);
    }

    private Outcome apiRejected(SubscriptionSignup signup, String key, SessionRequest request, ApiError error,
            int attempts, List<String> warnings) {
        BillingSessionFailed value = BillingSessionFailed.newBuilder()
                .setEventId(signup.getEventId())
                .setSubscriptionId(signup.getSubscriptionId())
                .setMerchantId(request.merchantId())
                .setOrderId(request.orderId())
                .setCustomerId(request.customerId())
                .setReason(FailureReason.API_REJECTED)
                .setFieldErrors(List.of())
                .setHttpStatus(error.httpStatus())
                .setErrorCode(error.errorCode())
                .setErrorMessage(error.errorMessage())
                .setErrorInfo(error.errorInfoJson())
                .setAttempts(attempts)
                .setWarnings(List.copyOf(warnings))
                .setFailedAt(clock.instant())
                .build();
        return new Outcome.Failed(key, value);
    }

    private Outcome invalid(SubscriptionSignup signup, String key, MappingResult.Rejected rejected) {
        List<FieldError> errors = rejected.violations().stream()
                .map(SignupProcessor::fieldError)
                .toList();
        String customerId = signup.getCustomer() == null ? null : signup.getCustomer().getCustomerId();
        BillingSessionFailed value = BillingSessionFailed.newBuilder()
                .setEventId(nullToEmpty(signup.getEventId()))
                .setSubscriptionId(nullToEmpty(signup.getSubscriptionId()))
                .setMerchantId(rejected.merchantId())
                .setOrderId(rejected.orderId())
                .setCustomerId(customerId)
                .setReason(FailureReason.INVALID_EVENT)
                .setFieldErrors(errors)
                .setAttempts(0)
                .setWarnings(List.copyOf(rejected.warnings()))
                .setFailedAt(clock.instant())
                .build();
        return new Outcome.Failed(key, value);
    }

    private static FieldError fieldError(Violation violation) {
        return new FieldError(violation.field(), violation.code(), violation.message());
    }

    /** Outcomes are keyed by subscription id; the record's own key when the event has none. */
    private static String outcomeKey(SubscriptionSignup signup, ConsumerRecord<byte[], byte[]> record) {
        String subscriptionId = signup.getSubscriptionId();
        if (subscriptionId != null && !subscriptionId.isEmpty()) {
            return subscriptionId;
        }
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
