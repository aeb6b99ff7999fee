package io.billingworker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks Juspay makes on a {@code /session} request before creating an order (docs/contract.md, "Request body"
 * and "Validation rules"):
 * content type, a JSON object body, the mandatory keys, and the format rules Juspay states. Every
 * missing key is named in one 400; otherwise the first key whose value breaks a rule is named.
 */
final class RequestValidator {

    static final String BILLING_CREATION = "payment_rules.payment_flows.billing_creation";

    private static final List<String> REQUIRED = List.of(
            "order_id", "amount", "customer_id", "payment_page_client_id", "action");
    /** customer_id is required but empty for a guest checkout (docs/contract.md, "Request body"). */
    private static final String MAY_BE_EMPTY = "customer_id";
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,20}");
    private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]{1,2})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int CUSTOMER_ID_MAX = 128;

    private final boolean requireRoutingId;

    RequestValidator(boolean requireRoutingId) {
        this.requireRoutingId = requireRoutingId;
    }

    /** The 400 this request earns, or empty when Juspay would accept it. */
    Optional<JuspayError> validate(String contentType, String routingId, JsonNode body) {
        if (!isJson(contentType)) {
            return bad(JuspayError.INVALID_CONTENT_TYPE, "Content-Type must be application/json");
        }
        if (!body.isObject()) {
            return bad(JuspayError.INVALID_JSON, "Request body must be a JSON object");
        }
        List<String> missing = missingKeys(routingId, body);
        if (!missing.isEmpty()) {
            return bad(JuspayError.MANDATORY_FIELDS_MISSING,
                    "Mandatory fields are missing: " + String.join(", ", missing));
        }
        return invalidValue(body).map(message -> JuspayError.badRequest(JuspayError.INVALID_FIELD_VALUE, message));
    }

    private List<String> missingKeys(String routingId, JsonNode body) {
        List<String> missing = new ArrayList<>();
        for (String key : REQUIRED) {
            JsonNode value = body.get(key);
            if (absent(value) || (!MAY_BE_EMPTY.equals(key) && value.isTextual() && value.asText().isEmpty())) {
                missing.add(key);
            }
        }
        if (requireRoutingId && (routingId == null || routingId.isBlank())) {
            missing.add("x-routing-id");
        }
        JsonNode billing = billingCreation(body);
        if (billing != null && billing.isObject()) {
            requireText(billing, "status", BILLING_CREATION + ".status", missing);
            JsonNode info = billing.get("info");
            if (absent(info)) {
                missing.add(BILLING_CREATION + ".info");
            } else if (info.isObject()) {
                requireText(info, "plan_id", BILLING_CREATION + ".info.plan_id", missing);
                JsonNode ruleInfo = info.get("rule_info");
                if (ruleInfo != null && ruleInfo.isObject() && absent(ruleInfo.get("plan_rule_value"))) {
                    missing.add(BILLING_CREATION + ".info.rule_info.plan_rule_value");
                }
            }
        }
        return missing;
    }

    private static Optional<String> invalidValue(JsonNode body) {
        for (String key : REQUIRED) {
            if (!body.get(key).isTextual()) {
                return Optional.of(key + " must be a string");
            }
        }
        String orderId = body.get("order_id").asText();
        if (!ORDER_ID.matcher(orderId).matches()) {
            return Optional.of("order_id must be 1 to 20 characters of A-Z, a-z, 0-9, _ and -");
        }
        if (body.get("customer_id").asText().length() > CUSTOMER_ID_MAX) {
            return Optional.of("customer_id must be at most 128 characters");
        }
        JsonNode currency = body.get("currency");
        if (!absent(currency) && !(currency.isTextual() && CURRENCY.matcher(currency.asText()).matches())) {
            return Optional.of("currency must be three upper-case letters");
        }
        Optional<String> amount = amountProblem("amount", body.get("amount"));
        if (amount.isPresent()) {
            return amount;
        }
        boolean inr = absent(currency) || "INR".equals(currency.asText());
        if (inr && new BigDecimal(body.get("amount").asText()).compareTo(BigDecimal.ONE) < 0) {
            return Optional.of("amount must be at least 1.00 INR");
        }
        JsonNode maxAmount = body.get("mandate.max_amount");
        if (!absent(maxAmount)) {
            Optional<String> problem = amountProblem("mandate.max_amount", maxAmount);
            if (problem.isPresent()) {
                return problem;
            }
        }
        JsonNode deepLinks = body.get("options.get_upi_deep_links");
        if (!absent(deepLinks) && !deepLinks.isBoolean()
                && !(deepLinks.isTextual() && ("true".equals(deepLinks.asText()) || "false".equals(deepLinks.asText())))) {
            return Optional.of("options.get_upi_deep_links must be true or false");
        }
        return billingProblem(body);
    }

    private static Optional<String> billingProblem(JsonNode body) {
        JsonNode rules = body.get("payment_rules");
        if (absent(rules)) {
            return Optional.empty();
        }
        if (!rules.isObject()) {
            return Optional.of("payment_rules must be a JSON object");
        }
        JsonNode flows = rules.get("payment_flows");
        if (!absent(flows) && !flows.isObject()) {
            return Optional.of("payment_rules.payment_flows must be a JSON object");
        }
        JsonNode billing = billingCreation(body);
        if (billing == null) {
            return Optional.empty();
        }
        if (!billing.isObject()) {
            return Optional.of(BILLING_CREATION + " must be a JSON object");
        }
        if (!billing.get("status").isTextual()) {
            return Optional.of(BILLING_CREATION + ".status must be a string");
        }
        JsonNode info = billing.get("info");
        if (!info.isObject()) {
            return Optional.of(BILLING_CREATION + ".info must be a JSON object");
        }
        if (!info.get("plan_id").isTextual()) {
            return Optional.of(BILLING_CREATION + ".info.plan_id must be a string");
        }
        JsonNode planAmount = info.get("plan_amount");
        if (!absent(planAmount)) {
            if (!planAmount.isNumber()) {
                return Optional.of(BILLING_CREATION + ".info.plan_amount must be a JSON number");
            }
            if (planAmount.decimalValue().stripTrailingZeros().scale() > 2) {
                return Optional.of(BILLING_CREATION + ".info.plan_amount must have at most two decimal places");
            }
        }
        JsonNode ruleInfo = info.get("rule_info");
        if (!absent(ruleInfo)) {
            if (!ruleInfo.isObject()) {
                return Optional.of(BILLING_CREATION + ".info.rule_info must be a JSON object");
            }
            JsonNode ruleValue = ruleInfo.get("plan_rule_value");
            if (!ruleValue.isIntegralNumber()) {
                return Optional.of(BILLING_CREATION + ".info.rule_info.plan_rule_value must be a JSON integer");
            }
            if (!ruleValue.canConvertToInt() || ruleValue.intValue() < 1 || ruleValue.intValue() > 31) {
                return Optional.of(BILLING_CREATION + ".info.rule_info.plan_rule_value must be between 1 and 31");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> amountProblem(String key, JsonNode value) {
        if (!value.isTextual()) {
            return Optional.of(key + " must be a string");
        }
        if (!AMOUNT.matcher(value.asText()).matches()) {
            return Optional.of(key + " must be a decimal string with at most two decimal places");
        }
        return Optional.empty();
    }

    /** The billing_creation node, or null when the request is not a billing session. */
    static JsonNode billingCreation(JsonNode body) {
        JsonNode billing = body.path("payment_rules").path("payment_flows").path("billing_creation");
        return billing.isMissingNode() ? null : billing;
    }

    private static void requireText(JsonNode parent, String field, String path, List<String> missing) {
        JsonNode value = parent.get(field);
        if (absent(value) || (value.isTextual() && value.asText().isEmpty())) {
            missing.add(path);
        }
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return "application/json".equals(mediaType.toLowerCase(Locale.ROOT));
    }

    private static Optional<JuspayError> bad(String code, String message) {
        return Optional.of(JuspayError.badRequest(code, message));
    }
}
