package io.billingworker.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes the {@code /session} body of a validated event as UTF-8 JSON: flat dotted keys in the order of
 * docs/contract.md, "Request body", and one nested {@code payment_rules} object. A field whose source is null, empty
 * or left out by a rule is not written at all.
 *
 * <p>Every key is written at most once: the fixed keys are distinct, metadata keys are distinct and all start with
 * {@code metadata.}, and a udf key is one of {@code udf1} to {@code udf10}, because validation rejects any other.
 */
final class SessionBody {

    /**
     * Writes decimals such as {@code plan_amount} as plain digits, never in exponent notation. Jackson's default
     * buffer recycling is per thread, which a virtual thread per record defeats; a shared pool reuses the buffers.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** Large enough for a typical body in one block; a larger body grows the buffer. */
    private static final int FIRST_BLOCK_BYTES = 1_024;

    private SessionBody() {
    }

    /** The body as UTF-8 JSON bytes, keys in the order above. */
    static byte[] write(SubscriptionSignup signup, MerchantProfile merchant, String orderId, Findings findings) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(FIRST_BLOCK_BYTES);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            write(json, signup, merchant, orderId, findings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator json, SubscriptionSignup signup, MerchantProfile merchant,
                              String orderId, Findings findings) throws IOException {
        json.writeStartObject();
        json.writeStringField("order_id", orderId);
        json.writeStringField("amount", signup.getAmount());
        // Juspay's pages say currency should only be passed when enabled for the gateway, default INR, and its
        // billing samples send none: currency is sent only when it is not INR (docs/contract.md, "Juspay's pages
        // over our first draft").
        if (!AmountRules.isDefaultCurrency(signup.getCurrency())) {
            json.writeStringField("currency", signup.getCurrency());
        }
        writeCustomer(json, signup.getCustomer(), findings);
        writeOptional(json, "description", "description", signup.getDescription(), findings);
        json.writeStringField("payment_page_client_id", merchant.paymentPageClientId());
        json.writeStringField("action", "paymentPage");
        writeOptional(json, "return_url", "return_url", returnUrl(signup, merchant), findings);
        writeOptional(json, "gateway_id", "gateway_id", signup.getGatewayId(), findings);
        json.writeStringField("options.create_mandate", merchant.createMandate());
        json.writeBooleanField("options.get_upi_deep_links", merchant.getUpiDeepLinks());
        writeMandate(json, signup.getMandate(), findings);
        Map<String, String> metadata = SignupValidator.orEmpty(signup.getMetadata());
        for (String key : UdfRules.sortedMetadataKeys(metadata)) {
            String field = "metadata." + key;
            writeOptional(json, field, field, metadata.get(key), findings);
        }
        Map<String, String> udf = SignupValidator.orEmpty(signup.getUdf());
        for (String key : UdfRules.sortedKeys(udf)) {
            writeOptional(json, key, "udf." + key, udf.get(key), findings);
        }
        writePaymentRules(json, signup.getPlan());
        json.writeEndObject();
    }

    private static void writeCustomer(JsonGenerator json, Customer customer, Findings findings) throws IOException {
        // Sent even when empty: Juspay says a guest checkout's customer_id "should be an empty string"
        // (docs/contract.md, "Request body").
        json.writeStringField("customer_id", customer.getCustomerId());
        writeOptional(json, "customer_email", "customer.email", customer.getEmail(), findings);
        writeOptional(json, "customer_phone", "customer.phone", customer.getPhone(), findings);
        writeOptional(json, "mobile_country_code", "customer.mobile_country_code",
                customer.getMobileCountryCode(), findings);
        writeOptional(json, "first_name", "customer.first_name", customer.getFirstName(), findings);
        writeOptional(json, "last_name", "customer.last_name", customer.getLastName(), findings);
    }

    private static void writeMandate(JsonGenerator json, Mandate mandate, Findings findings) throws IOException {
        json.writeStringField("mandate.max_amount", mandate.getMaxAmount());
        if (mandate.getFrequency() != null) {
            json.writeStringField("mandate.frequency", mandate.getFrequency().name());
        }
        writeNumberText(json, "mandate.rule_value", mandate.getRuleValue());
        if (mandate.getAmountRule() != null) {
            json.writeStringField("mandate.amount_rule", mandate.getAmountRule().name());
        }
        if (!findings.isOmitted("mandate.start_date")) {
            writeNumberText(json, "mandate.start_date", mandate.getStartDate());
        }
        writeNumberText(json, "mandate.end_date", mandate.getEndDate());
        if (mandate.getRevokableByCustomer() != null) {
            json.writeBooleanField("mandate.revokable_by_customer", mandate.getRevokableByCustomer());
        }
        if (mandate.getBlockFunds() != null) {
            json.writeBooleanField("mandate.block_funds", mandate.getBlockFunds());
        }
    }

    private static void writePaymentRules(JsonGenerator json, Plan plan) throws IOException {
        json.writeObjectFieldStart("payment_rules");
        json.writeObjectFieldStart("payment_flows");
        json.writeObjectFieldStart("billing_creation");
        json.writeStringField("status", "REQUIRED");
        json.writeObjectFieldStart("info");
        json.writeStringField("plan_id", plan.getPlanId());
        if (plan.getPlanAmount() != null) {
            // Exact decimal from the event's string: no binary floating point on the way, and the scale as given.
            json.writeNumberField("plan_amount", new BigDecimal(plan.getPlanAmount()));
        }
        if (plan.getPlanRuleValue() != null) {
            json.writeObjectFieldStart("rule_info");
            json.writeNumberField("plan_rule_value", plan.getPlanRuleValue().intValue());
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** The event's return URL when it has a non-empty one, else the merchant's default (may be null). */
    static String returnUrl(SubscriptionSignup signup, MerchantProfile merchant) {
        return Text.isEmpty(signup.getReturnUrl()) ? merchant.defaultReturnUrl() : signup.getReturnUrl();
    }

    /** Numbers Juspay shows as strings, e.g. "mandate.rule_value": "1" (docs/contract.md, "Request body"). */
    private static void writeNumberText(JsonGenerator json, String key, Number value) throws IOException {
        if (value != null) {
            json.writeStringField(key, value.toString());
        }
    }

    private static void writeOptional(JsonGenerator json, String key, String field, String value, Findings findings)
            throws IOException {
        if (!Text.isEmpty(value) && !findings.isOmitted(field)) {
            json.writeStringField(key, value);
        }
    }
}
