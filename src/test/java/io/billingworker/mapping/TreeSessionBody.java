package io.billingworker.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * A second, independent writer of the {@code /session} body for {@link SessionBodyParityTest}: it builds the body as a
 * Jackson tree (one {@link ObjectNode} per object, a later value for a key replacing the earlier one in place) and
 * serializes it with an {@link ObjectMapper} that writes decimals as plain digits. Test code only.
 */
final class TreeSessionBody {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private TreeSessionBody() {
    }

    static byte[] bytes(SubscriptionSignup signup, MerchantProfile merchant, String orderId, Findings findings) {
        try {
            return JSON.writeValueAsBytes(tree(signup, merchant, orderId, findings));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(SubscriptionSignup signup, MerchantProfile merchant, String orderId, Findings findings) {
        ObjectNode body = NODES.objectNode();
        body.put("order_id", orderId);
        body.put("amount", signup.getAmount());
        if (!"INR".equals(signup.getCurrency())) {
            body.put("currency", signup.getCurrency());
        }
        writeCustomer(body, signup.getCustomer(), findings);
        putOptional(body, "description", "description", signup.getDescription(), findings);
        body.put("payment_page_client_id", merchant.paymentPageClientId());
        body.put("action", "paymentPage");
        String returnUrl = Text.isEmpty(signup.getReturnUrl()) ? merchant.defaultReturnUrl() : signup.getReturnUrl();
        putOptional(body, "return_url", "return_url", returnUrl, findings);
        putOptional(body, "gateway_id", "gateway_id", signup.getGatewayId(), findings);
        body.put("options.create_mandate", merchant.createMandate());
        body.put("options.get_upi_deep_links", merchant.getUpiDeepLinks());
        writeMandate(body, signup.getMandate(), findings);
        new TreeMap<>(SignupValidator.orEmpty(signup.getMetadata())).forEach((key, value) ->
                putOptional(body, "metadata." + key, "metadata." + key, value, findings));
        Map<String, String> udf = SignupValidator.orEmpty(signup.getUdf());
        for (String key : UdfRules.sortedKeys(udf)) {
            putOptional(body, key, "udf." + key, udf.get(key), findings);
        }
        body.set("payment_rules", paymentRules(signup.getPlan()));
        return body;
    }

    private static void writeCustomer(ObjectNode body, Customer customer, Findings findings) {
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
