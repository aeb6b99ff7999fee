package io.billingworker.sessionapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code /session} response bodies. A 2xx body must hold what docs/contract.md ("Responses") names as the
 * minimum of a created session, or it is an {@link InvalidResponseException}:
 * <ul>
 *   <li>a JSON object with {@code status} and {@code order_id} as non-blank strings;</li>
 *   <li>the payment link with what identifies it: a session response (one carrying {@code id},
 *       {@code payment_links} or {@code sdk_payload}) needs Juspay's order id {@code id} and the payment page link
 *       {@code payment_links.web}; any other must be the billing transaction shape and needs
 *       {@code payment.authentication.url} and {@code txn_id};</li>
 *   <li>every field the worker reads, when present and not {@code null}, of the documented JSON type: text for
 *       {@code status}, {@code id}, {@code order_id}, {@code txn_id}, {@code txn_uuid}, {@code payment_links.*},
 *       {@code payment.authentication.*}; objects for {@code payment_links}, {@code payment},
 *       {@code payment.authentication}; an object (or JSON text) for {@code sdk_payload}.</li>
 * </ul>
 * Unknown fields are ignored. Error bodies are read tolerantly: what is missing or of another type is absent.
 */
final class ResponseParser {

    private static final List<String> TEXT_FIELDS = List.of("status", "id", "order_id", "txn_id", "txn_uuid");
    private static final List<String> LINK_FIELDS = List.of("web", "expiry", "deep_link");
    private static final List<String> AUTHENTICATION_FIELDS = List.of("url", "method");

    private final ObjectMapper json;

    ResponseParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Parses a 2xx body.
     *
     * @throws InvalidResponseException when the body is not a JSON object holding a created session's minimum
     */
    SessionResponse parseSession(byte[] body) throws InvalidResponseException {
        Streamed streamed = stream(body);
        JsonNode root;
        if (streamed != null) {
            root = streamed.root();
        } else {
            try {
                root = readObject(body);
            } catch (IOException e) {
                throw new InvalidResponseException(e instanceof JsonProcessingException parse
                        ? "not JSON (" + parse.getClass().getSimpleName() + at(parse) + ")"
                        : e.getMessage());
            }
        }
        for (String field : TEXT_FIELDS) {
            requireType(root, "", field, JsonNode::isTextual, "a string");
        }
        JsonNode links = requireType(root, "", "payment_links", JsonNode::isObject, "an object");
        for (String field : LINK_FIELDS) {
            requireType(links, "payment_links.", field, JsonNode::isTextual, "a string");
        }
        JsonNode payment = requireType(root, "", "payment", JsonNode::isObject, "an object");
        JsonNode authentication = requireType(payment, "payment.", "authentication", JsonNode::isObject,
                "an object");
        for (String field : AUTHENTICATION_FIELDS) {
            requireType(authentication, "payment.authentication.", field, JsonNode::isTextual, "a string");
        }
        String sdkPayloadJson;
        if (streamed != null && streamed.sdkPayloadObject() != null) {
            sdkPayloadJson = streamed.sdkPayloadObject();
        } else {
            requireType(root, "", "sdk_payload", node -> node.isObject() || node.isTextual(), "an object");
            sdkPayloadJson = jsonText(root.get("sdk_payload"));
        }
        SessionResponse response = new SessionResponse(
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
                sdkPayloadJson);
        requireMinimum(response, !blank(response.juspayOrderId()) || !links.isMissingNode()
                || response.sdkPayloadJson() != null);
        return response;
    }

    /**
     * A response carrying Juspay's order id, {@code payment_links} or {@code sdk_payload} is a session response and
     * needs {@code id} and the payment page link; any other must be the billing transaction shape and needs
     * {@code payment.authentication.url} and {@code txn_id}.
     */
    private static void requireMinimum(SessionResponse response, boolean sessionShape)
            throws InvalidResponseException {
        if (blank(response.status())) {
            throw new InvalidResponseException("status is missing");
        }
        if (blank(response.orderId())) {
            throw new InvalidResponseException("order_id is missing");
        }
        if (sessionShape) {
            if (blank(response.paymentLinkWeb())) {
                throw new InvalidResponseException("payment_links.web is missing");
            }
            if (blank(response.juspayOrderId())) {
                throw new InvalidResponseException("id (Juspay's order id) is missing beside payment_links.web");
            }
        } else if (blank(response.authenticationUrl())) {
            throw new InvalidResponseException(
                    "no payment link: payment_links.web and payment.authentication.url are both missing");
        } else if (blank(response.txnId())) {
            throw new InvalidResponseException("txn_id is missing beside payment.authentication.url");
        }
    }

