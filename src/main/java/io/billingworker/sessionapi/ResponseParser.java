package io.billingworker.sessionapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads {@code /session} response bodies. Tolerant: missing fields become {@code null}, unknown fields are
 * ignored, and a value of an unexpected JSON type where text is expected counts as absent.
 */
final class ResponseParser {

    private final ObjectMapper json;

    ResponseParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Parses a 2xx body.
     *
     * @throws IOException when the body is not a JSON object
     */
    SessionResponse parseSession(byte[] body) throws IOException {
        JsonNode root = readObject(body);
        JsonNode links = root.path("payment_links");
        JsonNode authentication = root.path("payment").path("authentication");
        return new SessionResponse(
                text(root.get("status")),
                text(root.get("id")),
                text(root.get("order_id")),
                text(links.get("web")),
                // Seed 001 shows "expiry": "null" (a string) when the link has no expiry.
                absentIfNullString(text(links.get("expiry"))),
                text(links.get("deep_link")),
                text(authentication.get("url")),
                text(authentication.get("method")),
                text(root.get("txn_id")),
                text(root.get("txn_uuid")),
                jsonText(root.get("sdk_payload")));
    }

    /** Parses an error body; a body that is not a JSON object gives an error with only the status. */
    ApiError parseError(int httpStatus, byte[] body) {
        JsonNode root;
        try {
            root = readObject(body);
        } catch (IOException e) {
            return ApiError.empty(httpStatus);
        }
        return new ApiError(httpStatus,
                text(root.get("status")),
                text(root.get("error_code")),
                text(root.get("error_message")),
                jsonText(root.get("error_info")));
    }

    private JsonNode readObject(byte[] body) throws IOException {
        if (body.length == 0) {
            throw new IOException("empty body");
        }
        JsonNode root = json.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IOException("body is not a JSON object");
        }
        return root;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || !node.isValueNode()) {
            return null;
        }
        return node.asText();
    }

    private static String absentIfNullString(String value) {
        return value == null || value.isBlank() || value.equalsIgnoreCase("null") ? null : value;
    }

    /** An object or array as compact JSON; a string is taken to be JSON text already. */
    private String jsonText(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        // Through our mapper rather than JsonNode.toString(): same compact text, but with the mapper's shared
        // buffer pool instead of Jackson's internal per-thread one (a virtual thread per call reuses nothing).
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
