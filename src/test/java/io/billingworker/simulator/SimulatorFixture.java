package io.billingworker.simulator;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator that knows {@link SimulatorClient#MERCHANT}, and a {@link SimulatorClient} for it, for one test:
 * register it on an instance field with {@code @RegisterExtension} and both are closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final SimulatorFixture fixture = SimulatorFixture.started(builder -> builder.seed(7));
 * private final SessionSimulator simulator = fixture.simulator();
 * private final SimulatorClient client = fixture.client();
 * }</pre>
 *
 * <p>{@link #started} starts at once, so the test class can keep both in final fields; {@link #notStarted} leaves
 * {@link #start} to each test.
 */
final class SimulatorFixture implements AfterEachCallback {

    private SessionSimulator simulator;
    private SimulatorClient client;

    private SimulatorFixture() {
    }

    /** Starts a simulator that knows only {@link SimulatorClient#MERCHANT}, with default settings. */
    static SimulatorFixture started() {
        return started(UnaryOperator.identity());
    }

    /** Starts a simulator built by {@code settings} on top of {@link SimulatorClient#MERCHANT} and its key. */
    static SimulatorFixture started(UnaryOperator<SessionSimulator.Builder> settings) {
        SimulatorFixture fixture = new SimulatorFixture();
        fixture.open(settings.apply(withMerchant(SessionSimulator.builder())));
        return fixture;
    }

    /** Nothing started yet: each test calls {@link #start}. */
    static SimulatorFixture notStarted() {
        return new SimulatorFixture();
    }

    /**
     * Adds {@link SimulatorClient#MERCHANT} to {@code builder} and starts it, with a new client; a simulator and
     * client started earlier by this fixture are closed first.
     */
    SessionSimulator start(SessionSimulator.Builder builder) {
        close();
        open(withMerchant(builder));
        return simulator;
    }

    SessionSimulator simulator() {
        return simulator;
    }

    SimulatorClient client() {
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    private static SessionSimulator.Builder withMerchant(SessionSimulator.Builder builder) {
        return builder.merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY);
    }

    private void open(SessionSimulator.Builder builder) {
        simulator = builder.start();
        client = new SimulatorClient(simulator);
    }

    private void close() {
        if (client != null) {
            client.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }
}
