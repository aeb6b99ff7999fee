package io.billingworker.sessionapi;

/**
 * A 2xx body that is not the session response the contract promises. The message names what is wrong (a field and
 * why, or that the body is not JSON) and never quotes the body: it may carry customer data.
 */
final class InvalidResponseException extends Exception {

    InvalidResponseException(String message) {
        super(message, null, false, false);
    }
}
