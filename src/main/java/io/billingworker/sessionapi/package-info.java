/**
 * The Juspay {@code POST /session} client and its resilience.
 *
 * <p>{@link io.billingworker.sessionapi.SessionApiClient} makes exactly one blocking HTTP attempt and classifies
 * it into an {@link io.billingworker.sessionapi.HttpResult} (docs/contract.md, "Responses" and "Errors and retries").
 * {@link io.billingworker.sessionapi.SessionGateway} wraps it with retries that honour {@code Retry-After}, a
 * circuit breaker and a rate limiter per merchant and a global cap on calls in flight, and answers with a
 * {@link io.billingworker.sessionapi.SessionCallResult} the worker maps to its outcome topics.
 * API keys stay inside {@link io.billingworker.sessionapi.ApiKey}; no message, log line, metric or record
 * carries them.
 */
package io.billingworker.sessionapi;
