package io.billingworker.sessionapi;

import io.billingworker.mapping.SessionRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A fake {@link SessionApi} answering from a script; the last entry repeats once the script runs out. */
final class ScriptedSessionApi implements SessionApi {

    private final Deque<Supplier<HttpResult>> script = new ArrayDeque<>();
    private final List<SessionRequest> requests = new CopyOnWriteArrayList<>();
    private Supplier<HttpResult> last;

    synchronized ScriptedSessionApi then(HttpResult result) {
        return then(() -> result);
    }

    synchronized ScriptedSessionApi then(Supplier<HttpResult> result) {
        script.add(result);
        return this;
    }

    @Override
    public HttpResult send(SessionRequest request, ApiKey key) {
        requests.add(request);
        return next().get();
    }

    private synchronized Supplier<HttpResult> next() {
        if (!script.isEmpty()) {
            last = script.poll();
        }
        if (last == null) {
            throw new IllegalStateException("no scripted result");
        }
        return last;
    }

    int calls() {
        return requests.size();
    }

    List<SessionRequest> requests() {
        return List.copyOf(requests);
    }
}