    /**
     * The field when it is present and of the expected type, a missing node when it is absent or {@code null}.
     *
     * @throws InvalidResponseException when it is present with another JSON type
     */
    private static JsonNode requireType(JsonNode parent, String path, String field, Predicate<JsonNode> expected,
            String expectedName) throws InvalidResponseException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return MissingNode.getInstance();
        }
        if (!expected.test(node)) {
            throw new InvalidResponseException(path + field + " is " + typeName(node) + ", expected " + expectedName);
        }
        return node;
    }

    private static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case BINARY -> "binary";
            default -> "null";
        };
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getByteOffset() < 0 ? ""
                : " at byte " + e.getLocation().getByteOffset();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The top-level fields a created session is read from; the others are skipped unread. */
    private static final Set<String> READ_FIELDS = Stream.concat(TEXT_FIELDS.stream(),
            Stream.of("payment_links", "payment")).collect(Collectors.toUnmodifiableSet());

    /**
     * What a single streaming pass read: the top-level fields the worker reads, as a tree, and {@code sdk_payload}
     * when it is an object, as text. Null when the body is not plain ASCII JSON, has a duplicate key, or an
     * {@code sdk_payload} object whose compact text differs from how it was sent: the caller then reads the body as
     * a whole tree, which gives the same answer (or the same error) the slow way.
     *
     * @param root             the read fields; {@code sdk_payload} is in it only when it is not an object
     * @param sdkPayloadObject the {@code sdk_payload} object's text, exactly as sent (which is then its compact text),
     *                         or null
     */
    record Streamed(ObjectNode root, String sdkPayloadObject) {
    }

    Streamed stream(byte[] body) {
        if (body.length == 0 || !isAscii(body)) {
            return null;
        }
        try (JsonParser parser = json.createParser(body)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode root = json.createObjectNode();
            String sdkPayloadObject = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("sdk_payload") && value == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
                    if (start < 0 || end > body.length || !isCompact(body, start, end)) {
                        return null;
                    }
                    sdkPayloadObject = new String(body, start, end - start, StandardCharsets.US_ASCII);
                } else if (name.equals("sdk_payload") || READ_FIELDS.contains(name)) {
                    root.set(name, value == JsonToken.VALUE_NULL ? NullNode.getInstance() : parser.readValueAsTree());
                } else {
                    parser.skipChildren();
                }
            }
            return parser.currentToken() == JsonToken.END_OBJECT ? new Streamed(root, sdkPayloadObject) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the JSON text between {@code start} and {@code end} is already what writing its tree gives: no
     * whitespace between tokens, no escapes but {@code \"} and {@code \\}, and only integers (a decimal or exponent is
     * rewritten from a double, {@code -0} as {@code 0}).
     */
    static boolean isCompact(byte[] text, int start, int end) {
        boolean inString = false;
        int numberStart = -1;
        for (int i = start; i < end; i++) {
            byte b = text[i];
            if (inString) {
                if (b == '\\') {
                    byte next = i + 1 < end ? text[i + 1] : 0;
                    if (next != '"' && next != '\\') {
                        return false;
                    }
                    i++;
                } else if (b == '"') {
                    inString = false;
                } else if (b < 0x20) {
                    return false;
                }
                continue;
            }
            if (numberStart >= 0) {
                if (b == '.' || b == 'e' || b == 'E') {
                    return false;
                }
                if (b >= '0' && b <= '9') {
                    continue;
                }
                if (i - numberStart == 2 && text[numberStart] == '-' && text[numberStart + 1] == '0') {
                    return false;
                }
                numberStart = -1;
            }
            if (b == '"') {
                inString = true;
            } else if (b <= ' ') {
                return false;
            } else if (b == '-' || (b >= '0' && b <= '9')) {
                numberStart = i;
            }
        }
        return !inString;
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
        if (root == null || root.isMissingNode()) {
            throw new IOException("empty body");
        }
        if (!root.isObject()) {
            throw new IOException("not a JSON object but " + typeName(root));
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
