package io.billingworker.mapping;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes the {@code /session} body of a validated event: flat dotted keys in the order of docs/contract.md,
 * "Request body", and one nested {@code payment_rules} object. A field whose source is null, empty or left out
 * by a rule is not written at all.
 */
final class SessionBody {

    /** Keeps BigDecimal scale as given: "20.0" stays 20.0 (JsonNodeFactory never strips zeros here). */
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SessionBody() {
    }

    static ObjectNode write(SubscriptionSignup signup, MerchantProfile merchant, String orderId,
                            Findings findings) {
        ObjectNode body = NODES.objectNode();
        body.put("order_id", orderId);
        body.put("amount", signup.getAmount());
        // Juspay's pages say currency should only be passed when enabled for the gateway, default INR, and its
        // billing samples send none: currency is sent only when it is not INR (docs/contract.md, "Juspay's pages
        // over our first draft").
        if (!AmountRules.isDefaultCurrency(signup.getCurrency())) {
            body.put("currency", signup.getCurrency());
        }
        writeCustomer(body, signup.getCustomer(), findings);
        putOptional(body, "description", "description", signup.getDescription(), findings);
        body.put("payment_page_client_id", merchant.paymentPageClientId());
        body.put("action", "paymentPage");
        putOptional(body, "return_url", "return_url", returnUrl(signup, merchant), findings);
        putOptional(body, "gateway_id", "gateway_id", signup.getGatewayId(), findings);
        body.put("options.create_mandate", merchant.createMandate());
        body.put("options.get_upi_deep_links", merchant.getUpiDeepLinks());
        writeMandate(body, signup.getMandate(), findings);
        Map<String, String> metadata = SignupValidator.orEmpty(signup.getMetadata());
        for (String key : UdfRules.sortedMetadataKeys(metadata)) {
            String field = "metadata." + key;
            putOptional(body, field, field, metadata.get(key), findings);
        }
        Map<String, String> udf = SignupValidator.orEmpty(signup.getUdf());
        for (String key : UdfRules.sortedKeys(udf)) {
            putOptional(body, key, "udf." + key, udf.get(key), findings);
        }
        body.set("payment_rules", paymentRules(signup.getPlan()));
        return body;
    }

    private static void writeCustomer(ObjectNode body, Customer customer, Findings findings) {
        // Sent even when empty: Juspay says a guest checkout's customer_id "should be an empty string"
        // (docs/contract.md, "Request body").
        body.put("customer_id", customer.getCustomerId());
        putOptional(body, "customer_email", "customer.email", customer.getEmail(), findings);
        putOptional(body, "customer_phone", "customer.phone", customer.getPhone(), findings);
        putOptional(body, "mobile_country_code", "customer.mobile_country_code",
                customer.getMobileCountryCode(), findings);
        putOptional(body, "first_name", "customer.first_name", customer.getFirstName(), findings);
        putOptional(body, "last_name", "customer.last_name", customer.getLastName(), findings);
    }

    private static void writeMandate(ObjectNode body, Mandate mandate, Findings findings) {
        body.put("mandate.max_amount", mandate.getMaxAmount());
        if (mandate.getFrequency() != null) {
            body.put("mandate.frequency", mandate.getFrequency().name());
        }
        putNumberText(body, "mandate.rule_value", mandate.getRuleValue());
        if (mandate.getAmountRule() != null) {
            body.put("mandate.amount_rule", mandate.getAmountRule().name());
        }
        if (!findings.isOmitted("mandate.start_date")) {
            putNumberText(body, "mandate.start_date", mandate.getStartDate());
        }
        putNumberText(body, "mandate.end_date", mandate.getEndDate());
        if (mandate.getRevokableByCustomer() != null) {
            body.put("mandate.revokable_by_customer", mandate.getRevokableByCustomer());
        }
        if (mandate.getBlockFunds() != null) {
            body.put("mandate.block_funds", mandate.getBlockFunds());
        }
    }

    private static ObjectNode paymentRules(Plan plan) {
        ObjectNode info = NODES.objectNode().put("plan_id", plan.getPlanId());
        if (plan.getPlanAmount() != null) {
            // Exact decimal from the event's string: no binary floating point on the way.
            info.put("plan_amount", new BigDecimal(plan.getPlanAmount()));
        }
        if (plan.getPlanRuleValue() != null) {
            info.putObject("rule_info").put("plan_rule_value", plan.getPlanRuleValue().intValue());
        }
        ObjectNode rules = NODES.objectNode();
        ObjectNode billingCreation = rules.putObject("payment_flows").putObject("billing_creation");
        billingCreation.put("status", "REQUIRED");
        billingCreation.set("info", info);
        return rules;
    }

    /** The event's return URL when it has a non-empty one, else the merchant's default (may be null). */
    static String returnUrl(SubscriptionSignup signup, MerchantProfile merchant) {
        return Text.isEmpty(signup.getReturnUrl()) ? merchant.defaultReturnUrl() : signup.getReturnUrl();
    }

    /** Numbers Juspay shows as strings, e.g. "mandate.rule_value": "1" (docs/contract.md, "Request body"). */
    private static void putNumberText(ObjectNode body, String key, Number value) {
        if (value != null) {
            body.put(key, value.toString());
        }
    }

    private static void putOptional(ObjectNode body, String key, String field, String value, Findings findings) {
        if (!Text.isEmpty(value) && !findings.isOmitted(field)) {
            body.put(key, value);
        }
    }
}
