package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks every fault scenario must pass; the row goes into the results table first, pass or fail. */
final class MatrixAssertions {

    private MatrixAssertions() {
    }

    /**
     * None lost, one outcome kind per event, per-key order kept, one order per event, duplicates at most
     * {@code maxDuplicates}, and the worker healthy afterwards.
     */
    static void assertSurvived(ScenarioDriver.Result result, int maxDuplicates) {
        FaultMatrixReport.append(result.row());

        assertThat(result.lost()).as("%s: events without an outcome", result.scenario()).isEmpty();
        assertThat(result.mixedKinds()).as("%s: events with more than one outcome kind", result.scenario()).isEmpty();
        assertThat(result.outOfOrder()).as("%s: keys whose sessions were created out of order", result.scenario())
                .isEmpty();
        assertThat(result.orderIdMismatches()).as("%s: events created under two order ids", result.scenario()).isEmpty();
        assertThat(result.duplicates()).as("%s: duplicate outcomes", result.scenario()).isLessThanOrEqualTo(maxDuplicates);
        assertThat(result.created() + result.failed() + result.deadLetters()).as("%s: events accounted for",
                result.scenario()).isEqualTo(result.events());
        assertThat(result.healthy()).as("%s: worker healthy and processing afterwards", result.scenario()).isTrue();
    }
}
