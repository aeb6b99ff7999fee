package io.billingworker.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies taken from the Juspay seeds, for the simulator's tests. */
final class SeedRequests {

    private SeedRequests() {
    }

    /** Seed 001 (v1): the Session API sample request with UPI deep links, plus the Juspay order id. */
    static ObjectNode session(String orderId) {
        return SimulatorClient.parse("""
                {
                  "order_id": "%s",
                  "amount": "1.0",
                  "customer_id": "testing-customer-one",
                  "customer_email": "test@mail.com",
                  "customer_phone": "9876543210",
                  "payment_page_client_id": "yourClientId",
                  "action": "paymentPage",
                  "return_url": "https://shop.merchant.com",
                  "description": "Complete your payment",
                  "first_name": "John",
                  "last_name": "wick",
                  "options.get_upi_deep_links": "true"
                }""".formatted(orderId));
    }

    /** {@link #billing(String)} as JSON text, without parsing: for throughput runs. */
    static String billingText(String orderId) {
        return BILLING_TEMPLATE.replace("ORDER_ID", orderId);
    }

    private static final String BILLING_TEMPLATE = billing("ORDER_ID").toString();

    /** Seed 000: the variable amount plan with custom debit date sample (the fullest of the four). */
    static ObjectNode billing(String orderId) {
        return SimulatorClient.parse("""
                {
                    "order_id": "%s",
                    "amount": "1.0",
                    "customer_id": "cth_rPj21roNSjEbumSy",
                    "payment_page_client_id": "stageott",
                    "action": "paymentPage",
                    "return_url": "https://shop.merchant.com",
                    "description": "Complete your payment",
                    "first_name": "John",
                    "last_name": "wick",
                    "options.get_upi_deep_links": true,
                    "options.create_mandate": "REQUIRED",
                    "mandate.max_amount": "100",
                    "metadata.auto_refund_post_success": "true",
                    "gateway_id": "100",
                    "payment_rules": {
                        "payment_flows": {
                            "billing_creation": {
                                "status": "REQUIRED",
                                "info": {
                                    "plan_id": "sample_fixed_plan",
                                    "plan_amount": 20.0,
                                    "rule_info": {
                                        "plan_rule_value": 1
                                    }
                                }
                            }
                        }
                    }
                }""".formatted(orderId));
    }
}
